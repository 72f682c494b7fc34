/**
 * How a file names the project's own modules: `./x.ts` (Deno, or TypeScript with allowImportingTsExtensions), or the
 * usual `./x.js`. A generated support module is imported the way the file imports its neighbours: Deno does not map
 * `.js` to `.ts`, so a `.js` specifier there names a file that does not exist.
 */
export function relativeImportExtension(src: string): '.ts' | '.js' {
  let ts = 0;
  let js = 0;
  for (const m of src.matchAll(/\b(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]*?)\.([cm]?[jt]s)['"]/g)) {
    if (m[2] === 'ts') ts++;
    else if (m[2] === 'js') js++;
  }
  return ts > 0 && js === 0 ? '.ts' : '.js';
}
