/**
 * Barrels between a serving helper and its callers: `services/index.ts` with `export { startSse } from './sse.js'`
 * (or `export * from './sse.js'`) while `server.ts` imports `startSse` from `./services/index.js`. The barrel calls
 * nothing and needs no change when the helper keeps its name; the handoff plan follows it to find the real callers.
 */
import { parseAst } from '../kit/grammar.js';
import type { ModuleResolver, ProjectFile } from '../kit/transform.js';

type Node = any;

interface ReexportFacts {
  /** `export { local as exported } from 'source'`: exported name → the module and name it re-exports. */
  named: Map<string, { module: string; name: string }>;
  /** `export * from 'source'`. */
  stars: string[];
  /** `export * as ns from 'source'`: a namespace whose members cannot be followed. */
  namespaces: string[];
}

/** How many barrels in a row are followed (a barrel re-exporting a barrel …). */
const MAX_DEPTH = 4;

const REEXPORT = /\bexport\s*(?:type\s+)?(?:\*|\{[^}]*\})\s*(?:as\s+[\w$]+\s*)?from\b/;

export interface Reexports {
  /** Does `name` imported from `module` reach the function `target` of `targetFile` (itself or through barrels)? */
  reaches(module: string, name: string, targetFile: string, target: string): boolean;
  /** Does `module` export `target` of `targetFile` under some name, or inside a namespace it re-exports? */
  exposes(module: string, targetFile: string, target: string): boolean;
  /** The names barrels re-export `target` of `targetFile` under (its own name among them). */
  aliases(targetFile: string, target: string): Set<string>;
}

export function reexportIndex(
  files: ProjectFile[],
  byPath: Map<string, ProjectFile>,
  resolve: ModuleResolver
): Reexports {
  const facts = new Map<string, ReexportFacts>();
  for (const f of files) {
    if (!REEXPORT.test(f.text)) continue;
    const ast = parseAst(f.file, f.text);
    if (!ast) continue;
    const own: ReexportFacts = { named: new Map(), stars: [], namespaces: [] };
    for (const s of ast.program.body as Node[]) {
      const source = s.source?.value;
      if (typeof source !== 'string' || s.exportKind === 'type') continue;
      const module = resolve(f.file, source).find(c => byPath.has(c));
      if (!module) continue;
      if (s.type === 'ExportAllDeclaration') {
        if (s.exported) own.namespaces.push(module);
        else own.stars.push(module);
      } else if (s.type === 'ExportNamedDeclaration')
        for (const spec of s.specifiers ?? []) {
          if (spec.type === 'ExportNamespaceSpecifier') own.namespaces.push(module);
          else if (spec.type === 'ExportSpecifier' && spec.exportKind !== 'type')
            own.named.set(nameOf(spec.exported), { module, name: nameOf(spec.local) });
        }
    }
    facts.set(f.file, own);
  }
  const reaches = (module: string, name: string, targetFile: string, target: string, depth = 0): boolean => {
    if (module === targetFile && name === target) return true;
    const own = facts.get(module);
    if (!own || depth >= MAX_DEPTH) return false;
    const named = own.named.get(name);
    if (named) return reaches(named.module, named.name, targetFile, target, depth + 1);
    return own.stars.some(m => reaches(m, name, targetFile, target, depth + 1));
  };
  const exposes = (module: string, targetFile: string, target: string, depth = 0): boolean => {
    if (module === targetFile) return true;
    const own = facts.get(module);
    if (!own || depth >= MAX_DEPTH) return false;
    if ([...own.named.values()].some(r => reaches(r.module, r.name, targetFile, target, depth + 1))) return true;
    return [...own.stars, ...own.namespaces].some(m => exposes(m, targetFile, target, depth + 1));
  };
  const aliases = (targetFile: string, target: string) => {
    const out = new Set([target]);
    for (const [module, own] of facts)
      for (const exported of own.named.keys()) if (reaches(module, exported, targetFile, target)) out.add(exported);
    return out;
  };
  return {
    reaches: (module, name, targetFile, target) => reaches(module, name, targetFile, target),
    exposes: (module, targetFile, target) => exposes(module, targetFile, target),
    aliases
  };
}

function nameOf(node: Node): string {
  return node?.name ?? node?.value;
}
