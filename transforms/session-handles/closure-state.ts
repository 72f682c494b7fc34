/**
 * Per-session servers keep state in their factory's closure (`function buildServer() { let notes = []; … }`, one
 * server per session). After stateless-entry the factory runs per request and that state silently resets on every
 * call. When the file shows the factory really was per session (a session id generator or session callbacks)
 * and only tool handlers touch the state, the declarations move into a module-level `create<Noun>State()`,
 * one instance per handle in a Map, and each handler reads them through its handle. Anything else (resources
 * reading the state, initialisers that need the factory's arguments) is left to the per-request-state marker.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { indentUnit } from '../kit/source-style.js';
import { encloses, isFunction, isUndefinedValue, isValueReference, objectProperties, uniqueName } from '../kit/ast.js';
import { configuredNoun } from './handle-naming.js';
import { perRequestState } from '../kit/server-factory.js';
import type { ToolRegistration } from '../kit/tool-registrations.js';
import { wholeLines } from '../kit/text-edits.js';
import type { HandleGroup } from './types.js';

type Node = any;

/** Closure state always has a module-level home, an initialiser and a cleanup; its tools read no session id. */
export type ClosureGroup = HandleGroup &
  Required<Pick<HandleGroup, 'init' | 'onExpire' | 'after' | 'prelude' | 'edits' | 'stateMap'>>;

export function closureStateGroups(
  j: JSCodeshift,
  root: Collection<any>,
  src: string,
  tools: ToolRegistration[],
  nouns: Record<string, string>,
  typed: boolean
): ClosureGroup[] {
  if (!perSession(j, root)) return [];
  const unit = indentUnit(src);
  const groups: ClosureGroup[] = [];
  for (const statement of root.get().node.program.body as Node[]) {
    const { fn, name } = factoryIn(statement);
    if (
      !fn ||
      !name ||
      !j(fn)
        .find(j.NewExpression, { callee: { name: 'McpServer' } })
        .size()
    )
      continue;
    const declarations = perRequestState(j, fn);
    if (declarations.length === 0) continue;
    const names = new Set<string>(declarations.flatMap((d: Node) => d.declarations.map((x: Node) => x.id.name)));
    const fnTools = tools.filter(t => encloses(fn, t.callback));
    const refs = j(fn)
      .find(j.Identifier)
      .filter(
        (p: ASTPath<any>) =>
          names.has(p.node.name) &&
          isValueReference(p) &&
          !declarations.some((d: Node) => d.declarations.some((x: Node) => x.id === p.node))
      )
      .paths();
    const byTool = new Map<ToolRegistration, ASTPath<any>[]>();
    const outside = refs.some(r => {
      const tool = fnTools.find(t => encloses(t.callback, r.node));
      if (!tool) return true;
      byTool.set(tool, [...(byTool.get(tool) ?? []), r]);
      return false;
    });
    const factoryLocals = new Set<string>();
    for (const param of fn.params)
      j(param)
        .find(j.Identifier)
        .forEach((p: ASTPath<any>) => factoryLocals.add(p.node.name));
    if (fn.params.some((p: Node) => p.type === 'Identifier'))
      for (const p of fn.params) if (p.type === 'Identifier') factoryLocals.add(p.name);
    for (const s of fn.body.body as Node[])
      if (s.type === 'VariableDeclaration' && !declarations.includes(s))
        for (const d of s.declarations) if (d.id.type === 'Identifier') factoryLocals.add(d.id.name);
    const needsFactory = declarations.some((d: Node) =>
      j(d)
        .find(j.Identifier)
        .some((p: ASTPath<any>) => isValueReference(p) && factoryLocals.has(p.node.name))
    );
    if (outside || needsFactory || byTool.size === 0) continue;

    const noun = configuredNoun(name, nouns) ?? 'session';
    const pascal = noun.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
    const stateFn = uniqueName(j, root, `create${pascal}State`);
    const stateMap = uniqueName(j, root, `${pascal[0]!.toLowerCase()}${pascal.slice(1)}States`);
    const moved = declarations.map((d: Node) => `${unit}${src.slice(d.start, d.end)}`).join('\n');
    const mapType = typed ? `<string, ReturnType<typeof ${stateFn}>>` : '';
    const prelude =
      `// State ${name}() kept per session, now one instance per ${noun}_id handle (created by create_${noun}).\n` +
      `function ${stateFn}() {\n${moved}\n${unit}return { ${[...names].join(', ')} };\n}\n` +
      `const ${stateMap} = new Map${mapType}();\n`;
    groups.push({
      noun,
      source: `${name}()`,
      tools: [...byTool].map(([tool, closureRefs]) => ({ tool, reads: [], closureRefs })),
      init: `id => { ${stateMap}.set(id, ${stateFn}()); }`,
      onExpire: `id => ${stateMap}.delete(id)`,
      after: statement,
      prelude: `\n${prelude}`,
      edits: declarations.map((d: Node) => wholeLines(src, d)),
      stateMap
    });
  }
  return groups;
}

/** The v1 entry kept one server per session: it minted session ids or listened for session start/end. */
function perSession(j: JSCodeshift, root: Collection<any>): boolean {
  const generator = objectProperties(j, root, 'sessionIdGenerator').some(
    (p: ASTPath<any>) => !isUndefinedValue(p.node.value)
  );
  return generator || root.find(j.Identifier, { name: 'onsessioninitialized' }).size() > 0;
}

function factoryIn(statement: Node): { fn?: Node; name?: string } {
  const s =
    statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration'
      ? statement.declaration
      : statement;
  if (s?.type === 'FunctionDeclaration' && s.body?.type === 'BlockStatement') return { fn: s, name: s.id?.name };
  if (s?.type === 'VariableDeclaration' && s.declarations.length === 1) {
    const d = s.declarations[0];
    if (isFunction(d.init) && d.init.body?.type === 'BlockStatement' && d.id.type === 'Identifier')
      return { fn: d.init, name: d.id.name };
  }
  return {};
}
