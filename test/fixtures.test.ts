/**
 * Every fixture pair, discovered: exact output, idempotence, no formatting churn, and (in one batched tsc run)
 * every output type-checks against the published v2 packages.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { churn } from '../src/diff-stats.js';
import { migrateText } from '../src/pipeline.js';
import { expectedDiagnostics, pinned, writeDiagnostics } from './helpers/fixture-diagnostics.js';
import { FIXTURES, ROOT, fixturePairs, transformsFor } from './helpers/fixtures.js';

const pairs = fixturePairs();

describe.each(pairs)('$transform / $name', pair => {
  const input = fs.readFileSync(pair.input, 'utf8');
  const options = { transforms: transformsFor(pair.transform) };

  it('produces the expected output', async () => {
    expect(fs.existsSync(pair.output), `missing ${path.relative(ROOT, pair.output)}`).toBe(true);
    const result = await migrateText(pair.input, input, options);
    expect(result.error).toBeUndefined();
    expect(result.output ?? input).toBe(fs.readFileSync(pair.output, 'utf8'));
  });

  it('reports the pinned diagnostics (rule, severity, line, column)', async () => {
    const found = pinned((await migrateText(pair.input, input, options)).diagnostics);
    if (process.env.UPDATE_DIAGNOSTICS) writeDiagnostics(pair, found);
    expect(found).toEqual(expectedDiagnostics(pair) ?? []);
  });

  it('changes nothing on a second run', async () => {
    const once = (await migrateText(pair.input, input, options)).output ?? input;
    const twice = await migrateText(pair.input, once, options);
    expect(twice.output ?? once).toBe(once);
  });

  it('leaves no whitespace-only or quote-only changed lines', () => {
    const stats = churn(input, fs.readFileSync(pair.output, 'utf8'));
    expect({ whitespaceOnly: stats.whitespaceOnly, quoteOnly: stats.quoteOnly }).toEqual({
      whitespaceOnly: 0,
      quoteOnly: 0
    });
  });
});

describe('fixture outputs', () => {
  it('type-check against the published v2 packages (one batched tsc run)', () => {
    const outputs = pairs.map(p => p.output).filter(f => /\.[cm]?tsx?$/.test(f));
    expect(outputs.length).toBeGreaterThan(0);
    expect(tscErrors(path.join(FIXTURES, 'tsconfig.json'))).toBe('');
  });

  it('the support modules the rewrites write compile under the strictest options a project may set', () => {
    expect(tscErrors(path.join(FIXTURES, 'tsconfig.strictest.json'))).toBe('');
  });
});

/** What tsc prints for a project (nothing when it compiles). */
function tscErrors(project: string): string {
  try {
    execFileSync(process.execPath, [path.join(ROOT, 'node_modules/typescript-native/bin/tsc'), '-p', project], {
      cwd: ROOT,
      encoding: 'utf8'
    });
    return '';
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    return (e.stdout ?? '') + (e.stderr ?? '');
  }
}
