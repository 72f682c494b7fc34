/**
 * Turns the user's paths into the list of source files to look at: directories are walked (tinyglobby),
 * `node_modules`, `.git`, build output, `.gitignore`d paths and `--ignore` globs are skipped; explicitly named
 * files are always taken (that is how per-file incremental runs work). Symlinks are not followed out of the
 * given roots.
 */
import fs from 'node:fs';
import path from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { glob } from 'tinyglobby';

export const SOURCE_EXTENSIONS = ['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'];
const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**', '**/*.d.ts', '**/*.d.mts', '**/*.d.cts'];

export class UsageError extends Error {}

export interface Discovered {
  files: string[];
  /** Paths passed over with a reason: symbolic links, which the walk never follows. */
  skipped: { file: string; reason: 'symlink-outside-root' | 'symlink-not-followed' }[];
}

export async function discover(paths: string[], userIgnores: string[] = []): Promise<Discovered> {
  const files = new Set<string>();
  const skipped: Discovered['skipped'] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(abs);
    } catch {
      throw new UsageError(`path does not exist: ${p}`);
    }
    if (stat.isFile()) {
      files.add(abs);
      continue;
    }
    const root = fs.realpathSync(abs);
    const found = await glob(
      SOURCE_EXTENSIONS.map(e => `**/*.${e}`),
      {
        cwd: abs,
        absolute: true,
        dot: false,
        followSymbolicLinks: false,
        ignore: [...ALWAYS_IGNORED, ...userIgnores]
      }
    );
    const ignores = gitignoresFor(abs, await nestedGitignoreDirs(abs, [...ALWAYS_IGNORED, ...userIgnores]));
    for (const f of found) {
      if (ignores(f)) continue;
      if (!insideRoot(f, root)) {
        skipped.push({ file: f, reason: 'symlink-outside-root' });
        continue;
      }
      files.add(f);
    }
    for (const link of symlinksUnder(abs, ignores)) skipped.push({ file: link, reason: 'symlink-not-followed' });
  }
  return { files: [...files].sort(), skipped };
}

/**
 * Symbolic links to folders or source files under `dir` (not in node_modules, .git, dot folders or ignored paths):
 * the walk does not follow them, and says so rather than passing over them in silence. What a link points to is
 * migrated where it really lives, when that is inside the given folders.
 */
function symlinksUnder(dir: string, ignored: (file: string) => boolean): string[] {
  const links: string[] = [];
  const source = new RegExp(`\\.(${SOURCE_EXTENSIONS.join('|')})$`);
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const full = path.join(d, e.name);
      if (ignored(full)) continue;
      if (e.isSymbolicLink()) {
        let target: fs.Stats | undefined;
        try {
          target = fs.statSync(full);
        } catch {
          target = undefined;
        }
        if (target?.isDirectory() || source.test(e.name)) links.push(full);
      } else if (e.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return links.sort();
}

function insideRoot(file: string, root: string): boolean {
  try {
    const real = fs.realpathSync(file);
    return real === root || real.startsWith(root + path.sep);
  } catch {
    return false;
  }
}

/**
 * `.gitignore` files from the walk root up to the enclosing repository root, plus any nested ones below the
 * walk root, each applied relative to its own folder as git does.
 */
function gitignoresFor(walkRoot: string, nested: string[]): (file: string) => boolean {
  const layers: { dir: string; ig: Ignore }[] = [];
  const add = (dir: string) => {
    const f = path.join(dir, '.gitignore');
    if (fs.existsSync(f)) layers.push({ dir, ig: ignore().add(fs.readFileSync(f, 'utf8')) });
  };
  for (let dir = walkRoot; ; dir = path.dirname(dir)) {
    add(dir);
    if (fs.existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) break;
  }
  // A folder the user names explicitly is migrated even when an enclosing .gitignore ignores it.
  const named = layers.filter(({ dir }) => dir !== walkRoot && ignoredDir(dir, walkRoot));
  for (const layer of named) layers.splice(layers.indexOf(layer), 1);
  for (const dir of nested) add(dir);
  return file =>
    layers.some(({ dir, ig }) => {
      const rel = path.relative(dir, file);
      return !rel.startsWith('..') && rel !== '' && ig.ignores(rel.split(path.sep).join('/'));
    });
}

function ignoredDir(layerDir: string, walkRoot: string): boolean {
  const layer = ignore().add(fs.readFileSync(path.join(layerDir, '.gitignore'), 'utf8'));
  const rel = path.relative(layerDir, walkRoot).split(path.sep).join('/');
  return rel !== '' && !rel.startsWith('..') && layer.ignores(rel + '/');
}

async function nestedGitignoreDirs(root: string, ignores: string[]): Promise<string[]> {
  const found = await glob('**/.gitignore', {
    cwd: root,
    absolute: true,
    dot: true,
    followSymbolicLinks: false,
    ignore: ignores
  });
  return found.map(f => path.dirname(f)).filter(d => d !== root);
}
