/**
 * CPU time of the calling thread, so a file's time budget counts the work done on it and not the time its thread
 * waited for a core: on a busy machine (a CI runner, a bench beside the tests) wall time doubled, a file near the
 * budget was migrated on one run and refused on the next, and a second run changed what the first had left.
 *
 * Linux reads it from /proc/thread-self/stat (a worker thread's own line, not the process's); elsewhere there is
 * no per-thread figure Node 20 can read, and callers fall back to wall time.
 */
import fs from 'node:fs';

/** Clock ticks per second of /proc's utime/stime: USER_HZ, 100 on every Linux kernel configuration in use. */
const TICKS_PER_SECOND = 100;

let unavailable = false;

/** Milliseconds of CPU this thread has used, or undefined where the platform does not say. */
export function threadCpuMs(): number | undefined {
  if (unavailable) return undefined;
  try {
    const stat = fs.readFileSync('/proc/thread-self/stat', 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    const ticks = Number(fields[11]) + Number(fields[12]);
    if (!Number.isFinite(ticks)) throw new Error('unreadable');
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    unavailable = true;
    return undefined;
  }
}

/** Runs `work`, reporting the CPU time it used on this thread (undefined where it cannot be read). */
export async function withCpuTime<R>(work: () => Promise<R>): Promise<{ result: R; cpuMs?: number }> {
  const before = threadCpuMs();
  const result = await work();
  const after = before === undefined ? undefined : threadCpuMs();
  return after === undefined || before === undefined ? { result } : { result, cpuMs: after - before };
}
