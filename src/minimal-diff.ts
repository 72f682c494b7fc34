/**
 * The minimal-diff pass: codegen (ts-morph, recast) re-indents and re-quotes code it did not mean to change.
 * Every output line whose only difference from an input line in the same hunk is whitespace or the quote style
 * of string literals is put back as it was; string literals on lines that are really new are re-quoted to the
 * file's dominant style. A reviewer then sees only lines that changed meaning.
 *
 * One re-indentation is meant and kept: code a rewrite moved into a new block (a generated
 * `function createServer() {` … `}` around former module-level statements) is indented one level deeper.
 */
import { diffArrays } from 'diff';
import { dominantQuote, indentUnit } from '../transforms/kit/source-style.js';
import { markerTag } from '../transforms/kit/marker-vocabulary.js';
import { parseSource } from './parse.js';

/** One output line, with the input line it may stand for. `fresh` lines have no counterpart. */
export interface AlignedLine {
  text: string;
  /** The input line this one equals but for whitespace and quotes. */
  original?: string;
  /** The input line this one replaced line-for-line (different content, same place). */
  replaced?: string;
}

export function minimizeDiff(file: string, input: string, output: string): string {
  if (input === output) return output;
  const lines = align(input, output);
  const moved = movedBlockLines(lines, indentUnit(input));
  const restored = lines.map((l, i) => {
    if (moved.has(i)) return moved.get(i)!;
    if (l.original !== undefined) return l.original;
    // codegen re-indents what it touches: a replaced line keeps the indentation of the line it replaced
    if (l.replaced !== undefined) return withIndentOf(l.replaced, l.text);
    return unshift(lines, i, moved);
  });
  const fresh = new Set(lines.flatMap((l, i) => (l.original === undefined ? [i] : [])));
  return requoteFreshLines(
    file,
    input,
    keepNesting(
      lines.map(l => l.text),
      restored,
      indentUnit(input)
    ),
    fresh
  );
}

/**
 * Putting lines back as they were must not break the nesting the printer laid out: where the printed text goes
 * deeper, stays level or comes back out from one line to the next, so must the result. A line put back against that
 * (a line paired with an input line at another depth, in code moved into a new block) keeps its printed text
 * instead, until no pair disagrees, so no block mixes levels and every closer lines up with its opener.
 */
export function keepNesting(printed: string[], restored: string[], unit?: string): string[] {
  const out = [...restored];
  const depth = (line: string) => indentOf(line).replace(/\t/g, '        ').length;
  // A line opening a block and the line closing it, where the printer lined them up.
  const pairs: [number, number][] = [];
  const opened: number[] = [];
  printed.forEach((line, i) => {
    if (/^\s*[})\]]/.test(line)) {
      const o = opened.pop();
      if (o !== undefined && depth(printed[o]!) === depth(line)) pairs.push([o, i]);
    }
    if (/[{([]\s*$/.test(line)) opened.push(i);
  });
  const revert = (i: number) => {
    if (out[i] === printed[i]) return false;
    out[i] = printed[i]!;
    return true;
  };
  for (let pass = 0; pass < 100; pass++) {
    let changed = false;
    for (const [o, c] of pairs) {
      if (depth(out[o]!) !== depth(out[c]!)) changed = revert(c) || revert(o) || changed;
      // A block's first line of code (a comment above it may have stood there before) sits one step in from its
      // opener: put back at the depth it had inside a block the rewrite took away (`if (!sessionId) { return page }` →
      // `return page`), it would stand more than the file's one unit in, deeper than printed. (A whole block put back
      // at the file's own wider unit is not that.)
      const first = out.findIndex(
        (line, i) => i > o && i < c && line.trim() !== '' && !/^\s*(?:\/\/|\/\*|\*)/.test(line)
      );
      if (unit === undefined || first < 0 || out[o] !== printed[o]) continue;
      const step = depth(out[first]!) - depth(out[o]!);
      if (step > depth(printed[first]!) - depth(printed[o]!) && step > depth(unit)) changed = revert(first) || changed;
    }
    let prev = -1;
    for (let i = 0; i < out.length; i++) {
      if (out[i]!.trim() === '') continue;
      if (prev >= 0) {
        const want = Math.sign(depth(printed[i]!) - depth(printed[prev]!));
        const have = Math.sign(depth(out[i]!) - depth(out[prev]!));
        if (want !== have) changed = revert(i) || revert(prev) || changed;
      }
      prev = i;
    }
    if (!changed) break;
  }
  return out;
}

/** Pairs each output line with an input line it equals but for whitespace and quotes (in diff hunks). */
export function align(input: string, output: string): AlignedLine[] {
  const out: AlignedLine[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  // A hunk is every removed and added chunk between two unchanged ones: the diff may interleave them.
  const leftover = new Map<string, string[]>();
  const flush = () => {
    if (removed.length || added.length) {
      const { lines, unpaired } = pairLines(removed, added);
      out.push(...lines);
      for (const r of unpaired) leftover.set(canonical(r), [...(leftover.get(canonical(r)) ?? []), r]);
    }
    removed = [];
    added = [];
  };
  const inputLines = input.split('\n');
  const outputLines = output.split('\n');
  // Exact lines first; a file whose every line moved (a big module wrapped into a factory) would make Myers'
  // algorithm quadratic, so past a few thousand edits lines are compared in canonical form (whitespace and quotes
  // aside), where a re-indented block is no change at all.
  const budget = Math.max(200, Math.floor(EXACT_DIFF_WORK / (inputLines.length + outputLines.length)));
  const exact = diffArrays(inputLines, outputLines, { maxEditLength: budget });
  const chunks = exact ?? diffArrays(inputLines.map(canonical), outputLines.map(canonical));
  let i = 0;
  let o = 0;
  for (const c of chunks) {
    const n = c.count ?? c.value.length;
    if (c.removed) {
      removed.push(...inputLines.slice(i, i + n));
      i += n;
    } else if (c.added) {
      added.push(...outputLines.slice(o, o + n));
      o += n;
    } else {
      flush();
      for (let k = 0; k < n; k++) out.push({ text: outputLines[o + k]!, original: inputLines[i + k]! });
      i += n;
      o += n;
    }
  }
  flush();
  // Code that codegen moved across an unchanged line lands in another hunk: pair a new line with the one removed
  // line anywhere in the file that it equals but for whitespace and quotes, when that pairing is unambiguous.
  for (const line of out) {
    if (line.original !== undefined || line.replaced !== undefined) continue;
    const key = canonical(line.text);
    const candidates = leftover.get(key);
    if (key.length >= 10 && candidates?.length === 1) {
      line.original = candidates[0];
      leftover.delete(key);
    }
  }
  return out;
}

/**
 * Output lines inside a block a rewrite opened (a fresh line ending in `{` … a fresh line starting with `}` at
 * the same indentation) that sit exactly one indentation unit deeper than their input line.
 */
export function movedBlockLines(lines: AlignedLine[], unit: string): Map<number, string> {
  const moved = new Map<number, string>();
  for (let i = 0; i < lines.length; i++) {
    const open = lines[i];
    if (open.original !== undefined || !/[{([]\s*$/.test(open.text)) continue;
    const indent = indentOf(open.text);
    for (let k = i + 1; k < lines.length; k++) {
      const l = lines[k];
      // the closer may have been paired with some other `}` of the input: only its place and indent matter
      if (/^\s*[})\]]/.test(l.text) && indentOf(l.text) === indent) {
        const inner: number[] = [];
        const deltas = new Set<number>();
        for (let m = i + 1; m < k; m++) {
          const before = lines[m]!.original ?? lines[m]!.replaced;
          if (
            before === undefined ||
            lines[m]!.text.trim() === '' ||
            /\t/.test(indentOf(lines[m]!.text) + indentOf(before))
          )
            continue;
          inner.push(m);
          // A bare closer pairs with any closer of the input: its shift is no evidence.
          if (!isBareBracket(lines[m]!.text)) deltas.add(indentOf(lines[m]!.text).length - indentOf(before).length);
        }
        // Into a new block: each line whole units deeper than it was (one, or more for a line that came from a block
        // further out, such as a declaration above the try whose setup the block gathers).
        for (const m of inner) {
          const now = indentOf(lines[m]!.text);
          const was = indentOf((lines[m]!.original ?? lines[m]!.replaced)!);
          const deeper = now.length - was.length;
          if (unit && now.startsWith(was) && deeper > 0 && deeper % unit.length === 0) moved.set(m, lines[m]!.text);
        }
        const shifts = [...deltas];
        // Code moved as a whole: out of a block to module scope (every line shifted left alike), or into a new block
        // at the printer's width rather than the file's (a file whose unit the printer did not pick up), where the
        // printer may also have pushed nested lines further. Every line keeps its indentation relative to the
        // others, shifted by the block's move. Restructured code (all shifts whole units) keeps the printer's layout.
        const uniform = shifts.length === 1 && shifts[0] !== 0;
        const foreignWidth =
          shifts.length > 1 && shifts.every(d => d > 0) && Math.min(...shifts) !== unit.length && !unit.includes('\t');
        const shift = uniform ? shifts[0]! : foreignWidth ? Math.min(...shifts) : 0;
        if (inner.length && shift) {
          // A bare closer pairs with any closer of the input: it lines up with the line that opened it instead.
          const open: string[] = [];
          const members = new Set(inner);
          for (let m = i + 1; m < k; m++) {
            const text = lines[m]!.text;
            if (!members.has(m)) {
              // Fresh code keeps its printed place, and may open what a moved closer closes.
              if (isBareCloser(text)) open.pop();
              else if (/[{([]\s*$/.test(text)) open.push(indentOf(text));
              continue;
            }
            if (isBareCloser(text)) {
              moved.set(m, (open.pop() ?? indentOf(text)) + text.trimStart());
              continue;
            }
            const before = (lines[m]!.original ?? lines[m]!.replaced)!;
            // A bare opener paired with any opener of the input: where the printer put it is the evidence.
            const placed = isBareBracket(text)
              ? text
              : ' '.repeat(Math.max(0, indentOf(before).length + shift)) + text.trimStart();
            moved.set(m, placed);
            if (/[{([]\s*$/.test(text)) open.push(indentOf(placed));
          }
        }
        break;
      }
    }
  }
  for (const m of movedOutOfRemovedBlocks(lines, unit, moved)) moved.set(m, lines[m]!.text);
  return moved;
}

/**
 * Output lines a rewrite lifted out of a block it removed (the statements of an `if` branch that now run
 * unconditionally): a run of lines each the same whole number of units shallower than its input line. The printer
 * laid them out consistently; putting some back at the old depth would mix levels inside one statement.
 */
function movedOutOfRemovedBlocks(lines: AlignedLine[], unit: string, moved: Map<number, string>): number[] {
  const found: number[] = [];
  if (unit.includes('\t')) return found;
  let run: number[] = [];
  let shift = 0;
  // The line after the last marker the rewrite wrote: a statement it moved carries one (`// NOTE(mcp-migrate/…)`).
  let underMarker = -1;
  const close = () => {
    const statements = run.filter(m => !isBareBracket(lines[m]!.text)).length;
    if (statements >= 2 || (statements === 1 && run[0] === underMarker)) found.push(...run);
    run = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.text.trim() === '') continue;
    if (l.original === undefined && l.replaced === undefined && WRITTEN_MARKER.test(l.text)) {
      underMarker = i + 1;
      continue;
    }
    // A line the rewrite changed in place (a call renamed) moved with its run when it shifted alike: no break.
    if (l.original === undefined && l.replaced !== undefined && run.length && !/\t/.test(indentOf(l.text))) {
      if (indentOf(l.text).length - indentOf(l.replaced).length === shift) continue;
    }
    if (l.original === undefined || moved.has(i) || /\t/.test(indentOf(l.text) + indentOf(l.original))) {
      close();
      continue;
    }
    // A bare bracket pairs with any bracket of the input: no evidence either way, it goes with its run.
    if (isBareBracket(l.text)) {
      if (run.length) run.push(i);
      continue;
    }
    const d = indentOf(l.text).length - indentOf(l.original).length;
    const whole = d < 0 && -d % unit.length === 0;
    if (whole && run.length && d === shift) {
      run.push(i);
      continue;
    }
    close();
    if (whole) {
      run = [i];
      shift = d;
    }
  }
  close();
  return found;
}

// A whole-line `// TODO(mcp-migrate/…` or `// NOTE(mcp-migrate/…` comment, in the markers' own vocabulary.
const WRITTEN_MARKER = new RegExp(String.raw`^\s*\/\/ (?:TODO|NOTE)\(${markerTag('')}`);

function isBareCloser(line: string): boolean {
  return /^[})\]][)\]};,]*$/.test(line.trim());
}

/** A line that is nothing but brackets (`{`, `},`, `]);`): it pairs with any such line, so it is no evidence. */
function isBareBracket(line: string): boolean {
  return /^[{([\])}][{([\])};,]*$/.test(line.trim());
}

/**
 * A new line inside a region that codegen shifted (its nearest paired neighbour now sits `delta` columns deeper
 * than it was) is shifted back by the same amount, unless the shift was meant (a moved block).
 */
function unshift(lines: AlignedLine[], i: number, moved: Map<number, string>): string {
  const text = lines[i].text;
  if (text.trim() === '') return text;
  for (let d = 1; d <= 12; d++) {
    for (const k of [i + d, i - d]) {
      const n = lines[k];
      // A bare closer pairs with any closer of the input: it says nothing about how far this region moved.
      if (!n || n.original === undefined || n.text.trim() === '' || isBareCloser(n.text)) continue;
      if (moved.has(k)) return text;
      const delta = indentOf(n.text).length - indentOf(n.original).length;
      const mine = indentOf(text);
      if (delta <= 0 || mine.length < delta || /\t/.test(mine)) return text;
      return mine.slice(delta) + text.trimStart();
    }
  }
  return text;
}

export function indentOf(line: string): string {
  return /^[ \t]*/.exec(line)![0];
}

/** Canonical form of a line for "same but for whitespace and quotes". */
function canonical(line: string): string {
  return line.replace(/\s+/g, '').replace(/"/g, "'");
}

/** Work (lines × edits) the exact line diff may do before lines are compared in canonical form (see align). */
const EXACT_DIFF_WORK = 4_000_000;

/** Hunks larger than this (lines × lines) are aligned greedily instead of by LCS, to bound the work. */
const LCS_LIMIT = 4_000_000;

/**
 * Aligns a hunk's removed lines with its added lines by canonical equality (longest common subsequence, in
 * order). Between two aligned lines, n removed lines replaced by n added lines are a line-for-line edit.
 */
function pairLines(removed: string[], added: string[]): { lines: AlignedLine[]; unpaired: string[] } {
  if (removed.length === 0) return { lines: added.map(text => ({ text })), unpaired: [] };
  const a = removed.map(canonical);
  const b = added.map(canonical);
  const lcs = a.length * b.length <= LCS_LIMIT ? lcsTable(a, b) : undefined;
  const out: AlignedLine[] = [];
  const unpaired: string[] = [];
  let gapRemoved: string[] = [];
  let gapAdded: AlignedLine[] = [];
  const closeGap = () => {
    if (gapRemoved.length === gapAdded.length) {
      gapAdded.forEach((line, i) => {
        if (similar(line.text, gapRemoved[i])) line.replaced = gapRemoved[i];
        else unpaired.push(gapRemoved[i]);
      });
    } else unpaired.push(...gapRemoved);
    gapRemoved = [];
    gapAdded = [];
  };
  let x = 0;
  let y = 0;
  while (y < b.length) {
    if (x < a.length && a[x] === b[y]) {
      closeGap();
      out.push({ text: added[y], original: removed[x] });
      x++;
      y++;
    } else if (x < a.length && (lcs ? lcs[x + 1][y] >= lcs[x][y + 1] : !b.slice(y).includes(a[x]))) {
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
  return { lines: out, unpaired };
}

/**
 * An edited line (same start or end as the line it replaced, like `inputSchema: {` → `inputSchema: z.object({`)
 * rather than a different statement that happens to stand in the same place.
 */
function similar(a: string, b: string): boolean {
  const x = a.trim();
  const y = b.trim();
  let prefix = 0;
  while (prefix < x.length && prefix < y.length && x[prefix] === y[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < x.length - prefix &&
    suffix < y.length - prefix &&
    x[x.length - 1 - suffix] === y[y.length - 1 - suffix]
  )
    suffix++;
  return prefix + suffix >= Math.min(x.length, y.length) / 2;
}

function lcsTable(a: string[], b: string[]): number[][] {
  const t: number[][] = Array.from({ length: a.length + 1 }, () => new Array(b.length + 1).fill(0));
  for (let x = a.length - 1; x >= 0; x--) {
    for (let y = b.length - 1; y >= 0; y--) {
      t[x][y] = a[x] === b[y] ? t[x + 1][y + 1] + 1 : Math.max(t[x + 1][y], t[x][y + 1]);
    }
  }
  return t;
}

function withIndentOf(original: string, line: string): string {
  const trimmed = line.trimStart();
  return trimmed === '' ? line : indentOf(original) + trimmed;
}

/** Re-quotes string literals on fresh lines when the content allows it without new escapes. */
/** A generated module (mcp-tracing.ts, …) in the quote style of the project file that asked for it. */
export function inQuoteStyleOf(file: string, project: string, generated: string): string {
  const lines = generated.split('\n');
  return requoteFreshLines(file, project, lines, new Set(lines.keys()));
}

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
