/**
 * The last safety net of every run: no leftover the user is not told about. After the rewrites, `check`'s rules run
 * over the migrated text; every error finding that no marker already explains (a TODO/NOTE on its line or the three
 * above, which check reports as the marker it carries) gets a `// TODO(mcp-migrate/check/<rule>): <what is wrong> —
 * <what to do>` line above it, and an error diagnostic. The specific rewrites say more where they recognise a shape;
 * this says at least what `check` knows.
 * A marker goes above the finding's own line when that line starts between tokens, else above its statement, and
 * never inside a string, template text or comment; a finding in an interpolation whose line starts inside template
 * text (an HTML page built in a template) gets a block comment in place, just before it.
 */
import { parse } from '@babel/parser';
import { babelOptions } from '../transforms/kit/grammar.js';
import { markerLine, markerRuleOf, markerTag, markerText } from '../transforms/kit/marker-vocabulary.js';
import { lineIndent, markedAbove } from '../transforms/kit/text-edits.js';
import { checkText, type CheckContext } from './check/matcher.js';
import { RULES } from './check/rules.js';
import { V1_LIBRARY } from './check/file-rules.js';
import { OWN_TRANSPORT } from './check/own-transport.js';
import { ZOD_3 } from './check/zod-3.js';
import { isTestFile } from '../transforms/cache-hints/test-files.js';
import type { Diagnostic } from './types.js';

const MARKER_RULES = new Set(['todo-marker', 'codemod-marker', 'note-marker', 'invalid-suppression']);

export const LEFTOVER_PREFIX = 'check';

/** In a file's own pass its manifest is not settled yet (the run edits it after every file): no zod-3 finding. */
export const UNDECIDED_ZOD: CheckContext = { declared: () => undefined };

/**
 * What to do about a finding in a test (`*.test.ts`, a `test/` folder): an integration test that opens a session
 * by hand (supertest or fetch against the project's app) tests what the migrated server no longer does, and
 * "serve statelessly" tells its author nothing.
 */
const IN_TESTS: Record<string, string> = {
  'session-id':
    'the migrated server mints no session id and ignores one sent, so a test asserting the header, replaying it or ' +
    'expecting a refusal without it tests what is gone: assert the header is absent and drop the session plumbing, ' +
    'or delete the test if sessions were its subject',
  'initialize-handshake':
    'a 2026-07-28 client sends no initialize (the migrated server still answers one from a 2025-era client, without ' +
    'a session): send the request under test directly, or keep this as a 2025-compatibility test',
  'session-routes':
    'the migrated server answers GET and DELETE on its MCP path with 405: assert that, or delete the test'
};

/** Findings whose message is their own (it names the library, the class, the zod range) rather than their rule's. */
const OWN_MESSAGE = new Set([V1_LIBRARY, OWN_TRANSPORT, ZOD_3]);

export function markLeftovers(
  file: string,
  original: string,
  context: CheckContext = UNDECIDED_ZOD
): { text: string; diagnostics: Diagnostic[] } {
  const { text, findings: all } = withoutStaleMarkers(file, original, context);
  const findings = all.filter(f => f.severity === 'error' && !MARKER_RULES.has(f.rule));
  if (findings.length === 0) return { text, diagnostics: [] };
  const test = isTestFile(file);
  const fix = (r: (typeof RULES)[number]) => (test ? (IN_TESTS[r.id] ?? r.fix) : r.fix);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  const opaque = opaqueRanges(file, text);
  const inserts = new Map<number, { rule: string; message: string; inline: boolean }[]>();
  // The line each rule's last marker goes above: a finding of that rule a line or two below it, with no other marker
  // between, is within that marker's reach once it is in (carried-markers.ts), as the lines of one expression
  // (`sid = Array.isArray(h['mcp-session-id'])` / `? h['mcp-session-id'][0]` / `: h['mcp-session-id']`) are.
  const lastMarkerLine = new Map<string, number>();
  for (const f of findings) {
    // check already says which marker on the finding's line or the three above explains it (carried-markers.ts).
    if (f.marker) continue;
    const above = lastMarkerLine.get(f.rule);
    if (above !== undefined && f.line - above <= 2 && !insertedBetween(inserts, lineStarts, above, f.line)) continue;
    const message = OWN_MESSAGE.has(f.rule)
      ? f.message
      : RULES.filter(r => r.id === f.rule).map(r => `${r.message} — ${fix(r)}`)[0];
    if (!message) continue;
    const lineStart = lineStarts[f.line - 1]!;
    const offset = lineStart + f.column - 1;
    // A finding in code whose line starts inside a template's text (an interpolation in an HTML page) is marked
    // in place with a block comment, so the marker sits on its line; otherwise the marker is a line above.
    const inline = insideAny(lineStart, opaque) && !insideAny(offset, opaque);
    const at = inline ? offset : placeFor(lineStart, opaque, lineStarts);
    const list = inserts.get(at) ?? [];
    if (!list.some(x => x.rule === f.rule)) list.push({ rule: f.rule, message, inline });
    inserts.set(at, list);
    if (!inline) lastMarkerLine.set(f.rule, lineOfOffset(lineStarts, at) + 1);
  }
  // Front to back: each marker shifts the lines below it, which the diagnostics must count.
  const parts: string[] = [];
  const diagnostics: Diagnostic[] = [];
  let cursor = 0;
  let added = 0;
  for (const at of [...inserts.keys()].sort((a, b) => a - b)) {
    parts.push(text.slice(cursor, at));
    cursor = at;
    const indent = lineIndent(text, at);
    const line = lineOfOffset(lineStarts, at) + 1;
    for (const { rule, message, inline } of inserts.get(at)!) {
      const id = `${LEFTOVER_PREFIX}/${rule}`;
      if (inline) {
        parts.push(`/* ${markerText('TODO', id, message)} */ `);
        diagnostics.push(diagnostic(file, id, line + added, at - lineStarts[line - 1]! + 1, message));
        continue;
      }
      if (!markedAbove(text, at, `(${markerTag(id)})`)) {
        parts.push(markerLine('TODO', id, message, indent));
        added++;
      }
      diagnostics.push(diagnostic(file, id, line + added, indent.length + 1, message));
    }
  }
  parts.push(text.slice(cursor));
  return settled(file, parts.join(''), diagnostics, context);
}

/** Does any marker go in above a line after `from` and up to `to` (1-based lines of the text before the markers)? */
function insertedBetween(inserts: Map<number, unknown[]>, lineStarts: number[], from: number, to: number): boolean {
  return [...inserts.keys()].some(at => {
    const line = lineOfOffset(lineStarts, at) + 1;
    return line > from && line <= to;
  });
}

/**
 * A marker placed far above its finding (the line above a statement that starts many lines up, as in a bundle whose
 * template spans the file) may carry nothing once the others are in: another marker nearer the finding does. The next
 * run would drop it as stale, so it goes now, with its diagnostic, and a second run changes nothing.
 */
function settled(
  file: string,
  text: string,
  diagnostics: Diagnostic[],
  context: CheckContext
): { text: string; diagnostics: Diagnostic[] } {
  const { text: kept, dropped } = withoutStaleMarkers(file, text, context);
  if (dropped.length === 0) return { text, diagnostics };
  // A marker line's diagnostic is on the statement under it (the dropped line's number + 1, counted from 1).
  const lines = text.split('\n');
  const explained = new Set(dropped.map(i => `${markerRuleOf(lines[i]!, 'TODO')}@${i + 2}`));
  const gone = dropped.map(i => i + 1);
  const remaining = diagnostics
    .filter(d => !explained.has(`${d.rule}@${d.line}`))
    .map(d => ({ ...d, line: d.line - gone.filter(l => l < d.line).length }));
  return { text: kept, diagnostics: remaining };
}

/**
 * A `// TODO(mcp-migrate/check/<rule>)` line this pass wrote on an earlier run, above code a later run (or the user)
 * has since rewritten, explains nothing any more: `check` reports it as a marker alone. Such a line goes, so a
 * re-run leaves no TODO over finished code. Only whole lines exactly as this pass writes them (a rule's own words,
 * not a message of its own naming a library or a class), and only when no finding carries them; a marker with a
 * finding under it stays, so a second run changes nothing.
 */
function withoutStaleMarkers(
  file: string,
  text: string,
  context: CheckContext
): { text: string; findings: ReturnType<typeof checkText>; dropped: number[] } {
  const findings = checkText(file, text, RULES, context);
  const stale = findings.filter(
    f => f.rule === 'todo-marker' && f.message.startsWith(`TODO(mcp-migrate/${LEFTOVER_PREFIX}/`)
  );
  if (stale.length === 0) return { text, findings, dropped: [] };
  const lines = text.split('\n');
  // The rule's own words, as this pass writes them: a marker whose text differs was edited, and is the user's now.
  const written = (message: string) => {
    const rule = RULES.find(r => message.startsWith(`TODO(${markerTag(`${LEFTOVER_PREFIX}/${r.id}`)}):`));
    return rule ? markerLine('TODO', `${LEFTOVER_PREFIX}/${rule.id}`, `${rule.message} — ${rule.fix}`, '').trim() : '';
  };
  const drop = new Set(
    stale
      .filter(f => {
        const own = written(f.message);
        return own !== '' && lines[f.line - 1]?.trim() === own;
      })
      .map(f => f.line - 1)
  );
  if (drop.size === 0) return { text, findings, dropped: [] };
  // Only when a line went is the text checked again: the findings below it moved up.
  const kept = lines.filter((_, i) => !drop.has(i)).join('\n');
  return { text: kept, findings: checkText(file, kept, RULES, context), dropped: [...drop].sort((a, b) => a - b) };
}

function diagnostic(file: string, rule: string, line: number, column: number, message: string): Diagnostic {
  return { transform: LEFTOVER_PREFIX, rule, file, line, column, severity: 'error', message };
}

function insideAny(offset: number, ranges: [number, number][]): boolean {
  return ranges.some(([s, e]) => s < offset && offset < e);
}

function lineOfOffset(lineStarts: number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Ranges a comment must not be put into: the text of template literals, strings, JSX text and comments. */
function opaqueRanges(file: string, text: string): [number, number][] {
  let ast: any;
  try {
    ast = parse(text, babelOptions(file, { errorRecovery: true }));
  } catch {
    return [];
  }
  const ranges: [number, number][] = (ast.comments ?? []).map((c: any) => [c.start, c.end]);
  const walk = (n: any): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n.type !== 'string') return;
    // A template element's range is its text alone: an offset at either end (next to the backtick or `${`) is still
    // inside the template, where a line comment would be text and its backticks would end the template.
    if (n.type === 'TemplateElement') ranges.push([n.start - 1, n.end + 1]);
    else if (/^(StringLiteral|JSXText|DirectiveLiteral)$/.test(n.type)) ranges.push([n.start, n.end]);
    for (const key of Object.keys(n)) if (key !== 'loc' && !key.endsWith('Comments') && key !== 'extra') walk(n[key]);
  };
  walk(ast.program);
  return ranges;
}

/** The line start to put a marker at: the finding's line, or the first earlier line that starts outside `opaque`. */
function placeFor(lineStart: number, opaque: [number, number][], lineStarts: number[]): number {
  let at = lineStart;
  for (let guard = 0; guard < 10_000; guard++) {
    const inside = opaque.find(([s, e]) => s < at && at < e);
    if (!inside) return at;
    let i = lineStarts.findIndex(x => x > inside[0]) - 1;
    if (i < 0) i = 0;
    at = lineStarts[i]!;
  }
  return at;
}
