/**
 * Atomic writes: a temp file beside the target, then a rename, so an interrupted run (Ctrl-C, a crash, a full
 * disk) leaves every file either fully old or fully new. File mode and ownership are kept by write-file-atomic.
 */
import fs from 'node:fs';
import writeFileAtomic from 'write-file-atomic';

export function writeAtomically(file: string, text: string): void {
  writeFileAtomic.sync(file, text, { encoding: 'utf8', fsync: true });
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EBUSY: 'file is busy',
  ENOENT: 'the file or its folder is gone'
};

/**
 * Writes one file, or says in one line why it was not written: a read-only file (unless `force`), or a file-system
 * error. Expected failures never throw, so one unwritable file cannot stop the run or hide its summary.
 */
export function writeOrExplain(file: string, text: string, force: boolean): string | undefined {
  try {
    const mode = fs.statSync(file, { throwIfNoEntry: false })?.mode;
    if (mode !== undefined && (mode & 0o222) === 0 && !force) {
      return `the file is read-only (mode ${(mode & 0o777).toString(8)}): make it writable or pass --force to replace it`;
    }
    writeAtomically(file, text);
    return undefined;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code && REASONS[e.code]) return `${e.code}: ${REASONS[e.code]}`;
    throw err;
  }
}
