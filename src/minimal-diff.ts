/**
 * The minimal-diff pass: codegen (ts-morph, recast) re-indents and re-quotes code it did not mean to change.
 * Every output line whose only difference from an input line in the same hunk is whitespace or the quote style
 * of string literals is put back as it was; string literals on lines that are really new are re-quoted to the
 * file's dominant style. A reviewer then sees only lines that changed meaning.
 */
import { diffArrays } from 'diff';
import { parseSource } from './parse.js';

type Quote = "'" | '"';

export function minimizeDiff(file: string, input: string, output: string): string {
  if (input === output) return output;
  const before = input.split('\n');
  const after = output.split('\n');
  const restored: string[] = [];
  const fresh = new Set<number>(); // indexes in `restored` of lines that have no original counterpart
  const chunks = diffArrays(before, after);
  for (let i = 0; i < chunks.length; i++) {
    const c = chunks[i];
    if (!c.added && !c.removed) {
      restored.push(...c.value);
      continue;
    }
    const removed = c.removed ? c.value : [];
    const addedChunk = c.removed && chunks[i + 1]?.added ? chunks[++i] : c.added ? c : undefined;
    const added = addedChunk ? addedChunk.value : [];
    for (const line of pairLines(removed, added)) {
      if (line.original === undefined) fresh.add(restored.length);
      restored.push(line.original ?? line.text);
    }
  }
  return requoteFreshLines(file, input, restored, fresh);
}

/** Canonical form of a line for "same but for whitespace and quotes". */
function canonical(line: string): string {
  return line.replace(/\s+/g, '').replace(/"/g, "'");
}

/**
 * Aligns a hunk's removed lines with its added lines by canonical equality (longest common subsequence, in
 * order) and returns the added lines, each paired with the original it may be replaced by.
 */
function pairLines(removed: string[], added: string[]): { text: string; original?: string }[] {
  if (removed.length === 0) return added.map(text => ({ text }));
  const a = removed.map(canonical);
  const b = added.map(canonical);
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let x = a.length - 1; x >= 0; x--) {
    for (let y = b.length - 1; y >= 0; y--) {
      lcs[x][y] = a[x] === b[y] && a[x] !== '' ? lcs[x + 1][y + 1] + 1 : Math.max(lcs[x + 1][y], lcs[x][y + 1]);
    }
  }
  const out: { text: string; original?: string }[] = [];
  let x = 0;
  let y = 0;
  let gapRemoved: string[] = [];
  let gapAdded: { text: string }[] = [];
  // Between two matched lines, a run of n removed lines replaced by n added lines is a line-for-line edit:
  // the new line keeps the old line's indentation, since codegen re-indents what it touches.
  const closeGap = () => {
    if (gapRemoved.length === gapAdded.length) {
      gapAdded.forEach((line, i) => (line.text = withIndentOf(gapRemoved[i], line.text)));
    }
    gapRemoved = [];
    gapAdded = [];
  };
  while (y < b.length) {
    if (x < a.length && a[x] === b[y] && a[x] !== '') {
      closeGap();
      out.push({ text: added[y], original: removed[x] });
      x++;
      y++;
    } else if (x < a.length && lcs[x + 1][y] >= lcs[x][y + 1]) {
      gapRemoved.push(removed[x]);
      x++;
    } else {
      const line = { text: added[y] };
      gapAdded.push(line);
      out.push(line);
      y++;
    }
  }
  gapRemoved.push(...removed.slice(x));
  closeGap();
  return out;
}

function withIndentOf(original: string, line: string): string {
  const indent = /^[ \t]*/.exec(original)![0];
  const trimmed = line.trimStart();
  return trimmed === '' ? line : indent + trimmed;
}

export function dominantQuote(text: string): Quote {
  let single = 0;
  let double = 0;
  for (const m of text.matchAll(/(['"])(?:\\.|(?!\1)[^\\\n])*\1/g)) {
    if (m[1] === "'") single++;
    else double++;
  }
  return double > single ? '"' : "'";
}

/** Re-quotes string literals on fresh lines when the content allows it without new escapes. */
function requoteFreshLines(file: string, input: string, lines: string[], fresh: Set<number>): string {
  const text = lines.join('\n');
  if (fresh.size === 0 || /\.[jt]sx$/.test(file)) return text;
  const quote = dominantQuote(input);
  const other = quote === "'" ? '"' : "'";
  if (!text.includes(other)) return text;
  const parsed = parseSource(file, text, true);
  if (!parsed.ok) return text;
  let out = '';
  let last = 0;
  for (const t of parsed.tokens) {
    if (t.type !== 'string' || !fresh.has(t.line - 1)) continue;
    const raw = text.slice(t.start, t.end);
    if (raw[0] !== other) continue;
    const body = raw.slice(1, -1);
    if (body.includes(quote) || body.includes('\\')) continue;
    out += text.slice(last, t.start) + quote + body + quote;
    last = t.end;
  }
  return out + text.slice(last);
}
