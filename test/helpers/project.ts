/**
 * A scratch project written from a map of files, migrated as a dry run: each file's output, read by its name. The
 * project is removed when the test that made it finishes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { runMigration } from '../../src/migrate.js';
import { onTestFinished } from 'vitest';
import { scratch } from './cli.js';

export async function dryRunProject(files: Record<string, string>) {
  const { dir, cleanup } = scratch();
  onTestFinished(cleanup);
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  const report = await runMigration({ paths: [dir], dryRun: true, force: true, jobs: 1, ignore: [] });
  /** The file's text after the migration: its output, or what was written when it did not change. */
  const out = (name: string) => report.files.find(f => f.file === path.join(dir, name))?.output ?? files[name]!;
  return { report, out, dir };
}
