/**
 * What a tool handler does with the session id. Each read of `ctx.sessionId` (widened over `!`, `as`, `?? 'x'`,
 * `String(…)`, and followed through one `const sid = …` alias) is classified:
 * - `store`: the key of a module-level Map or record (`carts.get(sid)`, `state[sid]`), of one a class keeps in a
 *   field (`this.games.get(sid)`, named `this.games`), or the first argument of a method of a module-level object
 *   that keeps entries behind methods (`store.start(sid)`, see method-stores.ts) → handle;
 * - `accessor`: the argument of a module-level or imported function (`getOrCreateSession(sid)`) → handle;
 * - `benign`: only printed (template literal, logger call) → the handle is printed instead;
 * - `ignored`: the session argument of `sendLoggingMessage(params, sessionId)`, which only picked the v1 session to
 *   log to; logging-to-otel rewrites the call, so the read is left to it;
 * - `other`: anything else; the tool is left alone with a marker.
 * Stores and accessors whose names say they hold auth, rate limits, routing or elicitation state are not
 * application state a handle can replace: those get their own markers.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { isValueReference } from '../kit/ast.js';
import { snake } from './handle-naming.js';

type Node = any;

export type SessionUseKind = 'store' | 'accessor' | 'benign' | 'ignored' | 'other';

export interface SessionUse {
  kind: SessionUseKind;
  /** The store or accessor name. */
  name?: string;
  /** The node that reads the key (for markers). */
  at: ASTPath<any>;
}

export interface SessionRead {
  /** The widened session-id expression whose text becomes the handle. */
  expression: Node;
  uses: SessionUse[];
}

export const CATEGORIES: { test: RegExp; rule: string; message: string }[] = [
  {
    test: /\b(?:auth|token|credential|principal|oauth|pkce|login|identity)/i,
    rule: 'auth-binding',
    message:
      'the session id binds authentication state here; a handle is not an identity (possession is not ' +
      'authorization). Bind this to the verified principal (ctx.http?.authInfo) instead'
  },
  {
    test: /\b(?:rate|limit|bucket|quota|throttle)/i,
    rule: 'rate-limit',
    message:
      'the session id keys a rate limit here; there are no sessions on 2026-07-28, key it by the principal (ctx.http?.authInfo?.clientId) instead'
  },
  {
    test: /\b(?:sticky|route|routing|upstream|backend|affinity|shard)/i,
    rule: 'sticky-routing',
    message:
      'the session id routes requests to a backend here; 2026-07-28 requests are independent, route on the principal or a tool argument instead'
  },
  {
    test: /\b(?:elicit|pending|confirm|awaiting|prompting)/i,
    rule: 'elicitation-correlation',
    message:
      'the session id correlates an in-flight elicitation here; on 2026-07-28 return inputRequired(...) ' +
      'and carry the flow in requestState (see push-to-input-required)'
  }
];

/**
 * The category a store or accessor's name says it belongs to, read word by word (`rateLimits`, `rate_limiter`,
 * `RateBucket`): a word inside another (`generateTrackedElicitation`, `separateCarts`) is not one.
 */
export function categoryOf(name: string | undefined): (typeof CATEGORIES)[number] | undefined {
  if (!name) return undefined;
  const words = snake(name).replace(/_+/g, ' ');
  return CATEGORIES.find(c => c.test.test(words));
}

const LOG_METHODS = /^(log|info|warn|error|debug|trace|verbose)$/;
/** A Map's own methods that take a key. */
export const MAP_METHOD = /^(get|set|has|delete)$/;

/**
 * Does `call` print `arg`: an argument of a logger's method (`console.log`, `this.logger.info`), or the message a
 * v1 `sendLoggingMessage({ level, data })` sends (its second argument, the session to send to, is no print).
 */
function printsArgument(call: Node, arg: Node): boolean {
  if (call?.type !== 'CallExpression' || call.callee.type !== 'MemberExpression' || call.callee.computed) return false;
  const method = call.callee.property?.name ?? '';
  if (method === 'sendLoggingMessage') return call.arguments[0] === arg;
  return LOG_METHODS.test(method) && call.arguments.includes(arg);
}

/** Every read of `<ctxName>.sessionId` inside `callback`, classified. */
export function sessionReads(
  j: JSCodeshift,
  callback: Node,
  ctxName: string,
  moduleNames: Set<string>,
  fieldStores: Set<string> = new Set(),
  methodStores: ReadonlySet<string> = new Set()
): SessionRead[] {
  const reads: SessionRead[] = [];
  j(callback)
    .find(j.MemberExpression, {
      object: { type: 'Identifier', name: ctxName },
      property: { name: 'sessionId' },
      computed: false
    })
    .forEach((p: ASTPath<any>) => {
      const top = widen(p);
      const parent = top.parent?.node;
      if (parent?.type === 'VariableDeclarator' && parent.init === top.node && parent.id.type === 'Identifier') {
        const alias = parent.id.name;
        const uses = j(callback)
          .find(j.Identifier, { name: alias })
          .filter((r: ASTPath<any>) => r.node !== parent.id && isValueReference(r))
          .paths()
          .map((r: ASTPath<any>) => classify(r, moduleNames, fieldStores, methodStores));
        reads.push({ expression: top.node, uses });
      } else {
        reads.push({ expression: top.node, uses: [classify(top, moduleNames, fieldStores, methodStores)] });
      }
    });
  return reads;
}

function widen(p: ASTPath<any>): ASTPath<any> {
  let cur = p;
  for (;;) {
    const parent = cur.parent?.node;
    if (!parent) return cur;
    if (
      parent.type === 'TSNonNullExpression' ||
      parent.type === 'TSAsExpression' ||
      parent.type === 'ParenthesizedExpression'
    )
      cur = cur.parent;
    else if (
      parent.type === 'LogicalExpression' &&
      parent.left === cur.node &&
      (parent.operator === '??' || parent.operator === '||')
    )
      cur = cur.parent;
    else if (
      parent.type === 'CallExpression' &&
      parent.callee.type === 'Identifier' &&
      parent.callee.name === 'String' &&
      parent.arguments.length === 1
    )
      cur = cur.parent;
    else return cur;
  }
}

/** `carts` (a module-level name), or `this.games` (a field the file's classes keep a store in): the store's name. */
function storeName(n: Node, moduleNames: Set<string>, fieldStores: Set<string>): string | undefined {
  if (n.type === 'Identifier') return moduleNames.has(n.name) ? n.name : undefined;
  if (n.type !== 'MemberExpression' || n.computed || n.object.type !== 'ThisExpression') return undefined;
  const name = `this.${n.property?.name}`;
  return fieldStores.has(name) ? name : undefined;
}

function classify(
  p: ASTPath<any>,
  moduleNames: Set<string>,
  fieldStores: Set<string>,
  methodStores: ReadonlySet<string>
): SessionUse {
  const parent = p.parent?.node;
  const node = p.node;
  if (
    parent?.type === 'CallExpression' &&
    parent.callee.type === 'MemberExpression' &&
    parent.callee.property?.name === 'sendLoggingMessage' &&
    parent.arguments[1] === node
  ) {
    return { kind: 'ignored', at: p };
  }
  if (parent?.type === 'CallExpression' && parent.callee.type === 'MemberExpression' && parent.arguments[0] === node) {
    const store = storeName(parent.callee.object, moduleNames, fieldStores);
    // A Map's own methods, or any method of an object that keeps entries behind methods (`games.start(sid)`).
    const method = parent.callee.property?.name;
    if (store && (MAP_METHOD.test(method) || (methodStores.has(store) && !LOG_METHODS.test(method))))
      return { kind: 'store', name: store, at: p };
  }
  if (printsArgument(parent, node)) return { kind: 'benign', at: p };
  if (
    (parent?.type === 'MemberExpression' || parent?.type === 'OptionalMemberExpression') &&
    parent.computed &&
    parent.property === node &&
    storeName(parent.object, moduleNames, fieldStores)
  ) {
    return { kind: 'store', name: storeName(parent.object, moduleNames, fieldStores), at: p };
  }
  if (
    parent?.type === 'CallExpression' &&
    parent.callee.type === 'Identifier' &&
    parent.arguments.includes(node) &&
    moduleNames.has(parent.callee.name)
  ) {
    return { kind: 'accessor', name: parent.callee.name, at: p };
  }
  if (parent?.type === 'TemplateLiteral' || isPrintedByLog(p)) return { kind: 'benign', at: p };
  return { kind: 'other', at: p };
}

/**
 * Is the read only printed: an argument of a log call (`console.log`, `logger.info`, the message of
 * `sendLoggingMessage`), directly or inside a template literal, a string concatenation or an object handed to it? A
 * template that builds a key is not printed.
 */
export function isPrintedByLog(p: ASTPath<any>): boolean {
  let cur = p;
  for (;;) {
    const parent = cur.parent?.node;
    if (!parent) return false;
    if (parent.type === 'TemplateLiteral' || (parent.type === 'BinaryExpression' && parent.operator === '+'))
      cur = cur.parent;
    else if (
      (parent.type === 'ObjectProperty' || parent.type === 'Property') &&
      parent.value === cur.node &&
      cur.parent.parent?.node.type === 'ObjectExpression'
    )
      cur = cur.parent.parent;
    else return printsArgument(parent, cur.node);
  }
}
