/**
 * Spreads pipeline work over worker threads (tinypool). Workers start lazily and each pays the parser and
 * codemod load once, so small runs stay in-process where that start-up would cost more than it saves.
 */
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import Tinypool from 'tinypool';

export interface TaskRunner<T, R> {
  run(task: T): Promise<R>;
  close(): Promise<void>;
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
  jobs: number
): Promise<TaskRunner<T, R>> {
  const threads = Math.min(jobs, Math.ceil(taskCount / FILES_PER_WORKER));
  const workerFile = fileURLToPath(workerModule);
  // Under vitest the sources are .ts and there is no compiled worker beside them: run in-process.
  if (threads <= 1 || !fs.existsSync(workerFile)) {
    return { run: inProcess, close: async () => {} };
  }
  const pool = new Tinypool({
    filename: workerModule.href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: 1000
  });
  return { run: task => pool.run(task), close: () => pool.destroy() };
}
