/**
 * Atomic writes: a temp file beside the target, then a rename, so an interrupted run (Ctrl-C, a crash, a full
 * disk) leaves every file either fully old or fully new. File mode and ownership are kept by write-file-atomic.
 */
import writeFileAtomic from 'write-file-atomic';

export function writeAtomically(file: string, text: string): void {
  writeFileAtomic.sync(file, text, { encoding: 'utf8', fsync: true });
}
