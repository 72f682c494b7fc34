import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { portZod3 } from '../src/zod-3-ports.js';
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
      'b.ts': "const errors = report.errors; // not zod's\nexport {};"
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
