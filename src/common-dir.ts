import path from 'node:path';

/** The deepest folder holding every one of `files` (absolute paths). */
export function commonDir(files: string[]): string {
  let dir = path.dirname(files[0]!);
  while (!files.every(f => f.startsWith(dir + path.sep)) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}
