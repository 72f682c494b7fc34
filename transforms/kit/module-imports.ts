/**
 * What a module imports from the other modules of a run, read on its raw syntax tree: for the plans made over a whole
 * run (TransformMeta.plan), which pair a helper in one module with its callers in others.
 */
import type { ModuleResolver, ProjectFile } from './transform.js';

type Node = any;

/** The functions a module imports from other modules of the run, by local name: the module and the name there. */
export function importedHelpers(
  program: Node,
  file: string,
  byPath: Map<string, ProjectFile>,
  resolve: ModuleResolver
): Map<string, { module: string; name: string }> {
  const out = new Map<string, { module: string; name: string }>();
  for (const s of program.body as Node[]) {
    if (s.type !== 'ImportDeclaration' || typeof s.source?.value !== 'string') continue;
    const target = resolve(file, s.source.value).find(c => byPath.has(c));
    if (!target) continue;
    for (const spec of s.specifiers ?? [])
      if (spec.type === 'ImportSpecifier')
        out.set(spec.local.name, { module: target, name: spec.imported.name ?? spec.imported.value });
  }
  return out;
}
