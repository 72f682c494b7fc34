/** Worker entry: one task is one file's text through the pipeline. */
import { migrateText } from './pipeline.js';
import type { FileResult, PipelineOptions } from './types.js';

export default function migrateTask(task: {
  file: string;
  text: string;
  options: PipelineOptions;
}): Promise<FileResult> {
  return migrateText(task.file, task.text, task.options);
}
