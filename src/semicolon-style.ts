/**
 * A file written without semicolons (standard style: statements end at the line break) gets none from the migration
 * either. The printer (recast) and the generated snippets end statements with `;`, which such a project's linter
 * refuses line by line; when the input ends no line with a semicolon, every statement-ending `;` of the output goes.
 * Where the next line starts with `(`, `[` or a template the line break would not end the statement, so the
 * semicolon moves to the start of that line instead, as such files write it.
 */
import { parseSource, type Token } from './parse.js';

/** Lines of code a file needs before its lack of semicolons is a style rather than chance. */
const MIN_STATEMENT_LINES = 5;

export function withoutAddedSemicolons(file: string, input: string, output: string): string {
  if (input === output || !output.includes(';')) return output;
  const before = parseSource(file, input, true);
  if (!before.ok || !writtenWithoutSemicolons(input, before.tokens)) return output;
  const after = parseSource(file, output, true);
  if (!after.ok) return output;
  const ends = lineEndSemicolons(output, after.tokens);
  if (!ends.length) return output;
  let text = '';
  let last = 0;
  for (const { at, next, nextAt } of ends) {
    text += output.slice(last, at);
    last = at + 1;
    // Before `(`, `[` or a template the line break ends nothing: the semicolon leads the next line, as such
    // files write it (`;[a, b].forEach(…)`).
    if (next && /^[([`]/.test(next) && nextAt !== undefined) {
      text += output.slice(last, nextAt) + ';';
      last = nextAt;
    }
  }
  text += output.slice(last);
  return parseSource(file, text).ok ? text : output;
}

function writtenWithoutSemicolons(input: string, tokens: Token[]): boolean {
  if (lineEndSemicolons(input, tokens, true).length) return false;
  const codeLines = new Set(tokens.filter(t => !/^Comment/.test(t.type)).map(t => t.line));
  return codeLines.size >= MIN_STATEMENT_LINES;
}

/**
 * `;` tokens that end a statement (in a block, not a `for (…;…)` head) as the last token on their line; with
 * `firstOnly`, stop at the first (the style test needs no more, and a bundle has tens of thousands).
 */
function lineEndSemicolons(
  text: string,
  tokens: Token[],
  firstOnly = false
): { at: number; next?: string; nextAt?: number }[] {
  const found: { at: number; next?: string; nextAt?: number }[] = [];
  const open: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.type === '(' || t.type === '[' || t.type === '{' || t.type === '${' || t.type === '{|') open.push(t.type);
    else if (t.type === ')' || t.type === ']' || t.type === '}' || t.type === '|}') open.pop();
    if (t.type !== ';' || open[open.length - 1] === '(' || open[open.length - 1] === '[') continue;
    const next = nextCodeToken(tokens, i + 1);
    if (next && next.line === t.line) continue;
    found.push({ at: t.start, next: next ? text.slice(next.start, next.start + 1) : undefined, nextAt: next?.start });
    if (firstOnly) break;
  }
  return found;
}

function nextCodeToken(tokens: Token[], from: number): Token | undefined {
  for (let j = from; j < tokens.length; j++) {
    const n = tokens[j];
    if (n.type !== 'eof' && !/^Comment/.test(n.type)) return n;
  }
  return undefined;
}
