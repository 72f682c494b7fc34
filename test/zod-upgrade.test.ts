import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
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
    expect(['^4.1.13', '4.2.0', '^3 || ^4', undefined].map(isZod3Range)).toEqual([false, false, false, false]);
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
