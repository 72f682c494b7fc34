/**
 * A file's time budget counts the CPU its thread used, not the wall clock: waiting (for a core on a busy machine,
 * here for a timer) does not count, working does. Otherwise the same file was migrated on a quiet run and refused
 * on a busy one, and a second run changed what the first had left.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { threadCpuMs, withCpuTime } from '../src/thread-cpu.js';

/** A fixed amount of work: its CPU time is the same however busy the machine is (its wall time is not). */
const work = (iterations: number) => {
  let x = 0;
  for (let i = 0; i < iterations; i++) x = (x + i) % 1_000_003;
  return x + 1;
};

describe.runIf(process.platform === 'linux')('thread CPU time', () => {
  it('does not count time spent waiting', async () => {
    const started = performance.now();
    const { cpuMs } = await withCpuTime(() => new Promise(resolve => setTimeout(resolve, 400)));
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(cpuMs).toBeDefined();
    expect(cpuMs!).toBeLessThan(150);
  });

  it('counts time spent working', async () => {
    const { result, cpuMs } = await withCpuTime(async () => work(150_000_000));
    expect(result).toBeGreaterThan(0);
    expect(cpuMs!).toBeGreaterThanOrEqual(100);
  });

  it("is the calling thread's own: a worker's work does not count on the main thread", async () => {
    const before = threadCpuMs()!;
    const worker = new Worker(
      'let x = 0; for (let i = 0; i < 150_000_000; i++) x = (x + i) % 1_000_003; process.exit(x < 0 ? 1 : 0);',
      { eval: true }
    );
    await new Promise(resolve => worker.once('exit', resolve));
    expect(threadCpuMs()! - before).toBeLessThan(100);
  });
});
