/**
 * Generated support modules (mcp-tracing.ts, mcp-handles.ts, mcp-input-rounds.ts) are written once per package, in
 * the directory the engine picks (beside the server sources), and imported from there; never pasted into a file.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { ts as TS } from 'ts-morph';
import type { TransformOptions } from './transform.js';

/** Asks the engine to write module `name` (`source`) and returns the specifier `filePath` imports it by. */
export function useSupportModule(
  filePath: string,
  options: TransformOptions,
  name: string,
  source: string,
  extension: 'ts' | 'js' = 'ts'
): string {
  const dir = options.supportDir ?? path.dirname(filePath);
  // JavaScript takes its importer's module system by name too: a `.mjs` server in a package with no `"type":
  // "module"` imports an ES module, which a `.js` there would not be to Node.
  const written = extension === 'ts' ? 'ts' : (/\.([mc]js)$/.exec(filePath)?.[1] ?? 'js');
  options.emit?.(path.join(dir, `${name}.${written}`), source);
  const rel = path
    .relative(
      path.dirname(filePath),
      path.join(dir, `${name}${extension === 'ts' ? (options.importExtension ?? '.js') : `.${written}`}`)
    )
    .split(path.sep)
    .join('/');
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/**
 * The JavaScript form of a generated TypeScript module, for packages with no build step to strip the types:
 * transpiled once per module system, on first use. A CommonJS importer gets a CommonJS module (Node 20 cannot
 * `require` an ES module).
 */
export function javascriptOf(source: string): (commonjs?: boolean) => string {
  const cache = new Map<boolean, string>();
  return (commonjs = false) => {
    let javascript = cache.get(commonjs);
    if (javascript === undefined) {
      const ts = typescript();
      javascript = ts.transpileModule(source, {
        compilerOptions: {
          target: ts.ScriptTarget.ES2022,
          module: commonjs ? ts.ModuleKind.CommonJS : ts.ModuleKind.ESNext
        }
      }).outputText;
      cache.set(commonjs, javascript);
    }
    return javascript;
  };
}

/**
 * The compiler, loaded on first use: most runs never write a JavaScript support module, and loading it costs every
 * worker and every CLI start most of a second.
 */
function typescript(): typeof TS {
  return (createRequire(import.meta.url)('ts-morph') as { ts: typeof TS }).ts;
}
