/**
 * Small edits spliced into the original text by offset. For rewrites that only insert a few tokens, this keeps
 * every other byte as the user wrote it, where reprinting a node through recast would reflow it.
 */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

export function applyEdits(source: string, edits: TextEdit[]): string {
  let out = source;
  for (const e of [...edits].sort((a, b) => b.start - a.start || b.end - a.end)) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}

/** An edit that puts a whole-line comment above the line holding `offset`, at that line's indentation. */
export function commentAbove(source: string, offset: number, comment: string): TextEdit {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  const indent = /^[ \t]*/.exec(source.slice(lineStart))![0];
  return { start: lineStart, end: lineStart, text: `${indent}// ${comment}\n` };
}

/** Does the line above `offset` already carry this marker? Keeps marker insertion idempotent. */
export function markedAbove(source: string, offset: number, tag: string): boolean {
  const lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  const prevStart = source.lastIndexOf('\n', lineStart - 2) + 1;
  return source.slice(prevStart, lineStart).includes(tag);
}
