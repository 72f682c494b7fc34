/**
 * How a v1 registration call's arguments line up: `.tool(name, [description], [paramsSchema | annotations],
 * [annotations], callback)`, `.prompt(name, [description], [argsSchema], callback)`, `.resource(name, uriOrTemplate,
 * [metadata], callback)`, and the `register*` forms with a config object. The name may be any expression (a constant,
 * `TOOL_NAMES.search`, a template), and so may the description; an object literal is a schema unless every key is a
 * tool annotation. Used to rewrite `.tool()` & co. and to find where the handler context sits in the callback.
 */
import { isFunction, propertyNamed } from '../kit/ast.js';
import { CONTEXT_MEMBERS, REMOVED_MEMBERS } from './context-map.js';

type Node = any;

export const LEGACY = new Set(['tool', 'prompt', 'resource']);
export const MODERN = new Set(['registerTool', 'registerPrompt', 'registerResource']);

/** The v2 method that replaces a v1 one: `tool` → `registerTool`. */
export function registerOf(kind: string): string {
  return `register${kind[0]!.toUpperCase()}${kind.slice(1)}`;
}

const ANNOTATION_KEYS = new Set(['title', 'readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint']);

export interface LegacyShape {
  name: Node;
  description?: Node;
  schema?: Node;
  annotations?: Node;
  /** resource: the uri string or ResourceTemplate, and the metadata object. */
  uri?: Node;
  metadata?: Node;
  callback: Node;
}

function isStringLike(n: Node): boolean {
  if (!n) return false;
  if (
    n.type === 'StringLiteral' ||
    (n.type === 'Literal' && typeof n.value === 'string') ||
    n.type === 'TemplateLiteral'
  )
    return true;
  return n.type === 'BinaryExpression' && n.operator === '+' && (isStringLike(n.left) || isStringLike(n.right));
}

/**
 * Annotation keys with annotation values: `{ title: z.string() }` is a raw shape with a `title` parameter (v1 told
 * them apart by the values being zod types), and a built value (a call) is never a hint or a title.
 */
function isAnnotations(n: Node): boolean {
  if (n?.type !== 'ObjectExpression' || n.properties.length === 0) return false;
  return n.properties.every(
    (p: Node) =>
      !p.computed &&
      ANNOTATION_KEYS.has(p.key?.name ?? p.key?.value) &&
      !/^(?:CallExpression|OptionalCallExpression|NewExpression)$/.test(p.value?.type)
  );
}

/** A value that can only be a description (a string), not a schema or annotations object. */
function isDescription(n: Node): boolean {
  if (isStringLike(n)) return true;
  if (n.type === 'Identifier' || n.type === 'MemberExpression') return /desc|text|summary|title|doc/i.test(lastName(n));
  return n.type === 'CallExpression' && /desc|text|string/i.test(lastName(n.callee));
}

/** The name a value goes by: a variable's, a member's, or that of the function building it (`toolAnnotations(…)`). */
function lastName(n: Node): string {
  if (n?.type === 'Identifier') return n.name;
  if (n?.type === 'MemberExpression') return n.property?.name ?? '';
  if (n?.type === 'CallExpression') return lastName(n.callee);
  return '';
}

/** The parts of a `.tool()` / `.prompt()` / `.resource()` call, or undefined when the arguments fit no v1 overload. */
export function legacyShape(kind: string, args: Node[]): LegacyShape | undefined {
  const callback = args[args.length - 1];
  if (args.length < 2 || !callback || callback.type === 'ObjectExpression' || isStringLike(callback)) return undefined;
  const [name, ...middle] = args.slice(0, -1);
  if (!name || name.type === 'ObjectExpression' || isFunction(name) || middle.some(isFunction)) return undefined;
  if (kind === 'resource') {
    if (middle.length === 1) return { name, uri: middle[0], callback };
    if (middle.length === 2) return { name, uri: middle[0], metadata: middle[1], callback };
    return undefined;
  }
  const shape: LegacyShape = { name, callback };
  const rest = [...middle];
  if (rest.length && isDescription(rest[0])) shape.description = rest.shift();
  if (kind === 'prompt') {
    if (rest.length > 1) return undefined;
    shape.schema = rest[0];
    return shape;
  }
  if (rest.length === 1) {
    if (isAnnotations(rest[0]) || /annotation|hints?$/i.test(lastName(rest[0]))) shape.annotations = rest[0];
    else shape.schema = rest[0];
  } else if (rest.length === 2) {
    shape.schema = rest[0];
    shape.annotations = rest[1];
  } else if (rest.length > 2) return undefined;
  return shape;
}

/** Where the handler context is among a registration callback's parameters (-1 when unknown). */
export function contextIndex(kind: string, args: Node[]): number {
  const callback = args[args.length - 1];
  if (!isFunction(callback)) return -1;
  const params = callback.params.length;
  if (kind === 'setRequestHandler') return 1;
  if (LEGACY.has(kind)) {
    const shape = legacyShape(kind, args);
    if (!shape) return -1;
    if (kind === 'resource') return resourceIndex(shape.uri, callback);
    return shape.schema ? 1 : 0;
  }
  if (kind === 'registerResource') return resourceIndex(args[1], callback);
  const config = args[1];
  if (config?.type === 'ObjectExpression')
    return propertyNamed(config, kind === 'registerPrompt' ? 'argsSchema' : 'inputSchema') ? 1 : 0;
  return params >= 2 ? 1 : 0;
}

function resourceIndex(uri: Node, callback: Node): number {
  const params = callback.params.length;
  if (isStringLike(uri)) return 1;
  if (uri?.type === 'NewExpression' && uri.callee?.name === 'ResourceTemplate') return 2;
  if (params >= 3) return 2;
  // `(uri, params) => … params.taskId` with a template built elsewhere (`ResourceTemplates.TASK`): the second
  // parameter is the template's variables (v1 handed the context third), told by its name or by what it destructures.
  return params === 2 && templateVariables(callback.params[1]) ? -1 : 1;
}

/** v2's own context members and v1's that stay by name (context-map.ts has the ones that move or go). */
const KEPT_CONTEXT_KEYS = new Set(['sessionId', 'mcpReq', 'http']);

/** A member of a handler context, v1's (kept, moved or removed in v2) or v2's. */
function isContextKey(key: string): boolean {
  return Object.hasOwn(CONTEXT_MEMBERS, key) || Object.hasOwn(REMOVED_MEMBERS, key) || KEPT_CONTEXT_KEYS.has(key);
}

function templateVariables(param: Node): boolean {
  if (param?.type === 'ObjectPattern')
    return param.properties.some((p: Node) => p.key?.type === 'Identifier' && !isContextKey(p.key.name));
  return (
    param?.type === 'Identifier' &&
    /^(?:params|variables|vars|templateParams|templateVariables|match|parts|values|segments)$/i.test(param.name)
  );
}
