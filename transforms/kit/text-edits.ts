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
  const kept = withoutMootEdits(edits);
  // Front to back in one pass (linear in the text, however many edits): at one offset, insertions come before a
  // replacement starting there, and of two insertions the later-listed one comes first.
  const order = kept.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || b.i - a.i);
  const parts: string[] = [];
  let cursor = 0;
  for (const { e } of order) {
    parts.push(source.slice(cursor, e.start), e.text);
    cursor = Math.max(cursor, e.end);
  }
  parts.push(source.slice(cursor));
  return parts.join('');
}

/**
 * An edit inside a range another edit replaces (a marker above a statement that is being deleted) is moot, and
 * applying both would splice into shifted text. An insertion right where a removed range ends is not inside it: it
 * belongs to the next statement; nor is one where a rewritten (not deleted) range starts: it goes before the new
 * text (a marker above a rewritten import). Found in one sweep over the edits sorted by start.
 */
function withoutMootEdits(edits: TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || b.end - a.end);
  const moot = new Set<TextEdit>();
  let coverEnd = -1; // the furthest end of a non-empty range starting before the current offset
  for (let k = 0; k < sorted.length;) {
    const start = sorted[k]!.start;
    let next = k;
    while (next < sorted.length && sorted[next]!.start === start) next++;
    const group = sorted.slice(k, next);
    const deletedHere = group.some(o => o.end > o.start && o.text === '');
    for (const e of group) {
      const inside =
        e.start === e.end
          ? coverEnd > start || deletedHere
          : coverEnd >= e.end || group.some(o => o !== e && o.end > e.end);
      if (inside) moot.add(e);
    }
    for (const o of group) if (o.end > o.start) coverEnd = Math.max(coverEnd, o.end);
    k = next;
  }
  return edits.filter(e => !moot.has(e));
}

/** Offset of the start of the line holding `offset`. */
export function lineStartOf(source: string, offset: number): number {
  return source.lastIndexOf('\n', offset - 1) + 1;
}

/** The indentation of the line holding `offset`. */
export function lineIndent(source: string, offset: number): string {
  return /^[ \t]*/.exec(source.slice(lineStartOf(source, offset)))![0];
}

/** An edit that puts a whole-line comment above the line holding `offset`, at that line's indentation. */
export function commentAbove(source: string, offset: number, comment: string): TextEdit {
  const lineStart = lineStartOf(source, offset);
  return { start: lineStart, end: lineStart, text: `${lineIndent(source, offset)}// ${comment}\n` };
}

/**
 * Does the run of line comments right above `offset` already carry this marker? Keeps marker insertion idempotent
 * when several rewrites stack their markers on one statement.
 */
export function markedAbove(source: string, offset: number, tag: string): boolean {
  let lineStart = source.lastIndexOf('\n', offset - 1) + 1;
  while (lineStart > 0) {
    const prevStart = source.lastIndexOf('\n', lineStart - 2) + 1;
    const line = source.slice(prevStart, lineStart);
    if (!/^\s*\/\//.test(line)) return false;
    if (line.includes(tag)) return true;
    lineStart = prevStart;
  }
  return false;
}

/**
 * Offsets of a parsed node in the original source. recast expands leading tabs (4 columns each) before handing
 * the text to the parser, so `node.start` / `node.end` are offsets in that expanded text; `loc` line/column,
 * mapped back through each line's own indentation, is what points into the file as written.
 */
export function rangeOf(
  source: string,
  node: {
    loc?: { start: { line: number; column: number }; end: { line: number; column: number } } | null;
    start?: number;
    end?: number;
  }
): { start: number; end: number } {
  if (!node.loc) return { start: node.start ?? 0, end: node.end ?? 0 };
  return {
    start: offsetAt(source, node.loc.start.line, node.loc.start.column),
    end: offsetAt(source, node.loc.end.line, node.loc.end.column)
  };
}

const TAB_WIDTH = 4;
let cachedSource = '';
let cachedLineStarts: number[] = [];

function offsetAt(source: string, line: number, column: number): number {
  if (source !== cachedSource) {
    cachedSource = source;
    cachedLineStarts = [0];
    for (let i = 0; i < source.length; i++) if (source.charCodeAt(i) === 10) cachedLineStarts.push(i + 1);
  }
  const start = cachedLineStarts[line - 1] ?? source.length;
  let visual = 0;
  let i = start;
  while (i < source.length && (source[i] === ' ' || source[i] === '\t') && visual < column) {
    visual = source[i] === '\t' ? visual + TAB_WIDTH - (visual % TAB_WIDTH) : visual + 1;
    i++;
  }
  return i + Math.max(0, column - visual);
}

/** Rewrites every node's `start` / `end` to offsets in the source as written (see rangeOf), once per parse. */
export function useSourceOffsets(source: string, ast: unknown): void {
  if (!source.includes('\t')) return; // without tabs the two coordinate systems agree
  const seen = new Set<object>();
  const visit = (node: any) => {
    if (!node || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (node.loc && typeof node.type === 'string') {
      const r = rangeOf(source, node);
      node.start = r.start;
      node.end = r.end;
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'loc' || key === 'tokens' || key === 'original') continue;
      if (value && typeof value === 'object') visit(value);
    }
  };
  visit(ast);
}

/**
 * Edits removing the items at `remove` from a comma-separated list (object properties, import specifiers) with
 * their commas, keeping the layout of what stays: an item goes up to the start of the next one, a trailing run
 * goes from the end of the last item kept.
 */
export function listItemsRemoval(items: { start: number; end: number }[], remove: Set<number>): TextEdit[] {
  let lastKept = -1;
  items.forEach((_, i) => {
    if (!remove.has(i)) lastKept = i;
  });
  if (lastKept < 0)
    return items.length ? [{ start: items[0]!.start, end: items[items.length - 1]!.end, text: '' }] : [];
  const edits: TextEdit[] = [];
  for (const i of remove) if (i < lastKept) edits.push({ start: items[i]!.start, end: items[i + 1]!.start, text: '' });
  if (lastKept < items.length - 1)
    edits.push({ start: items[lastKept]!.end, end: items[items.length - 1]!.end, text: '' });
  return edits;
}

/** Continuation lines of moved text lose the indentation of the line it came from (template text is left alone). */
export function dedent(text: string, indent: string): string {
  if (!indent || text.includes('`')) return text;
  return text
    .split('\n')
    .map((line, i) => (i > 0 && line.startsWith(indent) ? line.slice(indent.length) : line))
    .join('\n');
}

/**
 * Removes the whole lines a node spans, so no blank indentation is left behind; with `collapseBlank`, a removal
 * between two blank lines takes one of them too, so no double gap is left.
 */
export function wholeLines(src: string, node: { start: number; end: number }, collapseBlank = false): TextEdit {
  const start = src.lastIndexOf('\n', node.start - 1) + 1;
  const nl = src.indexOf('\n', node.end);
  let end = nl < 0 ? src.length : nl + 1;
  if (collapseBlank && start >= 2 && src[start - 2] === '\n' && src[end] === '\n') end++;
  return { start, end, text: '' };
}
