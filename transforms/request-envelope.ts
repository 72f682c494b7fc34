/**
 * Rewrite 1, reading who the client is: on 2026-07-28 there is no `initialize`, so `oninitialized` never fires
 * and `getClientCapabilities()` / `getClientVersion()` (deprecated) describe nothing under `serveStdio`. Every
 * request carries the client's capabilities and info in its `_meta` envelope instead.
 *
 * Inside a request handler that has a context parameter (`ctx`, `extra`, `context`), the calls become reads of
 * `ctx.mcpReq.envelope` (cast in TypeScript: the 2.4.0 typings declare the envelope as `{}`).
 * Marked with a TODO instead: `oninitialized` assignments, and calls outside any handler or in a handler without
 * a context parameter.
 */
import type { API, ASTPath, FileInfo } from 'jscodeshift';
import { printOptions, statementPathOf } from './lib/ast.js';
import type { TransformMeta, TransformOptions } from './lib/contract.js';
import { ensureNamedImport } from './lib/imports.js';
import { mark } from './lib/markers.js';

export const meta: TransformMeta = {
  id: 'request-envelope',
  title: 'Client identity from the request envelope',
  summary: 'getClientCapabilities()/getClientVersion() in handlers → ctx.mcpReq.envelope; oninitialized marked',
  spec: ['SEP-2575'],
  safety: 'safe',
  prefilter: /getClientCapabilities|getClientVersion|oninitialized/
};

const KEYS: Record<string, { constant: string; type: string }> = {
  getClientCapabilities: { constant: 'CLIENT_CAPABILITIES_META_KEY', type: 'ClientCapabilities' },
  getClientVersion: { constant: 'CLIENT_INFO_META_KEY', type: 'Implementation' }
};
const REGISTRATIONS = /^(registerTool|registerPrompt|registerResource|setRequestHandler|tool|prompt|resource)$/;
const CONTEXT_PARAM = /^(ctx|extra|context)$/;

export default function requestEnvelope(file: FileInfo, api: API, options: TransformOptions): string | undefined {
  const j = api.jscodeshift;
  const root = j(file.source);
  const typed = /\.[cm]?tsx?$/.test(file.path);
  let changed = false;
  const statementOf = (p: ASTPath<any>) => statementPathOf(p).node;
  const flag = (p: ASTPath<any>, rule: string, message: string) => {
    if (mark(j, statementOf(p), 'TODO', rule, message, options, meta.id)) changed = true;
  };

  root.find(j.AssignmentExpression, { left: { type: 'MemberExpression', property: { name: 'oninitialized' } } }).forEach((p: ASTPath<any>) =>
    flag(p, 'oninitialized', 'oninitialized never fires on 2026-07-28 requests (there is no initialize); read the client from ctx.mcpReq.envelope inside each handler')
  );

  root.find(j.CallExpression, { callee: { type: 'MemberExpression' } }).forEach((p: ASTPath<any>) => {
    const method = p.node.callee.property?.name;
    if (!Object.hasOwn(KEYS, method) || p.node.arguments.length > 0) return;
    const key = KEYS[method];
    const ctxName = handlerContext(j, p);
    if (!ctxName) {
      flag(p, 'client-identity', `${method}() outside a request handler has no client to describe on 2026-07-28; move the check into a handler and read ctx.mcpReq.envelope`);
      return;
    }
    const envelope = j.memberExpression(j.memberExpression(j.identifier(ctxName), j.identifier('mcpReq')), j.identifier('envelope'));
    const record = typed
      ? j.tsAsExpression(envelope, j.tsUnionType([j.tsTypeReference(j.identifier('Record'), j.tsTypeParameterInstantiation([j.tsStringKeyword(), j.tsUnknownKeyword()])), j.tsUndefinedKeyword()]))
      : envelope;
    const read = j.optionalMemberExpression(typed ? parenthesize(j, record) : record, j.identifier(key.constant), true, true);
    j(p).replaceWith(typed ? j.tsAsExpression(read, j.tsUnionType([j.tsTypeReference(j.identifier(key.type)), j.tsUndefinedKeyword()])) : read);
    ensureNamedImport(j, root, '@modelcontextprotocol/server', key.constant);
    if (typed) ensureNamedImport(j, root, '@modelcontextprotocol/server', key.type, true);
    changed = true;
  });
  return changed ? root.toSource(printOptions(file.source)) : undefined;
}

function parenthesize(j: API['jscodeshift'], e: any): any {
  return j.parenthesizedExpression ? j.parenthesizedExpression(e) : e;
}

/** The context parameter of the registration callback this call sits in, if any. */
function handlerContext(j: API['jscodeshift'], p: ASTPath<any>): string | undefined {
  for (let cur: ASTPath<any> | null = p.parent; cur; cur = cur.parent) {
    const n = cur.node;
    if (!['ArrowFunctionExpression', 'FunctionExpression'].includes(n.type)) continue;
    const call = cur.parent?.node;
    if (call?.type !== 'CallExpression' || !REGISTRATIONS.test(call.callee?.property?.name ?? '')) continue;
    const param = n.params.find((x: any) => x.type === 'Identifier' && CONTEXT_PARAM.test(x.name));
    return param?.name;
  }
  return undefined;
}
