/**
 * Files that hold tests by the usual conventions (`*.test.ts`, `*.spec.js`, Deno's `*_test.ts`, a `test/`, `tests/`
 * or `__tests__/` folder). Their servers serve a test client and nobody else: what only matters to real callers
 * (cache hints) is left out there, and a package only they import is a dev dependency.
 */
export function isTestFile(file: string): boolean {
  return /(^|[\\/])(__tests__|tests?)[\\/]|[._-](test|spec)\.[cm]?[jt]sx?$/.test(file);
}
