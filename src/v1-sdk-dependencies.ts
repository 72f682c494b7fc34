/**
 * The packages `@modelcontextprotocol/sdk` 1.x depends on. A project can import one of them without declaring it
 * (HubSpot's server imports `zod-to-json-schema` in twenty tool modules and lists only the SDK): npm installed it for
 * the SDK and hoisted it, so the import resolved. Removing the v1 SDK from the manifest takes it away, and the
 * migrated server stops at its first import. Such a package is declared when the SDK goes.
 */
import fs from 'node:fs';
import path from 'node:path';

/**
 * The ranges SDK 1.32.2 asks for (`npm view @modelcontextprotocol/sdk@1.32.2 dependencies`), used when the project has
 * no installed copy to read the version from. zod is not listed: the v2 server depends on zod 4 itself, and a zod
 * range is the zod upgrade's decision, not a copy of the SDK's.
 */
const V1_SDK_DEPENDENCIES: Record<string, string> = {
  '@hono/node-server': '^1.19.9',
  ajv: '^8.17.1',
  'ajv-formats': '^3.0.1',
  'content-type': '^1.0.5',
  cors: '^2.8.5',
  'cross-spawn': '^7.0.5',
  eventsource: '^3.0.2',
  'eventsource-parser': '^3.0.0',
  express: '^5.2.1',
  'express-rate-limit': '^8.2.1',
  hono: '^4.11.4',
  jose: '^6.1.3',
  'json-schema-typed': '^8.0.2',
  'pkce-challenge': '^5.0.0',
  'raw-body': '^3.0.0',
  'zod-to-json-schema': '^3.25.1'
};

export const V1_SDK_DEPENDENCY_NAMES = Object.keys(V1_SDK_DEPENDENCIES);

/**
 * The range to declare `name` at: `^` the version installed for this package (what the project ran with), found the
 * way Node resolves it from the manifest's folder upwards, else the range the v1 SDK asked for.
 */
export function rangeFor(name: string, manifest: string): string {
  for (let dir = path.dirname(manifest); ; dir = path.dirname(dir)) {
    try {
      const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8'));
      if (typeof version === 'string' && /^\d+\.\d+\.\d+/.test(version)) return `^${version}`;
    } catch {
      // not installed here: look further up
    }
    if (path.dirname(dir) === dir) return V1_SDK_DEPENDENCIES[name];
  }
}
