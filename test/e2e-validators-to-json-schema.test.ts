/**
 * Rewrite 4 end to end: a v1 low-level server (draft-07 schema literals, hand-written checks throwing
 * InvalidParams) is migrated by the CLI, type-checks, and served to a client pinned to 2026-07-28: tools/list shows
 * 2020-12 schemas, good arguments get what the v1 server answered, bad ones an isError result naming the field.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { observe, observedMigration, serverNames, specOf, start, typecheck } from './helpers/e2e.js';

/** Every `items` in the schema tree, to find array-form (draft tuple) ones. */
function itemsValues(node: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) node.forEach(n => itemsValues(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'items') out.push(v);
      itemsValues(v, out);
    }
  }
  return out;
}

describe.each(serverNames('validators-to-json-schema'))('fixtures/servers/%s', name => {
  const spec = specOf(name);
  const run = observedMigration(name, spec);

  it('type-checks against the v2 packages after migration, without packages the rewrite retired', () => {
    expect(typecheck(run.migrated.dir)).toBe('');
    const deps = JSON.parse(fs.readFileSync(path.join(run.migrated.dir, 'package.json'), 'utf8')).dependencies;
    expect(deps['zod-to-json-schema']).toBeUndefined();
  });

  it('lists 2020-12 schemas, answers good arguments as v1 did and bad ones with isError naming the field', async () => {
    const s = await start(run.migrated.dir, spec, 'pinned-2026');
    try {
      const { tools } = await s.client.listTools();
      const schemas = JSON.stringify(tools.map(t => t.inputSchema));
      expect(schemas).not.toMatch(/"definitions"|"dependencies"|"additionalItems"|draft-0/);
      expect(itemsValues(tools.map(t => t.inputSchema)).some(Array.isArray)).toBe(false);
      for (const text of spec.listed ?? []) expect(schemas).toContain(text);
      expect(await observe(s.client, spec)).toEqual(run.v1Results);
      for (const bad of spec.invalid ?? []) {
        const r = await s.client.callTool({ name: bad.tool, arguments: bad.arguments });
        expect(r.isError, JSON.stringify(bad)).toBe(true);
        expect((r.content as { text: string }[])[0]!.text, JSON.stringify(bad)).toMatch(
          new RegExp(`Invalid arguments for tool ${bad.tool}: .*\\b${bad.field}\\b`)
        );
      }
    } finally {
      await s.close();
    }
  });
});
