/**
 * The generated zod-compat module (fixtures/surface/mcp-zod-compat.ts is the text the surface rewrite writes): v1's
 * schema helpers, run on zod 4 schemas the way the code that imported them used them, and in its JavaScript forms.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ZOD_COMPAT_MODULE_SOURCE, zodCompatModuleJs } from '../transforms/surface/mcp-zod-compat.source.js';
import * as compat from '../fixtures/surface/mcp-zod-compat.js';
import { FIXTURES, ROOT } from './helpers/fixtures.js';

describe('the generated zod-compat module', () => {
  it('is the text the rewrite writes', () => {
    expect(fs.readFileSync(path.join(FIXTURES, 'surface/mcp-zod-compat.ts'), 'utf8')).toBe(ZOD_COMPAT_MODULE_SOURCE);
  });

  it('turns a raw shape into its object schema and keeps an object schema, nothing else', () => {
    const fromShape = compat.normalizeObjectSchema({ word: z.string() });
    expect(z.safeParse(fromShape as z.ZodType, { word: 'hi' }).success).toBe(true);
    expect(z.safeParse(fromShape as z.ZodType, { word: 1 }).success).toBe(false);
    const object = z.object({ n: z.number() });
    expect(compat.normalizeObjectSchema(object)).toBe(object);
    expect(compat.normalizeObjectSchema(z.string())).toBeUndefined();
    expect(compat.normalizeObjectSchema(undefined)).toBeUndefined();
    expect(compat.normalizeObjectSchema({})).toBeUndefined();
    expect(compat.getObjectShape(object)).toEqual({ n: object.shape.n });
  });

  it('writes JSON Schema 2020-12 by default and draft-07 when asked, for the input side', () => {
    const schema = z.object({ word: z.string().describe('a word'), times: z.number().default(1) });
    const json = compat.toJsonSchemaCompat(schema);
    expect(json.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(json.properties).toMatchObject({ word: { type: 'string', description: 'a word' } });
    // input side: a defaulted property is not required of the caller
    expect(json.required).toEqual(['word']);
    expect(compat.toJsonSchemaCompat(schema, { target: 'draft-7' }).$schema).toBe(
      'http://json-schema.org/draft-07/schema#'
    );
  });

  it('parses and explains a failure with where it is', async () => {
    const schema = z.object({ user: z.object({ name: z.string() }), tags: z.array(z.string()) });
    const parsed = await compat.safeParseAsync(schema, { user: { name: 3 }, tags: ['a', 2] });
    expect(parsed.success).toBe(false);
    const message = compat.getParseErrorMessage(parsed.error);
    expect(message.split('\n')).toHaveLength(2);
    expect(message).toMatch(/ at user\.name$/m);
    expect(message).toMatch(/ at tags\[1\]$/m);
    expect(compat.getParseErrorMessage(new Error('plain'))).toBe('plain');
    expect(compat.safeParse(schema, { user: { name: 'a' }, tags: [] }).success).toBe(true);
    expect(() => compat.parseWithCompat(z.string(), 1)).toThrow();
  });

  it('reads descriptions, optionality and literals', () => {
    expect(compat.getSchemaDescription(z.string().describe('d'))).toBe('d');
    expect(compat.isSchemaOptional(z.string().optional())).toBe(true);
    expect(compat.isSchemaOptional(z.string())).toBe(false);
    expect(compat.getLiteralValue(z.literal('x'))).toBe('x');
    expect(compat.getMethodLiteral(z.object({ method: z.literal('tools/list') }))).toBe('tools/list');
    expect(() => compat.getMethodLiteral(z.object({}))).toThrow();
    expect(compat.isZ4Schema(z.string())).toBe(true);
    expect(compat.isZ4Schema({ type: 'string' })).toBe(false);
  });

  it('runs as CommonJS and as an ES module in a JavaScript package', async () => {
    // Written inside the project (its ignored .tmp folder) so its `zod` import resolves to the installed one.
    fs.mkdirSync(path.join(ROOT, '.tmp'), { recursive: true });
    const dir = fs.mkdtempSync(path.join(ROOT, '.tmp', 'zod-compat-'));
    try {
      fs.writeFileSync(path.join(dir, 'compat.cjs'), zodCompatModuleJs(true));
      fs.writeFileSync(path.join(dir, 'compat.mjs'), zodCompatModuleJs());
      const cjs = createRequire(path.join(dir, 'x.cjs'))('./compat.cjs');
      const esm = await import(path.join(dir, 'compat.mjs'));
      for (const m of [cjs, esm]) {
        const schema = m.normalizeObjectSchema({ word: z.string() });
        expect(m.toJsonSchemaCompat(schema).required).toEqual(['word']);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
