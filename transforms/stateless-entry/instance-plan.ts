/**
 * A server instance one module exports and another connects per request: `const mcp = new McpServer(…)`, its
 * registrations, `export default mcp` in mcp.ts; `await mcp.connect(transport)` in a route of server.ts. A fresh
 * server per request needs a factory from the module that builds it, so the run plans the pair: the providing module
 * exports `createMcpServer()` (its construction and setup, moved; the instance stays exported, built from it, for
 * importers that serve it once, like stdio), and each importer that connects it per request connects
 * `createMcpServer()` instead, which the entry rewrites then serve. Only where the providing module uses the instance
 * for nothing but its setup and its export, each importer only connects it, and no other module of the project uses
 * it otherwise: a module registering its tools on the instance as it is imported (`import './tools/math.js'`) sets up
 * the one instance, which a fresh server from the factory would serve without.
 */
import { parseAst } from '../kit/grammar.js';
import { someNode, visit } from '../kit/raw-walk.js';
import { isNonReference, moduleDeclarations, setsUp } from './plan-ast.js';
import type { Agreement, ModuleResolver, ProjectFile } from '../kit/transform.js';

type Node = any;

export interface HandoffProvide {
  role: 'provide';
  /** The exported instance's local name in the providing module. */
  name: string;
  factory: string;
}
export interface HandoffImport {
  role: 'import';
  local: string;
  source: string;
  factory: string;
}

const CONNECTS_TRANSPORT = /\.connect\s*\(/;
const HTTP_TRANSPORT = /\b(?:SSEServerTransport|\w*StreamableHTTP(?:Server)?Transport)\b/;
const SERVER_CLASS = /^(?:Mcp)?Server$/;

/** `projectFiles`: every file the run reads (the migrated ones included), read only once an instance is found. */
export function planInstanceHandoffs(
  migrated: ProjectFile[],
  resolve: ModuleResolver,
  projectFiles: () => ProjectFile[] = () => migrated
): Agreement[] {
  const byPath = new Map(migrated.map(f => [f.file, f]));
  const plans = new Map<string, Agreement>();
  for (const b of migrated) {
    if (!CONNECTS_TRANSPORT.test(b.text) || !HTTP_TRANSPORT.test(b.text)) continue;
    const ast = parseAst(b.file, b.text);
    if (!ast) continue;
    for (const s of ast.program.body as Node[]) {
      if (s.type !== 'ImportDeclaration' || s.importKind === 'type') continue;
      // A relative module, or one the project's tsconfig `paths` map (`@/lib/server/mcp`): the resolver knows both.
      const a = resolve(b.file, String(s.source.value))
        .map(c => byPath.get(c))
        .find(Boolean);
      if (!a) continue;
      for (const spec of s.specifiers ?? []) {
        const local = spec.local?.name;
        if (!local || !onlyConnectedInFunctions(ast.program, local)) continue;
        const exported =
          spec.type === 'ImportDefaultSpecifier' ? 'default' : (spec.imported?.name ?? spec.imported?.value);
        const provided = providedInstance(a, exported);
        if (!provided) continue;
        const factory = factoryName(provided, [a.text, b.text]);
        if (!factory) continue;
        const key = `${a.file}#${provided}#instance`;
        if (!plans.has(key) && usedOtherwise(projectFiles(), a, exported, resolve)) continue;
        const plan = plans.get(key) ?? { key, parts: { [a.file]: { role: 'provide', name: provided, factory } } };
        plan.parts[b.file] = { role: 'import', local, source: String(s.source.value), factory } satisfies HandoffImport;
        plans.set(key, plan);
      }
    }
  }
  return [...plans.values()];
}

/**
 * Does a module of the project other than the providing one use the exported instance for anything but connecting it
 * (registering on it, handing it on, re-exporting it)? Read from the modules that name the providing module's file.
 */
function usedOtherwise(files: ProjectFile[], a: ProjectFile, exported: string, resolve: ModuleResolver): boolean {
  const stem = a.file.replace(/^.*[\\/]/, '').replace(/\.[cm]?[jt]sx?$/, '');
  for (const f of files) {
    if (f.file === a.file || !f.text.includes(stem)) continue;
    const ast = parseAst(f.file, f.text);
    if (!ast) return true;
    const fromA = (source: Node) => !!source && resolve(f.file, String(source.value)).includes(a.file);
    for (const s of ast.program.body as Node[]) {
      if (s.type === 'ExportAllDeclaration' && fromA(s.source)) return true;
      if (!/^(?:ImportDeclaration|ExportNamedDeclaration)$/.test(s.type) || !fromA(s.source)) continue;
      if (s.importKind === 'type') continue;
      for (const spec of s.specifiers ?? []) {
        if (spec.type === 'ImportNamespaceSpecifier') return true;
        if (spec.importKind === 'type') continue;
        const name = spec.type === 'ImportDefaultSpecifier' ? 'default' : (spec.imported?.name ?? spec.local?.name);
        if (name !== exported) continue;
        if (s.type === 'ExportNamedDeclaration' || !onlyConnected(ast.program, spec.local.name)) return true;
      }
    }
    // `require('./server')`: what it reads off the module is not followed. Only a require that resolves to the
    // providing module counts: `require('@modelcontextprotocol/sdk/server/mcp.js')` in another package of the run
    // shares the stem of an `mcp.ts`, and took every such module's factory away.
    if (requiresModule(f, a.file, resolve)) return true;
  }
  return false;
}

/** Does `f` call `require(…)` on a specifier that resolves to `target`? */
function requiresModule(f: ProjectFile, target: string, resolve: ModuleResolver): boolean {
  for (const m of f.text.matchAll(/\brequire\(\s*(['"])([^'"]+)\1\s*\)/g))
    if (resolve(f.file, m[2]!).includes(target)) return true;
  return false;
}

/** `mcp` → `createMcpServer`, `server` → `createServer`; a name neither module uses yet. */
function factoryName(instance: string, texts: string[]): string | undefined {
  const base = instance.replace(/Server$/i, '');
  const name = `create${base ? base[0]!.toUpperCase() + base.slice(1) : ''}Server`;
  return texts.some(t => new RegExp(`\\b${name}\\b`).test(t)) ? undefined : name;
}

/**
 * The module-level `const <name> = new McpServer(…)` that `exported` names, when the module uses it for nothing but
 * its setup statements and its export: that name, else undefined.
 */
function providedInstance(a: ProjectFile, exported: string): string | undefined {
  const ast = parseAst(a.file, a.text);
  if (!ast) return undefined;
  const body = ast.program.body as Node[];
  let name: string | undefined;
  for (const s of body) {
    if (exported === 'default' && s.type === 'ExportDefaultDeclaration' && s.declaration?.type === 'Identifier')
      name = s.declaration.name;
    if (exported !== 'default' && s.type === 'ExportNamedDeclaration') {
      if (s.declaration?.type === 'VariableDeclaration')
        for (const d of s.declaration.declarations) if (d.id?.name === exported) name = exported;
      for (const spec of s.specifiers ?? [])
        if ((spec.exported?.name ?? spec.exported?.value) === exported && !s.source) name = spec.local?.name;
    }
  }
  if (!name) return undefined;
  const declarations = moduleDeclarations(body, name);
  if (declarations.length !== 1) return undefined;
  const { statement: declared, declaration: d } = declarations[0]!;
  const init = d.declarations.length === 1 && d.kind === 'const' ? d.declarations[0].init : undefined;
  if (init?.type !== 'NewExpression' || !SERVER_CLASS.test(init.callee?.name ?? '')) return undefined;
  // Every other top-level statement naming the instance sets it up or exports it; nothing inside a function reads it.
  for (const s of body) {
    if (s === declared || !someNode(s, n => n.type === 'Identifier' && n.name === name)) continue;
    const exportsIt =
      (s.type === 'ExportDefaultDeclaration' && s.declaration?.name === name) ||
      (s.type === 'ExportNamedDeclaration' && !s.declaration && !s.source);
    if (!exportsIt && !setsUp(s, name)) return undefined;
  }
  return name;
}

/** Every reference to `local` is `local.connect(x)` inside a function (a request handler), none at module level. */
function onlyConnectedInFunctions(program: Node, local: string): boolean {
  return onlyConnected(program, local, true);
}

/** Every reference to `local` is `local.connect(x)` (inside a function, when `inFunctions`). */
function onlyConnected(program: Node, local: string, inFunctions = false): boolean {
  let connects = 0;
  let other = false;
  visit(program, (n, parent, key, enclosing) => {
    if (n.type !== 'Identifier' || n.name !== local || !parent) return;
    if (/^Import/.test(parent.type) || isNonReference(parent, key)) return;
    const connect = parent.type === 'MemberExpression' && key === 'object' && parent.property?.name === 'connect';
    if (connect && (enclosing || !inFunctions)) connects++;
    else other = true;
  });
  return connects > 0 && !other;
}
