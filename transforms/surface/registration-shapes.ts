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

/**
 * A value that can only be a description (a string), not a schema or annotations object: a string, a module constant
 * holding one, or a value named like one (`TOOL_DESCRIPTION`, `docs.search`).
 */
function isDescription(n: Node, constants: ReadonlyMap<string, Node>): boolean {
  if (isStringLike(n)) return true;
  const held = n.type === 'Identifier' ? constants.get(n.name) : undefined;
  if (held) return isStringLike(held);
  if (n.type === 'Identifier' || n.type === 'MemberExpression') return /desc|text|summary|title|doc/i.test(lastName(n));
  return n.type === 'CallExpression' && /desc|text|string/i.test(lastName(n.callee));
}

/** An object literal, written in place or held by a module constant: a schema or annotations, never a description. */
function isObjectValue(n: Node, constants: ReadonlyMap<string, Node>): boolean {
  const value = n?.type === 'Identifier' ? (constants.get(n.name) ?? n) : n;
  return value?.type === 'ObjectExpression';
}

/**
 * What v1 took for a raw shape when it told the overloads apart at run time: an empty object, or one holding a
 * built value (`{ city: z.string() }`), written in place.
 */
function isRawShapeLiteral(n: Node): boolean {
  return (
    n?.type === 'ObjectExpression' &&
    !isAnnotations(n) &&
    (n.properties.length === 0 ||
      n.properties.some((p: Node) => /^(?:CallExpression|MemberExpression)$/.test(p.value?.type)))
  );
}

/** The name a value goes by: a variable's, a member's, or that of the function building it (`toolAnnotations(…)`). */
function lastName(n: Node): string {
  if (n?.type === 'Identifier') return n.name;
  if (n?.type === 'MemberExpression') return n.property?.name ?? '';
  if (n?.type === 'CallExpression') return lastName(n.callee);
  return '';
}

/** The parts of a `.tool()` / `.prompt()` / `.resource()` call, or undefined when the arguments fit no v1 overload. */
export function legacyShape(
  kind: string,
  args: Node[],
  constants: ReadonlyMap<string, Node> = new Map()
): LegacyShape | undefined {
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
  // A description comes first when it can only be one, or when what follows fills every other place: three values
  // (description, schema, annotations), or a schema written in place after a value that is no object.
  const first = rest[0];
  const described =
    first !== undefined &&
    (isDescription(first, constants) ||
      (kind === 'tool' && rest.length === 3) ||
      // A prompt's only overload with two values before the callback: description, then arguments.
      (kind === 'prompt' && rest.length === 2) ||
      (rest.length === 2 && !isObjectValue(first, constants) && isRawShapeLiteral(rest[1])));
  if (described) shape.description = rest.shift();
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
export function contextIndex(kind: string, args: Node[], constants: ReadonlyMap<string, Node> = new Map()): number {
  const callback = args[args.length - 1];
  if (!isFunction(callback)) return -1;
  const params = callback.params.length;
  if (kind === 'setRequestHandler') return 1;
  if (LEGACY.has(kind)) {
    const shape = legacyShape(kind, args, constants);
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
