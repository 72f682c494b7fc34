/** Worker entry for check: one task is one file's text. */
import { checkText, type Finding } from './matcher.js';

export default function checkTask(task: { file: string; text: string }): Finding[] {
  return checkText(task.file, task.text);
}
