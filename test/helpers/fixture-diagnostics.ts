/**
 * The diagnostics a fixture case is expected to report, pinned beside its pair as `<case>.diagnostics.json`: the
 * rule, severity, line and column of each, in report order (as typescript-eslint's rule tests pin `errors`).
 * `UPDATE_DIAGNOSTICS=1 npx vitest run test/fixtures.test.ts` rewrites them from what the rewrites report now;
 * review the diff before committing it.
 */
import fs from 'node:fs';
import type { Diagnostic } from '../../src/types.js';
import type { FixturePair } from './fixtures.js';

export interface PinnedDiagnostic {
  rule: string;
  severity: Diagnostic['severity'];
  line: number;
  column: number;
}

export function diagnosticsFile(pair: FixturePair): string {
  return pair.input.replace(/\.input\.[cm]?[jt]sx?$/, '.diagnostics.json');
}

export function pinned(diagnostics: Diagnostic[]): PinnedDiagnostic[] {
  return diagnostics.map(d => ({ rule: d.rule, severity: d.severity, line: d.line, column: d.column }));
}

/** The pinned list, or undefined when the case has none (it must then report nothing). */
export function expectedDiagnostics(pair: FixturePair): PinnedDiagnostic[] | undefined {
  const file = diagnosticsFile(pair);
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
}

export function writeDiagnostics(pair: FixturePair, found: PinnedDiagnostic[]): void {
  const file = diagnosticsFile(pair);
  if (found.length === 0) fs.rmSync(file, { force: true });
  else
    fs.writeFileSync(
      file,
      JSON.stringify(found, null, 2)
        .replace(/\{\n\s+/g, '{ ')
        .replace(/,\n\s+(?=")/g, ', ')
        .replace(/\n\s+\}/g, ' }') + '\n'
    );
}
