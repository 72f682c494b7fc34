/** Worker entry: one task is one file's text through the pipeline, with the CPU time it took (the budget's measure). */
import { migrateText } from './pipeline.js';
import { withCpuTime } from './thread-cpu.js';
import type { FileResult, PipelineOptions } from './types.js';

export interface MigrateTask {
  file: string;
  text: string;
  options: PipelineOptions;
}

export default function migrateTask(task: MigrateTask): Promise<{ result: FileResult; cpuMs?: number }> {
  return withCpuTime(() => migrateText(task.file, task.text, task.options));
}
