/**
 * `server.registerTool(name, config, callback)` calls, and the text edits that give a tool one more required
 * string argument: in its input schema (zod object, raw zod shape, JSON Schema literal, `fromJsonSchema(...)`,
 * or none yet) and in its callback's parameters.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { isFunction, isValueReference, moduleConstants, propertyNamed, uncast } from './ast.js';
import type { TextEdit } from './text-edits.js';

type Node = any;

export interface ToolRegistration {
  path: ASTPath<any>;
  name: string;
  /** Source text of the object registerTool is called on (`server`, `this.server`). */
  server: string;
  config?: Node;
  callback: Node;
  /** The callback's context parameter name, if it declares one. */
  ctxName?: string;
  /**
   * A low-level server's `tools/call` handler answering this tool in one branch (push-to-input-required's
   * low-level-tools.ts): the branch's block, and what the call's arguments are read as. Its handler takes
   * `(request, ctx)` whatever the tool's schema.
   */
  body?: Node;
  args?: string;
  lowLevel?: boolean;
  /** Where a prompt's or resource's callback takes its context (push-to-input-required's prompt-resource-handlers.ts). */
  contextAt?: number;
}

export function toolRegistrations(j: JSCodeshift, root: Collection<any>, src: string): ToolRegistration[] {
  const found: ToolRegistration[] = [];
  const constants = constantArguments(j, root);
  root
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'registerTool' } } })
    .forEach((p: ASTPath<any>) => {
      const args = p.node.arguments;
      const callback = tracedHandler(args[args.length - 1]);
      // `registerTool(name, config, cb)` with `const name = '…'` and `const config = { … }` beside it (the official
      // servers' tool modules) reads the same as the literals written in place.
      const name = constants.resolve(args[0]);
      if (args.length < 2 || !isFunction(callback) || !isStringValue(name)) return;
      const declared = args.length >= 3 ? constants.resolve(args[1]) : undefined;
      const config = declared?.type === 'ObjectExpression' ? declared : undefined;
      const hasSchema = !!(config && property(config, 'inputSchema'));
      const ctxParam = callback.params[hasSchema ? 1 : 0];
      found.push({
        path: p,
        name: name.value,
        server: src.slice(p.node.callee.object.start, p.node.callee.object.end),
        config,
        callback,
        ctxName: ctxParam?.type === 'Identifier' ? ctxParam.name : undefined
      });
    });
  return found;
}

/**
 * The tool's callback, also inside the span the logging rewrite wraps it in (`withMcpSpan('tools/call', 'x', async
 * (args, ctx) => …)`, same signature): the rewrites after it read and edit the callback itself.
 */
export function tracedHandler(arg: Node): Node {
  return isSpanWrapper(arg) ? arg.arguments.at(-1) : arg;
}

/** What the logging rewrite's generated tracing module exports: the span around a handler, and a log line's event. */
export const TRACING_EXPORTS = { span: 'withMcpSpan', log: 'mcpLog', logMessage: 'mcpLogMessage' } as const;

/** `withMcpSpan(method, target, handler)`: the logging rewrite's span around a handler. */
export function isSpanWrapper(n: Node): boolean {
  return isCallOf(n, TRACING_EXPORTS.span) && isFunction(n.arguments.at(-1));
}

/** `mcpLog(level, data)`: a former log call, now an event on the request's span. */
export function isSpanEvent(n: Node): boolean {
  return isCallOf(n, TRACING_EXPORTS.log);
}

function isCallOf(n: Node, name: string): boolean {
  return n?.type === 'CallExpression' && n.callee.type === 'Identifier' && n.callee.name === name;
}

// The TypeScript grammar gives StringLiteral, jscodeshift's JavaScript one an estree Literal.
function isStringValue(n: Node): boolean {
  return (n?.type === 'StringLiteral' || n?.type === 'Literal') && typeof n.value === 'string';
}

/**
 * Module-level `const x = <string or object literal>`: an argument naming one stands for the literal (an object
 * only when nothing else names it, so editing it in place changes no other tool).
 */
function constantArguments(j: JSCodeshift, root: Collection<any>): { resolve(arg: Node): Node } {
  const values = new Map(
    [...moduleConstants(root.get().node.program, { exported: false })].filter(
      ([, init]) => isStringValue(init) || uncast(init).type === 'ObjectExpression'
    )
  );
  const uses = new Map<string, number>();
  // Tables whose entries some statement writes (`TOOLS.x = …`): they do not hold one value.
  const written = new Set<string>();
  if (values.size > 0)
    root.find(j.Identifier).forEach((p: ASTPath<any>) => {
      if (!values.has(p.node.name) || !isValueReference(p)) return;
      uses.set(p.node.name, (uses.get(p.node.name) ?? 0) + 1);
      const member = p.parent?.node;
      const write = p.parent?.parent?.node;
      if (member?.type === 'MemberExpression' && member.object === p.node && write?.left === member)
        written.add(p.node.name);
    });
  return {
    resolve(arg: Node): Node {
      // `CORE_TOOLS.list_teams`, with `const CORE_TOOLS = { list_teams: 'core_list_teams', … }` (maybe `as const`):
      // a table of tool names reads as the string it holds.
      if (arg?.type === 'MemberExpression' && !arg.computed && arg.object.type === 'Identifier') {
        const table = written.has(arg.object.name) ? undefined : uncast(values.get(arg.object.name));
        const held = table?.type === 'ObjectExpression' ? propertyNamed(table, arg.property.name)?.value : undefined;
        return isStringValue(held) ? held : arg;
      }
      if (arg?.type !== 'Identifier' || !values.has(arg.name)) return arg;
      const value = values.get(arg.name);
      // A string is the same wherever it is read; an object is edited in place only if nothing else reads it (two
      // mentions: the declaration and this argument).
      return isStringValue(value) || uses.get(arg.name) === 2 ? value : arg;
    }
  };
}

export function property(obj: Node, key: string): Node | undefined {
  return propertyNamed(obj, key);
}

export interface SchemaStyle {
  /** The zod namespace the file already uses (`z`), when it has one. */
  zod?: string;
  quote: string;
  /** TypeScript: a generated `fromJsonSchema` gets a type argument so the callback's arguments are typed. */
  typed?: boolean;
}

/**
 * Edits adding a required string property `arg` to the tool's input schema, or a reason it cannot be done.
 * `fromJsonSchema` tells the caller the generated code needs that import.
 */
export function addSchemaArgument(
  src: string,
  tool: ToolRegistration,
  arg: string,
  description: string,
  style: SchemaStyle
): { edits: TextEdit[]; needs?: 'fromJsonSchema' } | string {
  const q = style.quote;
  const describe = `${q}${description.replace(new RegExp(q, 'g'), `\\${q}`)}${q}`;
  const zodProp = (z: string) => `${arg}: ${z}.string().describe(${describe})`;
  const jsonProp = `${arg}: { type: ${q}string${q}, description: ${describe} }`;
  const schema = tool.config && property(tool.config, 'inputSchema')?.value;
  if (!tool.config) return 'the tool has no config object to declare an input schema in';
  if (!schema) {
    const typeArg = style.typed ? `<{ ${arg}: string }>` : '';
    const text = style.zod
      ? `inputSchema: ${style.zod}.object({ ${zodProp(style.zod)} })`
      : `inputSchema: fromJsonSchema${typeArg}({ type: ${q}object${q}, properties: { ${jsonProp} }, required: [${q}${arg}${q}] })`;
    return { edits: [insertProperty(src, tool.config, text, true)], needs: style.zod ? undefined : 'fromJsonSchema' };
  }
  if (
    schema.type === 'CallExpression' &&
    schema.callee.type === 'MemberExpression' &&
    schema.callee.property.name === 'object' &&
    schema.arguments[0]?.type === 'ObjectExpression'
  ) {
    const z = src.slice(schema.callee.object.start, schema.callee.object.end);
    return { edits: [insertProperty(src, schema.arguments[0], zodProp(z))] };
  }
  if (
    schema.type === 'CallExpression' &&
    schema.callee.type === 'Identifier' &&
    schema.callee.name === 'fromJsonSchema' &&
    schema.arguments[0]?.type === 'ObjectExpression'
  ) {
    const edits = jsonSchemaEdits(src, schema.arguments[0], arg, jsonProp, q);
    // `fromJsonSchema<{ … }>(…)` types the callback's arguments: the new one joins the type too.
    const typeArg = schema.typeParameters?.params?.[0] ?? schema.typeArguments?.params?.[0];
    if (typeof edits === 'string' || !typeArg) return edits;
    if (typeArg.type !== 'TSTypeLiteral')
      return "the schema's type argument is a named type; add the argument to it by hand";
    return { edits: [...edits.edits, typeMemberEdit(typeArg, arg)] };
  }
  if (schema.type === 'ObjectExpression') {
    if (property(schema, 'type') || property(schema, 'properties'))
      return jsonSchemaEdits(src, schema, arg, jsonProp, q);
    const z = zodNamespaceOf(schema) ?? style.zod;
    if (!z) return 'the input schema is an object literal that is neither a zod shape nor a JSON Schema';
    // A raw shape is deprecated in v2: wrap it while adding the argument.
    return {
      edits: [
        { start: schema.start, end: schema.start, text: `${z}.object(` },
        insertProperty(src, schema, zodProp(z)),
        { start: schema.end, end: schema.end, text: ')' }
      ]
    };
  }
  return 'the input schema is built elsewhere; add the argument to it by hand';
}

function jsonSchemaEdits(
  src: string,
  schema: Node,
  arg: string,
  jsonProp: string,
  q: string
): { edits: TextEdit[] } | string {
  const props = property(schema, 'properties')?.value;
  const required = property(schema, 'required')?.value;
  if (props && props.type !== 'ObjectExpression') return "the schema's properties are built elsewhere";
  if (required && required.type !== 'ArrayExpression') return "the schema's required list is built elsewhere";
  const edits: TextEdit[] = [];
  edits.push(props ? insertProperty(src, props, jsonProp) : insertProperty(src, schema, `properties: { ${jsonProp} }`));
  if (required) {
    const first = required.elements[0];
    edits.push(
      first
        ? { start: first.start, end: first.start, text: `${q}${arg}${q}, ` }
        : { start: required.start, end: required.end, text: `[${q}${arg}${q}]` }
    );
  } else {
    edits.push(insertProperty(src, schema, `required: [${q}${arg}${q}]`, true));
  }
  return { edits };
}

/** `{ a: string }` → `{ <arg>: string; a: string }`. */
function typeMemberEdit(literal: Node, arg: string): TextEdit {
  const first = literal.members[0];
  return first
    ? { start: first.start, end: first.start, text: `${arg}: string; ` }
    : { start: literal.start, end: literal.end, text: `{ ${arg}: string }` };
}

/** The zod namespace of a raw shape's values (`{ a: z.string() }` → `z`). */
function zodNamespaceOf(shape: Node): string | undefined {
  for (const p of shape.properties ?? []) {
    let n = p.value;
    while (n && (n.type === 'CallExpression' || n.type === 'MemberExpression'))
      n = n.type === 'CallExpression' ? n.callee : n.object;
    if (n?.type === 'Identifier') return n.name;
  }
  return undefined;
}

/**
 * Inserts `text` as the first (or last) property of an object literal, following its layout: on its own line
 * when the properties are one per line, inline otherwise.
 */
export function insertProperty(src: string, obj: Node, text: string, last = false): TextEdit {
  const props = obj.properties ?? [];
  if (props.length === 0) return { start: obj.start, end: obj.end, text: `{ ${text} }` };
  const anchor = last ? props[props.length - 1] : props[0];
  const lineStart = src.lastIndexOf('\n', anchor.start - 1) + 1;
  const ownLine = /^[ \t]*$/.test(src.slice(lineStart, anchor.start));
  if (last) {
    const after = src.slice(anchor.end).match(/^\s*,/);
    const at = after ? anchor.end + after[0].length : anchor.end;
    return ownLine
      ? {
          start: at,
          end: at,
          text: `${after ? '' : ','}\n${src.slice(lineStart, anchor.start)}${text}${after ? ',' : ''}`
        }
      : { start: at, end: at, text: `${after ? '' : ','} ${text}` };
  }
  return ownLine
    ? { start: anchor.start, end: anchor.start, text: `${text},\n${src.slice(lineStart, anchor.start)}` }
    : { start: anchor.start, end: anchor.start, text: `${text}, ` };
}

/**
 * Edits so the callback receives `arg` and a context parameter; returns the expressions that read them.
 * v2 passes `(args, ctx)` when the tool has an input schema and `(ctx)` when it has none, so a tool that gains
 * its first schema gains an args parameter in front.
 */
export function addCallbackArgument(
  src: string,
  tool: ToolRegistration,
  arg: string,
  hadSchema: boolean
): { edits: TextEdit[]; handle: string; ctx: string } | string {
  const cb = tool.callback;
  const params: Node[] = cb.params;
  const argsParam = hadSchema ? params[0] : undefined;
  const ctxParam = params[hadSchema ? 1 : 0];
  if (ctxParam && ctxParam.type !== 'Identifier') return "the tool callback's context parameter is destructured";
  if (argsParam && argsParam.type !== 'Identifier' && argsParam.type !== 'ObjectPattern')
    return "the tool callback's first parameter is not a plain name or object pattern";
  const ctx = ctxParam?.name ?? 'ctx';
  let handle = arg;
  const edits: TextEdit[] = [];
  if (params.length === 0) {
    const open = src.indexOf('(', cb.start) + 1;
    return { edits: [{ start: open, end: open, text: `{ ${arg} }, ${ctx}` }], handle, ctx };
  }
  const [open, close] = isBareArrowParameter(src, cb) ? ['(', ')'] : ['', ''];
  if (!hadSchema) {
    edits.push({ start: params[0].start, end: params[0].start, text: `${open}{ ${arg} }, ` });
    if (close) edits.push({ start: params[0].end, end: params[0].end, text: close });
    return { edits, handle, ctx };
  }
  const annotation = argsParam.typeAnnotation?.typeAnnotation;
  if (annotation && annotation.type !== 'TSTypeLiteral')
    return "the tool callback's arguments are annotated with a named type; add the argument to it by hand";
  if (annotation) edits.push(typeMemberEdit(annotation, arg));
  if (argsParam.type === 'ObjectPattern') {
    const first = argsParam.properties[0];
    edits.push(
      first
        ? { start: first.start, end: first.start, text: `${arg}, ` }
        : {
            start: argsParam.start,
            end: argsParam.typeAnnotation ? argsParam.typeAnnotation.start : argsParam.end,
            text: `{ ${arg} }`
          }
    );
  } else {
    handle = `${argsParam.name}.${arg}`;
  }
  const end = argsParam.typeAnnotation ? argsParam.typeAnnotation.end : argsParam.end;
  if (open) edits.push({ start: argsParam.start, end: argsParam.start, text: open });
  if (!ctxParam || close) edits.push({ start: end, end, text: `${ctxParam ? '' : `, ${ctx}`}${close}` });
  return { edits, handle, ctx };
}

/**
 * The callback's context parameter, added as `ctx` when it has none: v2 passes `(args, ctx)` to a tool with an
 * input schema and `(ctx)` to one without.
 */
export function contextParameter(src: string, tool: ToolRegistration): { edits: TextEdit[]; name: string } | string {
  if (tool.ctxName) return { edits: [], name: tool.ctxName };
  if (tool.contextAt === 2) return thirdContextParameter(tool.callback);
  const hasSchema =
    tool.contextAt !== undefined
      ? tool.contextAt === 1
      : tool.lowLevel || !!(tool.config && property(tool.config, 'inputSchema'));
  return addedContextParameter(src, tool.callback, hasSchema);
}

/**
 * A `ctx` parameter for a callback that has none where the context goes: second after the arguments (a tool with a
 * schema, a low-level handler's `request`), else first; or why not.
 */
export function addedContextParameter(
  src: string,
  cb: Node,
  hasSchema: boolean
): { edits: TextEdit[]; name: string } | string {
  const params: Node[] = cb.params;
  const at = hasSchema ? 1 : 0;
  if (params[at]) return 'its context parameter is destructured';
  if (hasSchema && !params[0]) {
    const open = src.indexOf('(', cb.start) + 1;
    return { edits: [{ start: open, end: open, text: '_args, ctx' }], name: 'ctx' };
  }
  if (!hasSchema) {
    const open = src.indexOf('(', cb.start) + 1;
    return { edits: [{ start: open, end: open, text: 'ctx' }], name: 'ctx' };
  }
  const first = params[0];
  const end = first.typeAnnotation ? first.typeAnnotation.end : first.end;
  if (isBareArrowParameter(src, cb))
    return {
      edits: [
        { start: first.start, end: first.start, text: '(' },
        { start: end, end, text: ', ctx)' }
      ],
      name: 'ctx'
    };
  return { edits: [{ start: end, end, text: ', ctx' }], name: 'ctx' };
}

/** A resource template's callback takes the context third, after the URI and its variables: added after both. */
function thirdContextParameter(cb: Node): { edits: TextEdit[]; name: string } | string {
  const params: Node[] = cb.params;
  if (params.length !== 2) return 'it does not take the template variables, after which the context comes';
  const second = params[1];
  const end = second.typeAnnotation ? second.typeAnnotation.end : second.end;
  return { edits: [{ start: end, end, text: ', ctx' }], name: 'ctx' };
}

/** A single unparenthesised arrow parameter (`async ctx => …`): it needs parentheses once a second one joins it. */
function isBareArrowParameter(src: string, cb: Node): boolean {
  return (
    cb.type === 'ArrowFunctionExpression' &&
    cb.params.length === 1 &&
    !/\(\s*$/.test(src.slice(cb.start, cb.params[0].start))
  );
}

const HANDLER_REGISTRATION = /^(?:register(?:Tool|Prompt|Resource)|tool|prompt|resource|setRequestHandler)$/;

/**
 * Inside a callback handed to a register* / setRequestHandler call (a tool, prompt, resource or low-level handler): code
 * that runs while the server serves a request. A registration there (`add_note` registering a resource for the note it
 * adds) grows a list after clients have read it, on the server that one request was served with.
 */
export function insideRequestHandler(p: ASTPath<any>): boolean {
  for (let cur = p.parent; cur; cur = cur.parent) {
    const n = cur.node;
    if (n.type === 'CallExpression' && n.callee.type === 'MemberExpression')
      if (HANDLER_REGISTRATION.test(n.callee.property?.name ?? '')) return true;
  }
  return false;
}
