/**
 * zod 3 idioms that keep a migrated package on zod 3 (and so keep its v2 server from listing tools), ported where the
 * new spelling means the same in zod 3 and zod 4, so the port is safe before the upgrade and the package moves to zod
 * 4 when nothing else blocks it:
 * - `z.record(valueSchema)` → `z.record(z.string(), valueSchema)` (zod 4 takes the key schema first);
 * - `error.errors` → `error.issues` where `error` is known to be a ZodError (`if (error instanceof z.ZodError)`): zod
 *   4 dropped the `errors` alias of `issues`.
 * And, whenever the package moves to zod 4, `z.union([A, z.undefined()])` → `A.optional()`: zod 3 let such a key
 * be left out, zod 4 requires it, and zod 4's JSON Schema conversion (which the v2 server lists tools with) throws on
 * `z.undefined()`, so one such schema fails every `tools/list`. JSON carries no `undefined`: the two accept the same.
 * Likewise `z.coerce.date()` / `z.coerce.bigint()`, which that conversion throws on too, take their JSON input
 * through a pipe (`portCoercions`). `z.string().ip()` / `.cidr()`, which zod 4 removed with no spelling both majors
 * read, take zod 4's formats, a port kept only with the upgrade (`portIpFormats`).
 * Found on the syntax tree (names the file takes from zod, or `zod_1.z` as compiled CommonJS reads it); text that
 * does not parse is left alone.
 */
import { parse } from '@babel/parser';
import { propertyKey } from '../transforms/kit/ast.js';
import { babelOptions } from '../transforms/kit/grammar.js';
import { applyEdits, type TextEdit } from '../transforms/kit/text-edits.js';
import { visit } from '../transforms/kit/raw-walk.js';
import { textAsMigrated } from './package-text.js';
import { importsPackage } from './sdk-imports.js';
import type { FileResult } from './types.js';
import { zodUpgradeFor, type ZodUpgrade } from './zod-upgrade.js';

/** The id a ported file reports among its rewrites. */
export const ZOD_RECORD_PORT = 'zod-4';

/** A package file whose zod 3 idioms were ported: its text before (as this run leaves it) and after. */
export interface PortedFile {
  file: string;
  input: string;
  output: string;
}

/**
 * The zod upgrade of a package, after porting its zod 3 idioms when that is what blocks it. The
 * ports are kept only when they make the upgrade safe: a package that stays on zod 3 for another reason is not
 * edited for nothing.
 */
export function zodUpgradeWithPorts(
  manifest: string,
  files: string[],
  outputs: Map<string, string>
): ZodUpgrade & { ported: PortedFile[] } {
  const upgrade = zodUpgradeFor(manifest, files, outputs);
  if (upgrade.safe) return { ...upgrade, ported: jsonSchemaPorts(files, outputs, []) };
  const ported: PortedFile[] = [];
  for (const file of files) {
    const input = textAsMigrated(file, outputs);
    if (input === undefined || !importsPackage(input, 'zod')) continue;
    const common = portZod3(file, input);
    const output = portIpFormats(file, common ?? input) ?? common;
    if (output !== undefined) ported.push({ file, input, output });
  }
  if (ported.length === 0) return { ...upgrade, ported: [] };
  const after = zodUpgradeFor(manifest, files, new Map([...outputs, ...ported.map(p => [p.file, p.output] as const)]));
  return after.safe ? { ...after, ported: jsonSchemaPorts(files, outputs, ported) } : { ...upgrade, ported: [] };
}

/**
 * `ported` with every file of the package whose schemas zod 4 could not list made listable: unions with `undefined`
 * moved to `.optional()`, coerced dates and bigints taken through a pipe.
 */
function jsonSchemaPorts(files: string[], outputs: Map<string, string>, ported: PortedFile[]): PortedFile[] {
  const all = [...ported];
  for (const file of files) {
    const earlier = all.find(p => p.file === file);
    const input = earlier?.input ?? textAsMigrated(file, outputs);
    if (input === undefined || !importsPackage(input, 'zod')) continue;
    const unions = portUndefinedUnions(file, earlier?.output ?? input);
    const output = portCoercions(file, unions ?? earlier?.output ?? input) ?? unions;
    if (output === undefined) continue;
    if (earlier) earlier.output = output;
    else all.push({ file, input, output });
  }
  return all;
}

/** `z.union([A, z.undefined()])` → `A.optional()`, `z.union([A, B, z.undefined()]).optional()` → `z.union([A, B]).optional()`. */
export function portUndefinedUnions(file: string, text: string): string | undefined {
  // Nested unions: each pass ports the outermost ones, whose new text still holds the inner ones for the next.
  let out: string | undefined;
  for (let pass = 0; pass < 8; pass++) {
    const next = portOutermostUndefinedUnions(file, out ?? text);
    if (next === undefined) break;
    out = next;
  }
  return out;
}

function portOutermostUndefinedUnions(file: string, text: string): string | undefined {
  if (!/\.undefined\s*\(\s*\)/.test(text)) return undefined;
  const zod = zodProgram(file, text);
  if (!zod) return undefined;
  const { names, modules, ast } = zod;
  const edits: TextEdit[] = [];
  const src = (n: any) => text.slice(n.start, n.end);
  const optionalCallOn = new Map<any, any>();
  visit(ast.program, node => {
    const callee = node.type === 'CallExpression' && node.arguments.length === 0 ? node.callee : undefined;
    if (callee?.type === 'MemberExpression' && !callee.computed && callee.property.name === 'optional')
      optionalCallOn.set(callee.object, node);
  });
  visit(ast.program, node => {
    if (node.type !== 'CallExpression' || node.arguments.length !== 1) return;
    const callee = node.callee;
    if (callee?.type !== 'MemberExpression' || callee.computed || callee.property.name !== 'union') return;
    if (!isZod(callee.object, names, modules) || node.arguments[0].type !== 'ArrayExpression') return;
    const elements: any[] = node.arguments[0].elements;
    const isUndefined = (e: any) =>
      e?.type === 'CallExpression' &&
      e.arguments.length === 0 &&
      e.callee.type === 'MemberExpression' &&
      !e.callee.computed &&
      e.callee.property.name === 'undefined' &&
      isZod(e.callee.object, names, modules);
    const kept = elements.filter(e => !isUndefined(e));
    if (kept.length === elements.length || kept.length === 0 || kept.some(e => !e || e.type === 'SpreadElement'))
      return;
    // An inner union inside a kept element is ported by the next pass, on the text this one writes.
    if (edits.some(e => e.start < node.end && node.start < e.end)) return;
    const inner = kept.length === 1 ? src(kept[0]) : `${src(callee.object)}.union([${kept.map(src).join(', ')}])`;
    const whole = optionalCallOn.get(node) ?? node;
    edits.push({ start: whole.start, end: whole.end, text: `${inner}.optional()` });
  });
  return edits.length ? applyEdits(text, edits) : undefined;
}

/**
 * `z.coerce.date()` → `z.union([z.string(), z.number()]).pipe(z.coerce.date())` (and `bigint` alike): zod 4's JSON
 * Schema conversion throws on a Date or a BigInt, so one such field fails every `tools/list`; the input a tool gets
 * as JSON is a string or a number, which the pipe's input side describes and the coercion still turns into a Date.
 * A value of any other JSON type, which `new Date(value)` took before, is now refused by the schema.
 */
export function portCoercions(file: string, text: string): string | undefined {
  if (!/\.coerce\s*\.\s*(?:date|bigint)\s*\(\s*\)/.test(text)) return undefined;
  const zod = zodProgram(file, text);
  if (!zod) return undefined;
  const { names, modules, ast } = zod;
  const edits: TextEdit[] = [];
  visit(ast.program, (node, parent) => {
    const callee = node.type === 'CallExpression' && node.arguments.length === 0 ? node.callee : undefined;
    if (callee?.type !== 'MemberExpression' || callee.computed || !/^(?:date|bigint)$/.test(callee.property.name))
      return;
    // Already the output side of a pipe (`….pipe(z.coerce.date())`): ported, or written that way.
    if (parent?.type === 'CallExpression' && parent.callee?.property?.name === 'pipe') return;
    const coerce = callee.object;
    if (coerce.type !== 'MemberExpression' || coerce.computed || coerce.property.name !== 'coerce') return;
    if (!isZod(coerce.object, names, modules)) return;
    const zod = text.slice(coerce.object.start, coerce.object.end);
    const coerced = text.slice(node.start, node.end);
    edits.push({
      start: node.start,
      end: node.end,
      text: `${zod}.union([${zod}.string(), ${zod}.number()]).pipe(${coerced})`
    });
  });
  return edits.length ? applyEdits(text, edits) : undefined;
}

/** The file's names for zod and its syntax tree, when it takes something from zod and parses. */
function zodProgram(file: string, text: string): { names: Set<string>; modules: Set<string>; ast: any } | undefined {
  const { names, modules } = zodBindings(text);
  if (names.size === 0 && modules.size === 0) return undefined;
  const ast = parsed(file, text);
  return ast ? { names, modules, ast } : undefined;
}

function parsed(file: string, text: string): any {
  try {
    return parse(text, babelOptions(file, { errorRecovery: false }));
  } catch {
    return undefined;
  }
}

/** `import { z } from 'zod'`, `import * as z`, `import z`, `import { z as zod }` (not `zod/v4`: zod 4's API). */
const ESM_IMPORT = /\bimport\s+([\w$]+\s*,?\s*)?(?:\*\s*as\s+([\w$]+)|\{([^}]*)\})?\s*from\s*(['"])zod\4/g;
/** `const zod_1 = require("zod")` (compiled: `zod_1.z.record`) and `const { z } = require('zod')`. */
const CJS_REQUIRE = /\b(?:const|let|var)\s+(?:([\w$]+)|\{([^}]*)\})\s*=\s*require\s*\(\s*(['"])zod\3\s*\)/g;

/**
 * The files the manifest edits ported, as the run's file results: a file a rewrite already changed gets the ported
 * text as its output, any other file of the package becomes a changed file of its own.
 */
export function addPortedFiles(results: FileResult[], ported: PortedFile[]): void {
  for (const p of ported) {
    const existing = results.find(r => r.file === p.file);
    if (existing) {
      existing.input ??= p.input;
      existing.output = p.output;
      existing.changed = true;
      existing.transforms.push(ZOD_RECORD_PORT);
    } else
      results.push({
        file: p.file,
        changed: true,
        transforms: [ZOD_RECORD_PORT],
        diagnostics: [],
        input: p.input,
        output: p.output
      });
  }
}

export function portZod3(file: string, text: string): string | undefined {
  if (!/\.record\s*\(|\bZodError\b|\bobject(?:Out|In)putType\b/.test(text)) return undefined;
  const zod = zodProgram(file, text);
  if (!zod) return undefined;
  const { names, modules, ast } = zod;
  const edits: TextEdit[] = [];
  visit(ast.program, node => {
    for (const p of zodErrorsRead(node, names, modules)) edits.push({ start: p.start, end: p.end, text: 'issues' });
    const helper = objectTypeHelper(node, names, text);
    if (helper) edits.push(helper);
    if (node.type !== 'CallExpression' || node.arguments.length !== 1) return;
    const callee = node.callee;
    if (callee?.type !== 'MemberExpression' || callee.computed || callee.property.name !== 'record') return;
    if (!isZod(callee.object, names, modules) || node.arguments[0].type === 'SpreadElement') return;
    const at = node.arguments[0].start;
    edits.push({ start: at, end: at, text: `${text.slice(callee.object.start, callee.object.end)}.string(), ` });
  });
  return edits.length ? applyEdits(text, edits) : undefined;
}

/**
 * `z.objectOutputType<Shape, z.ZodTypeAny>` → `z.output<z.ZodObject<Shape>>` (`objectInputType` → `z.input`): the
 * v1 SDK's own ToolCallback spelled a tool's arguments so, and code typed after it; zod 4 dropped the helper, and
 * with the catch-all every object has (ZodTypeAny adds no index signature) both majors read the new spelling alike.
 */
function objectTypeHelper(node: any, names: Set<string>, text: string): TextEdit | undefined {
  if (node.type !== 'TSTypeReference' || node.typeName?.type !== 'TSQualifiedName') return undefined;
  const { left, right } = node.typeName;
  const io = right.name === 'objectOutputType' ? 'output' : right.name === 'objectInputType' ? 'input' : undefined;
  if (!io || left.type !== 'Identifier' || !names.has(left.name)) return undefined;
  const args: any[] = (node.typeParameters ?? node.typeArguments)?.params ?? [];
  const catchAll = args[1];
  const plain =
    catchAll?.type === 'TSTypeReference' &&
    ((catchAll.typeName.type === 'TSQualifiedName' &&
      catchAll.typeName.left.name === left.name &&
      catchAll.typeName.right.name === 'ZodTypeAny') ||
      (catchAll.typeName.type === 'Identifier' && catchAll.typeName.name === 'ZodTypeAny'));
  if (args.length !== 2 || !plain) return undefined;
  const shape = text.slice(args[0].start, args[0].end);
  return { start: node.start, end: node.end, text: `${left.name}.${io}<${left.name}.ZodObject<${shape}>>` };
}

const IP_FORMATS: Record<string, [v4: string, v6: string]> = { ip: ['ipv4', 'ipv6'], cidr: ['cidrv4', 'cidrv6'] };
/** What may follow the port: methods a union has as well as a string schema. */
const SCHEMA_METHODS = /^(?:describe|optional|nullable|nullish|array|default|or|meta)$/;

/**
 * `z.string().ip()` → `z.union([z.ipv4(), z.ipv6()])` (`{ version: 'v4' }` → `z.ipv4()`), `.cidr()` alike: zod 4
 * removed the string methods for the top-level formats, and no spelling means the same in both majors, so this
 * port is only ever kept with the upgrade (see zodUpgradeWithPorts). Only on a bare `z.string()` whose result
 * is not read as a string schema afterwards (`.min(…)` on the union would not exist); other uses keep the block.
 */
export function portIpFormats(file: string, text: string): string | undefined {
  if (!/\.(?:ip|cidr)\s*\(/.test(text)) return undefined;
  const zod = zodProgram(file, text);
  if (!zod) return undefined;
  const { names, modules, ast } = zod;
  const edits: TextEdit[] = [];
  visit(ast.program, (node, parent) => {
    const callee = node.type === 'CallExpression' ? node.callee : undefined;
    const formats = callee?.type === 'MemberExpression' && !callee.computed && IP_FORMATS[callee.property.name];
    if (!formats || node.arguments.length > 1) return;
    const string = callee.object;
    const bare =
      string.type === 'CallExpression' &&
      string.arguments.length === 0 &&
      string.callee.type === 'MemberExpression' &&
      !string.callee.computed &&
      string.callee.property.name === 'string' &&
      isZod(string.callee.object, names, modules);
    if (!bare) return;
    if (parent?.type === 'MemberExpression' && parent.object === node && !SCHEMA_METHODS.test(parent.property?.name))
      return;
    const version = versionOf(node.arguments[0]);
    if (version === null) return;
    const zod = text.slice(string.callee.object.start, string.callee.object.end);
    const [v4, v6] = formats;
    const replacement =
      version === 'v4'
        ? `${zod}.${v4}()`
        : version === 'v6'
          ? `${zod}.${v6}()`
          : `${zod}.union([${zod}.${v4}(), ${zod}.${v6}()])`;
    edits.push({ start: node.start, end: node.end, text: replacement });
  });
  return edits.length ? applyEdits(text, edits) : undefined;
}

/** The `version` of `.ip({ version: 'v4' })`: undefined for none, null for options the port cannot carry. */
function versionOf(options: any): 'v4' | 'v6' | undefined | null {
  if (!options) return undefined;
  if (options.type !== 'ObjectExpression' || options.properties.length !== 1) return null;
  const [only] = options.properties;
  const value = only.value?.value;
  return propertyKey(only) === 'version' && (value === 'v4' || value === 'v6') ? value : null;
}

/** In `if (e instanceof z.ZodError) { … e.errors … }`: the `errors` property names read on `e` in the branch. */
function zodErrorsRead(node: any, names: Set<string>, modules: Set<string>): any[] {
  if (node.type !== 'IfStatement') return [];
  const test = node.test;
  if (test?.type !== 'BinaryExpression' || test.operator !== 'instanceof' || test.left.type !== 'Identifier') return [];
  const right = test.right;
  const fromZod =
    right.type === 'MemberExpression' &&
    !right.computed &&
    right.property.name === 'ZodError' &&
    (isZod(right.object, names, modules) || (right.object.type === 'Identifier' && modules.has(right.object.name)));
  if (!fromZod && !(right.type === 'Identifier' && right.name === 'ZodError')) return [];
  const found: any[] = [];
  visit(node.consequent, inner => {
    if (
      inner.type === 'MemberExpression' &&
      !inner.computed &&
      inner.object.type === 'Identifier' &&
      inner.object.name === test.left.name &&
      inner.property.name === 'errors'
    )
      found.push(inner.property);
  });
  return found;
}

/** `z` (a name taken from zod) or `zod_1.z` (a module object required from zod). */
function isZod(object: any, names: Set<string>, modules: Set<string>): boolean {
  if (object?.type === 'Identifier') return names.has(object.name);
  return (
    object?.type === 'MemberExpression' &&
    !object.computed &&
    object.object.type === 'Identifier' &&
    modules.has(object.object.name) &&
    object.property.name === 'z'
  );
}

function zodBindings(text: string): { names: Set<string>; modules: Set<string> } {
  const names = new Set<string>();
  const modules = new Set<string>();
  const listed = (list: string) => {
    for (const item of list.split(',')) {
      const [imported, local] = item.split(/\s+as\s+|:/).map(s => s.trim());
      if (imported === 'z' && (local ?? imported)) names.add(local ?? imported);
    }
  };
  for (const m of text.matchAll(ESM_IMPORT)) {
    const defaultName = m[1]?.replace(/[\s,]/g, '');
    if (defaultName) names.add(defaultName);
    if (m[2]) names.add(m[2]);
    if (m[3]) listed(m[3]);
  }
  for (const m of text.matchAll(CJS_REQUIRE)) {
    if (m[1]) modules.add(m[1]);
    if (m[2]) listed(m[2]);
  }
  return { names, modules };
}
