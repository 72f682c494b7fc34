/**
 * A package file's text as this run leaves it: the migrated text for a file the run changed, else what is on disk.
 * The manifest's checks (the zod upgrade, what the code imports that the v1 SDK supplied) read the package this way.
 */
import fs from 'node:fs';

/** Undefined when the file cannot be read (removed or unreadable since it was listed). */
export function textAsMigrated(file: string, migratedText: Map<string, string>): string | undefined {
  const migrated = migratedText.get(file);
  if (migrated !== undefined) return migrated;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
