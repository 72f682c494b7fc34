import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  portCoercions,
  portIpFormats,
  portUndefinedUnions,
  portZod3,
  zodUpgradeWithPorts
} from '../src/zod-3-ports.js';
import { isZod3Range, zodUpgradeFor } from '../src/zod-upgrade.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(d => fs.rmSync(d, { recursive: true, force: true })));

async function upgradeOf(files: Record<string, string>, migrated: Record<string, string> = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zod-upgrade-'));
  dirs.push(dir);
  const manifest = path.join(dir, 'package.json');
  fs.writeFileSync(manifest, '{}');
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  const outputs = new Map(Object.entries(migrated).map(([name, text]) => [path.join(dir, name), text]));
  return zodUpgradeFor(
    manifest,
    Object.keys(files).map(name => path.join(dir, name)),
    outputs
  );
}

describe('zod 3 → 4', () => {
  it('reads zod 3 ranges, pinned or not', () => {
    expect(['^3.25.76', '~3.24.1', '3.22.4'].map(isZod3Range)).toEqual([true, true, true]);
    expect(['^4.1.13', '4.2.0', '^3 || ^4', '^3.25 || ^4.0', undefined].map(isZod3Range)).toEqual([
      false,
      false,
      false,
      false,
      false
    ]);
  });

  it('is safe when the zod code is what zod 4 kept, in any file that imports zod', async () => {
    const kept = await upgradeOf({
      'a.ts':
        "import { z } from 'zod';\nexport const A = z.object({ n: z.number().int().optional(), e: z.enum(['x']) });",
      'b.ts': "const errors = report.errors; // not zod's\nexport {};",
      // Advice in a comment (a marker's fix names z.record() too) is not a use.
      'c.ts': "import { z } from 'zod';\n// TODO: z.record() for a map\n/* z.record(V) */ export const C = z.string();"
    });
    expect(kept).toEqual({ safe: true, blockers: [] });
  });

  it('names each file and API zod 4 removed, and reads a migrated file as the run left it', async () => {
    const found = await upgradeOf(
      {
        'a.ts': "import { z } from 'zod';\nexport const T = z.record(z.string());",
        'b.ts':
          "import { z, ZodError } from 'zod';\ntry { S.parse(x) } catch (e) { if (e instanceof ZodError) log(e.errors); }",
        'c.ts': "import { zodToJsonSchema } from 'zod-to-json-schema';\nimport { z } from 'zod';\nzodToJsonSchema(S);"
      },
      { 'c.ts': "import { z } from 'zod';\nz.toJSONSchema(S, { io: 'input' });" }
    );
    expect(found.safe).toBe(false);
    expect(found.blockers).toEqual([
      'a.ts: z.record(valueSchema) (zod 4 takes the key schema first)',
      'b.ts: ZodError.errors (zod 4: .issues)'
    ]);
  });
});

describe('types zod 4 no longer exports', () => {
  it('block the upgrade, each named once', async () => {
    const found = await upgradeOf({
      'a.ts': "import { z } from 'zod';\ntype R = z.SafeParseReturnType<string, number>;\ntype O = z.AnyZodObject;",
      'b.ts': "import { z, type ZodStringDef, type ZodTypeDef } from 'zod';\ntype D = ZodStringDef | ZodTypeDef;"
    });
    expect(found.blockers).toEqual([
      'a.ts: SafeParseReturnType (zod 4: SafeParseResult)',
      'a.ts: AnyZodObject / SomeZodObject (zod 4: ZodObject)',
      'b.ts: ZodEffects / ZodFirstPartyTypeKind / ZodTypeDef',
      'b.ts: Zod…Def types (zod 4 reshaped schema definitions)'
    ]);
  });

  it("a tool's arguments typed as the v1 SDK spelled them move to z.output / z.input, which both majors read", () => {
    const typed = (args: string) =>
      [
        "import { z } from 'zod';",
        `export type Handler<S extends z.ZodRawShape> = (args: ${args}) => Promise<string>;`,
        ''
      ].join('\n');
    expect(portZod3('a.ts', typed('z.objectOutputType<S, z.ZodTypeAny>'))).toBe(typed('z.output<z.ZodObject<S>>'));
    expect(portZod3('a.ts', typed('z.objectInputType<S, ZodTypeAny>'))).toBe(typed('z.input<z.ZodObject<S>>'));
    // Another catch-all adds an index signature z.output would not have: left, and it keeps the package on zod 3.
    expect(portZod3('a.ts', typed('z.objectOutputType<S, z.ZodString>'))).toBeUndefined();
  });

  it('unblock the upgrade once ported, and compile against zod 4', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zod-upgrade-'));
    dirs.push(dir);
    const file = path.join(dir, 'tools.ts');
    const v1 = [
      "import { z } from 'zod';",
      'export interface ToolDef<S extends z.ZodRawShape> {',
      '  schema: S;',
      '  handler: (args: z.objectOutputType<S, z.ZodTypeAny>) => Promise<string>;',
      '}',
      'export const search: ToolDef<{ query: z.ZodString }> = { schema: { query: z.string() }, handler: async a => a.query };',
      ''
    ].join('\n');
    fs.writeFileSync(file, v1);
    const manifest = path.join(dir, 'package.json');
    fs.writeFileSync(manifest, '{}');
    const { safe, ported } = zodUpgradeWithPorts(manifest, [file], new Map());
    expect(safe).toBe(true);
    fs.writeFileSync(file, ported[0]!.output);
    expect(tscErrors(dir, file)).toBe('');
  });
});

/** tsc's complaints about one file, resolving zod from this repository's node_modules (zod 4). */
function tscErrors(dir: string, file: string): string {
  fs.symlinkSync(path.resolve('node_modules'), path.join(dir, 'node_modules'), 'dir');
  const r = spawnSync(
    process.execPath,
    [
      path.resolve('node_modules/typescript-native/bin/tsc'),
      '--ignoreConfig',
      '--noEmit',
      '--strict',
      '--skipLibCheck',
      '--module',
      'nodenext',
      '--moduleResolution',
      'nodenext',
      file
    ],
    { cwd: dir, encoding: 'utf8' }
  );
  return r.stdout + r.stderr;
}

describe('portZod3', () => {
  it('gives each one-argument z.record call a string key schema, whatever the file calls zod', () => {
    expect(portZod3('a.ts', "import { z } from 'zod';\nconst T = z.record(z.number()).optional();\n")).toBe(
      "import { z } from 'zod';\nconst T = z.record(z.string(), z.number()).optional();\n"
    );
    expect(portZod3('a.ts', "import { z as zod } from 'zod';\nzod.record(zod.record(Item));\n")).toBe(
      "import { z as zod } from 'zod';\nzod.record(zod.string(), zod.record(zod.string(), Item));\n"
    );
    // As tsc compiles it to CommonJS.
    expect(portZod3('a.js', 'const zod_1 = require("zod");\nexports.T = zod_1.z.record(zod_1.z.any());\n')).toBe(
      'const zod_1 = require("zod");\nexports.T = zod_1.z.record(zod_1.z.string(), zod_1.z.any());\n'
    );
  });

  it('reads .issues for .errors on what an instanceof check proved a ZodError, and nothing else', () => {
    const handler = (check: string) =>
      [
        "import { z } from 'zod';",
        'try { run(); } catch (error) {',
        `  if (${check}) throw new Error(error.errors.map(e => e.message).join(', '));`,
        '  report(error.errors, other.errors);',
        '}',
        ''
      ].join('\n');
    expect(portZod3('a.ts', handler('error instanceof z.ZodError'))).toBe(
      handler('error instanceof z.ZodError').replace('error.errors.map', 'error.issues.map')
    );
    expect(portZod3('a.ts', handler('error instanceof ValidationError'))).toBeUndefined();
  });

  it('leaves calls with a key schema, zod 4 imports, other objects and unparsable text alone', () => {
    expect(portZod3('a.ts', "import { z } from 'zod';\nz.record(z.string(), z.number());\n")).toBeUndefined();
    expect(portZod3('a.ts', "import { z } from 'zod/v4';\nz.record(z.number());\n")).toBeUndefined();
    expect(portZod3('a.ts', "import { z } from 'zod';\nstore.record(event);\n")).toBeUndefined();
    expect(portZod3('a.ts', "import { z } from 'zod';\nz.record(z.number(;\n")).toBeUndefined();
  });
});

describe('unions with undefined, when the package moves to zod 4', () => {
  it('become .optional() of what else they allow, a trailing .optional() included', () => {
    expect(
      portUndefinedUnions(
        'a.ts',
        "import { z } from 'zod';\nconst A = z.object({ id: z.union([z.string(), z.undefined()]).optional() });\n"
      )
    ).toBe("import { z } from 'zod';\nconst A = z.object({ id: z.string().optional() });\n");
    expect(
      portUndefinedUnions(
        'a.js',
        'const zod_1 = require("zod");\nexports.B = zod_1.z.union([Id, Name, zod_1.z.undefined()]);\n'
      )
    ).toBe('const zod_1 = require("zod");\nexports.B = zod_1.z.union([Id, Name]).optional();\n');
  });

  it('ports unions nested in a ported one too', () => {
    expect(
      portUndefinedUnions(
        'a.ts',
        "import { z } from 'zod';\nz.union([z.object({ a: z.union([z.string(), z.undefined()]) }), z.undefined()]);\n"
      )
    ).toBe("import { z } from 'zod';\nz.object({ a: z.string().optional() }).optional();\n");
  });

  it('leaves unions without undefined, undefined alone, and other objects alone', () => {
    expect(
      portUndefinedUnions('a.ts', "import { z } from 'zod';\nz.union([z.string(), z.number()]);\n")
    ).toBeUndefined();
    expect(portUndefinedUnions('a.ts', "import { z } from 'zod';\nz.union([z.undefined()]);\n")).toBeUndefined();
    expect(
      portUndefinedUnions('a.ts', "import { z } from 'zod';\nschema.union([a, other.undefined()]);\n")
    ).toBeUndefined();
  });

  it('parse what zod 3 parsed and list where zod 4 threw', async () => {
    const { z } = await import('zod');
    const before = z.object({ id: z.union([z.string(), z.undefined()]) });
    const after = z.object({ id: z.string().optional() });
    for (const value of [{}, { id: 'a' }, { id: 1 }]) expect(after.safeParse(value).success).toBe(value.id !== 1);
    expect(() => z.toJSONSchema(before)).toThrow(/Undefined/);
    expect(z.toJSONSchema(after)).toMatchObject({ properties: { id: { type: 'string' } } });
  });

  it('are ported in every file of a package that upgrades, and in none of one that stays on zod 3', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zod-upgrade-'));
    dirs.push(dir);
    const manifest = path.join(dir, 'package.json');
    fs.writeFileSync(manifest, '{}');
    const spec = path.join(dir, 'spec.ts');
    fs.writeFileSync(spec, "import { z } from 'zod';\nexport const Id = z.union([z.string(), z.undefined()]);\n");
    const upgraded = zodUpgradeWithPorts(manifest, [spec], new Map());
    expect(upgraded.safe).toBe(true);
    expect(upgraded.ported.map(p => p.output)).toEqual([
      "import { z } from 'zod';\nexport const Id = z.string().optional();\n"
    ]);
    const kept = path.join(dir, 'kept.ts');
    fs.writeFileSync(kept, "import { z } from 'zod';\nz.string().nonstrict();\n");
    const stays = zodUpgradeWithPorts(manifest, [spec, kept], new Map());
    expect(stays).toMatchObject({ safe: false, ported: [] });
  });
});

describe('coerced dates and bigints, when the package moves to zod 4', () => {
  const file = (body: string) => `import { z } from 'zod';\n${body}\n`;

  it('take their JSON input through a pipe, once: a second run leaves the pipe alone', () => {
    const once = portCoercions('a.ts', file('const s = { when: z.coerce.date().optional(), n: z.coerce.bigint() };'));
    expect(once).toBe(
      file(
        'const s = { when: z.union([z.string(), z.number()]).pipe(z.coerce.date()).optional(), ' +
          'n: z.union([z.string(), z.number()]).pipe(z.coerce.bigint()) };'
      )
    );
    expect(portCoercions('a.ts', once!)).toBeUndefined();
  });

  it('read compiled CommonJS and leave coercions of other objects and to other types alone', () => {
    const cjs = 'const zod_1 = require("zod");\nconst s = zod_1.z.coerce.date();\n';
    expect(portCoercions('a.js', cjs)).toBe(
      'const zod_1 = require("zod");\nconst s = zod_1.z.union([zod_1.z.string(), zod_1.z.number()]).pipe(zod_1.z.coerce.date());\n'
    );
    expect(portCoercions('a.ts', file('z.coerce.number(); other.coerce.date();'))).toBeUndefined();
  });

  it('list where zod 4 threw, and give the handler the Date a string or a timestamp stands for', async () => {
    const { z } = await import('zod');
    const before = z.object({ when: z.coerce.date() });
    const after = z.object({ when: z.union([z.string(), z.number()]).pipe(z.coerce.date()) });
    expect(() => before['~standard'].jsonSchema.input({ target: 'draft-2020-12' })).toThrow(/Date/);
    expect(after['~standard'].jsonSchema.input({ target: 'draft-2020-12' })).toMatchObject({
      properties: { when: { type: ['string', 'number'] } }
    });
    for (const when of ['2024-05-06T07:08:09Z', 1715000000000])
      expect(after.parse({ when }).when.getTime()).toBe(before.parse({ when }).when.getTime());
  });
});

describe('.ip() and .cidr(), when the package moves to zod 4', () => {
  const file = (body: string) => `import { z } from 'zod';\n${body}\n`;

  it("take zod 4's formats on a bare z.string(), by the version asked for", () => {
    expect(
      portIpFormats(
        'a.ts',
        file(
          "const s = { host: z.string().ip().describe('h'), v4: z.string().ip({ version: 'v4' }), net: z.array(z.string().cidr()) };"
        )
      )
    ).toBe(
      file(
        "const s = { host: z.union([z.ipv4(), z.ipv6()]).describe('h'), v4: z.ipv4(), " +
          'net: z.array(z.union([z.cidrv4(), z.cidrv6()])) };'
      )
    );
  });

  it('leave a string schema read on after the format, other options, and other objects alone', () => {
    expect(portIpFormats('a.ts', file('z.string().ip().min(3);'))).toBeUndefined();
    expect(portIpFormats('a.ts', file("z.string().ip({ message: 'bad' });"))).toBeUndefined();
    expect(portIpFormats('a.ts', file('z.string().trim().ip();'))).toBeUndefined();
    expect(portIpFormats('a.ts', file('net.ip(); z.ipv4();'))).toBeUndefined();
  });

  it('accept and refuse what zod 3 did', async () => {
    const v3 = (await import('zod/v3')).z;
    const { z } = await import('zod');
    const pairs = [
      [v3.string().ip(), z.union([z.ipv4(), z.ipv6()])],
      [v3.string().cidr(), z.union([z.cidrv4(), z.cidrv6()])]
    ] as const;
    const samples = ['10.0.0.1', '::1', '2001:db8::/32', '192.168.0.0/16', 'example.com', '300.1.1.1', ''];
    for (const [before, after] of pairs)
      for (const s of samples) expect([s, after.safeParse(s).success]).toEqual([s, before.safeParse(s).success]);
  });

  it('unblock the upgrade, and are kept only with it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zod-upgrade-'));
    dirs.push(dir);
    const manifest = path.join(dir, 'package.json');
    fs.writeFileSync(manifest, '{}');
    const access = path.join(dir, 'access.ts');
    fs.writeFileSync(access, file('export const Allow = z.object({ cidrBlocks: z.array(z.string().cidr()) });'));
    const upgraded = zodUpgradeWithPorts(manifest, [access], new Map());
    expect(upgraded.safe).toBe(true);
    expect(upgraded.ported.map(p => p.output)).toEqual([
      file('export const Allow = z.object({ cidrBlocks: z.array(z.union([z.cidrv4(), z.cidrv6()])) });')
    ]);
    const kept = path.join(dir, 'kept.ts');
    fs.writeFileSync(kept, file('z.string().nonstrict();'));
    expect(zodUpgradeWithPorts(manifest, [access, kept], new Map())).toMatchObject({ safe: false, ported: [] });
  });
});
