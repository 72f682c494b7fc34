/** Worker entry for check: one task is one file's text, with what the run knows about the project. */
import { checkText, type Finding } from './matcher.js';

export interface CheckTask {
  file: string;
  text: string;
  /** The run's classes with a connect method of their own (own-connect.ts). */
  ownConnect?: string[];
}

export default function checkTask(task: CheckTask): Finding[] {
  return checkText(task.file, task.text, undefined, { ownConnect: new Set(task.ownConnect ?? []) });
}
