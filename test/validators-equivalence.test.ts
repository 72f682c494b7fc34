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
import { objectLiteral, toolSchemaLiterals, upgradeSchema } from '../transforms/lib/json-schema-2020.js';
import { applyEdits, useSourceOffsets } from '../transforms/lib/text-edits.js';
import { FIXTURES } from './helpers/fixtures.js';

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

/** Argument objects built from the names and values the schema talks about, nested, plus arbitrary JSON. */
function argumentsFor(schema: object): fc.Arbitrary<unknown> {
  const names = new Set<string>();
  const strings = new Set<string>(['', 'x', 'ABC-1234', 'someone']);
  JSON.stringify(schema, (key, value) => {
    if (key === 'properties' || key === 'dependentRequired' || key === 'dependencies' || key === 'dependentSchemas') Object.keys(value).forEach(k => names.add(k));
    if (key === 'required' && Array.isArray(value)) value.forEach(v => names.add(v));
    return value;
  });
  const { value } = fc.letrec(tie => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(...strings),
      fc.integer({ min: -2, max: 3 }),
      fc.double({ min: -2, max: 3, noNaN: true }),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...names), tie('value'), { maxKeys: names.size })
    )
  }));
  return fc.oneof(conforming(schema, schema, 0), fc.dictionary(fc.constantFrom(...names), value, { maxKeys: names.size }), fc.jsonValue());
}

/**
 * Values shaped by the (draft) schema itself, so that valid arguments actually occur: each property optional,
 * patterns honoured by fc.stringMatching, with a little noise at every level so near-misses occur too.
 */
function conforming(s: any, root: any, depth: number): fc.Arbitrary<unknown> {
  const noise = fc.oneof(fc.constantFrom('', 'x', 0, 1, -1, 2.5, true, null), fc.jsonValue({ maxDepth: 1 }));
  if (depth > 6 || typeof s !== 'object' || s === null) return noise;
  if (typeof s.$ref === 'string') return conforming(resolve(root, s.$ref), root, depth + 1);
  let shaped: fc.Arbitrary<unknown> = noise;
  if (Array.isArray(s.enum)) shaped = fc.constantFrom(...s.enum);
  else if (s.type === 'object' || s.properties) {
    const fields = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, conforming(v, root, depth + 1)]));
    shaped = fc.record(fields, { requiredKeys: [] });
  } else if (s.type === 'array' && Array.isArray(s.items)) {
    const tuple = fc.tuple(...s.items.map((i: unknown) => conforming(i, root, depth + 1)));
    shaped = fc.oneof(tuple, fc.tuple(tuple, noise).map(([t, extra]) => [...t, extra]));
  } else if (s.type === 'array') shaped = fc.array(conforming(s.items ?? true, root, depth + 1), { maxLength: 3 });
  else if (s.type === 'string') shaped = s.pattern ? fc.oneof(fc.stringMatching(new RegExp(s.pattern)), fc.string({ maxLength: 4 })) : fc.string({ maxLength: 4 });
  else if (s.type === 'integer') shaped = fc.integer({ min: -2, max: 5 });
  else if (s.type === 'number') shaped = fc.double({ min: -2, max: 5, noNaN: true });
  else if (s.type === 'boolean') shaped = fc.boolean();
  return fc.oneof({ weight: 8, arbitrary: shaped }, { weight: 1, arbitrary: noise });
}

function resolve(root: any, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((node: any, part) => node?.[part], root);
}

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
        verdict ? accepted++ : rejected++;
        expect(modern(args)).toBe(verdict);
      }),
      { numRuns: 3000, seed: 2026 }
    );
    // Both verdicts must actually occur, or the comparison proves nothing.
    expect(accepted).toBeGreaterThan(0);
    expect(rejected).toBeGreaterThan(0);
  });
});
