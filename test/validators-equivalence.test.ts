/**
 * Equivalence is tested, not assumed: every schema literal the validators-to-json-schema fixtures give a tool is
 * upgraded the way the rewrite does it, the fixture output is checked to hold exactly that upgrade, and then
 * generated argument objects (fast-check) must be accepted or rejected alike by the original under its own draft
 * (Ajv draft-07) and by the upgrade under JSON Schema 2020-12 (Ajv 2020, what the v2 SDK compiles it with).
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import jscodeshift from 'jscodeshift';
import { Ajv } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { toolSchemaLiterals, upgradeSchema } from '../transforms/validators-to-json-schema/json-schema-2020.js';
import { applyEdits, useSourceOffsets } from '../transforms/kit/text-edits.js';
import { FIXTURES } from './helpers/fixtures.js';
import { argumentsFor } from './helpers/schema-arbitraries.js';

const DIR = path.join(FIXTURES, 'validators-to-json-schema');
const j = jscodeshift.withParser('ts');

interface Case {
  fixture: string;
  original: object;
  upgraded: object;
  upgradedText: string;
}

/** The schema literals of each fixture input that the rewrite upgrades, evaluated before and after. */
function cases(): Case[] {
  const out: Case[] = [];
  for (const f of fs.readdirSync(DIR).filter(f => /\.input\.ts$/.test(f))) {
    const src = fs.readFileSync(path.join(DIR, f), 'utf8');
    const root = j(src);
    useSourceOffsets(src, root.get().node);
    for (const { literal } of toolSchemaLiterals(j, root)) {
      const upgrade = upgradeSchema(src, literal);
      if (!upgrade.draft || upgrade.problems.length) continue;
      const text = src.slice(literal.start, literal.end);
      const inner = upgrade.edits.map(e => ({ ...e, start: e.start - literal.start, end: e.end - literal.start }));
      const upgradedText = applyEdits(text, inner);
      out.push({ fixture: f, original: evaluate(text), upgraded: evaluate(upgradedText), upgradedText });
    }
  }
  return out;
}

function evaluate(text: string): object {
  return new Function(`return (${text});`)() as object;
}

/** Whitespace-blind: the output may have moved the literal (hoisting re-indents it). */
const squash = (s: string) => s.replace(/\s+/g, '');

const all = cases();

describe('validators-to-json-schema: upgraded schemas accept and reject what the originals did', () => {
  it('finds converted schemas in the fixtures', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
  });

  it.each(all.map((c, i) => [`${c.fixture} #${i + 1}`, c] as const))('%s', (_, c) => {
    const output = fs.readFileSync(path.join(DIR, c.fixture.replace('.input.', '.output.')), 'utf8');
    expect(squash(output)).toContain(squash(c.upgradedText));
    expect(JSON.stringify(c.upgraded)).not.toMatch(/"definitions"|"dependencies"|draft-0/);

    const draft = new Ajv({ strict: false, allErrors: true }).compile(c.original);
    const modern = new Ajv2020({ strict: false, allErrors: true }).compile(c.upgraded);
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(argumentsFor(c.original), args => {
        const verdict = draft(args);
        if (verdict) accepted++;
        else rejected++;
        expect(modern(args)).toBe(verdict);
      }),
      { numRuns: 3000, seed: 2026 }
    );
    // Both verdicts must actually occur, or the comparison proves nothing.
    expect(accepted).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });
});
