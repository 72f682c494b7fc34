/**
 * Spreads pipeline work over worker threads (tinypool). Workers start lazily and each pays the parser and
 * codemod load once, so small runs stay in-process where that start-up would cost more than it saves.
 */
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';

export interface TaskRunner<T, R> {
  /** Runs one task; in a worker, an aborted `signal` stops it (the thread is replaced), in-process it cannot. */
  run(task: T, signal?: AbortSignal): Promise<R>;
  close(): Promise<void>;
  /** How many tasks run at once. */
  readonly width: number;
}

/** Files per worker below which a worker's start-up (~0.3 s of module loading) is not worth it. */
const FILES_PER_WORKER = 6;

export function defaultJobs(): number {
  return Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
}

export async function createRunner<T, R>(
  workerModule: URL,
  inProcess: (task: T) => Promise<R>,
  taskCount: number,
  jobs: number,
  /** Use a worker even for one task, so a task that runs too long can be stopped. */
  stoppable = false
): Promise<TaskRunner<T, R>> {
  const threads = Math.max(1, Math.min(jobs, Math.ceil(taskCount / FILES_PER_WORKER)));
  const workerFile = fileURLToPath(workerModule);
  // Under vitest the sources are .ts and there is no compiled worker beside them: run in-process.
  if ((threads === 1 && !stoppable) || taskCount === 0 || !fs.existsSync(workerFile)) {
    return { run: task => inProcess(task), close: async () => {}, width: 1 };
  }
  const pool = new Tinypool({
    filename: workerModule.href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 1000
  });
  return { run: (task, signal) => pool.run(task, { signal }), close: () => pool.destroy(), width: threads };
}
