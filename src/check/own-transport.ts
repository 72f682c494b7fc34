/**
 * A project's own implementation of the 2025 transport (fastmcp's edge transport, an OpenAPI server's
 * `StreamableHttpServerTransport`): a class with `start` / `send` methods that feeds `this.onmessage`, and keeps
 * sessions, answers `initialize` and replays streams inside. Every line of that is 2025 protocol, and none of it is
 * fixed line by line: on 2026-07-28 the SDK's createMcpHandler serves HTTP statelessly (serveStdio takes a custom
 * message transport), so the class goes and its use is replaced. Reported as one finding at the class, with what it
 * holds; likewise a test file of such a class (it constructs a `…Transport` imported from the project) is one
 * finding: its subject goes with the class.
 */
import { isTestFile } from '../../transforms/cache-hints/test-files.js';
import { closingBrace } from './braces.js';
import type { Finding } from './carried-markers.js';

export const OWN_TRANSPORT = 'own-transport';

/** The 2025 protocol a hand-written transport implements: what it folds. */
const FOLDED = new Set([
  'session-id',
  'initialize-handshake',
  'resumability',
  'session-routes',
  'server-connect-transport'
]);

// `class X {`, `X = class {`, and as sucrase compiles a class with fields: `X = (_class = class {`.
const CLASS_HEAD =
  /(?:([A-Za-z_$][\w$]*)\s*=\s*(?:\(\s*[\w$]+\s*=\s*)?)?\bclass\b(?:\s+([A-Za-z_$][\w$]*))?(?:\s+extends\s+[^{;]+?)?(?:\s+implements\s+[^{;]+?)?\s*\{/g;
const METHOD = (name: string) =>
  new RegExp(String.raw`(?:^|[;{}\s])(?:async\s+)?${name}\s*\([^()]*\)\s*(?::[^{;]*)?\{`);
// `this.onmessage?.(…)`, or as sucrase compiles it: `_optionalChain([this, 'access', _ => _.onmessage, …])`.
const FEEDS_ONMESSAGE = /\bthis\.onmessage\b|\[\s*this\s*,[^\]]*\.onmessage\b/;
/** `import { WebStreamableHTTPServerTransport } from './edge/…'`, `const { X } = require('../x')`: the project's own. */
const RELATIVE_IMPORT =
  /\b(?:import\s*(?:type\s+)?\{([^}]*)\}\s*from|(?:const|let|var)\s*\{([^}]*)\}\s*=\s*require\s*\()\s*['"](\.{1,2}\/[^'"]+)['"]/g;

export function foldOwnTransports(
  file: string,
  code: string,
  withoutStrings: () => string,
  findings: Finding[],
  lineOf: (index: number) => number,
  suppressed: (line: number, rule: string) => boolean
): Finding[] {
  // Most files have nothing to fold: they pay for no class scan and no string-blanked copy.
  if (!findings.some(f => FOLDED.has(f.rule))) return findings;
  const scopes: (TransportScope & { from: number; to: number })[] = [];
  const bodies = withoutStrings();
  for (const c of transportClasses(bodies)) {
    const scope = { ...c, from: lineOf(c.start), to: lineOf(c.end) };
    scopes.push(scope);
    // Its options and other types named after it (`…TransportOptions { eventStore?: EventStore }`) go with it.
    for (const t of typesNamedAfter(bodies, c.name))
      scopes.push({ ...c, start: t.start, end: t.end, from: lineOf(t.start), to: lineOf(t.end), partOf: scope });
  }
  const test = isTestFile(file) ? testedTransport(code) : undefined;
  if (test) scopes.push({ ...test, from: 1, to: Number.MAX_SAFE_INTEGER });
  if (scopes.length === 0) return findings;
  let out = findings;
  // The types named after a class fold into the class's finding: each scope's findings, by the class they belong to.
  const folded = new Map<TransportScope, Finding[]>();
  for (const scope of scopes) {
    const owner = scope.partOf ?? scope;
    const inside = out.filter(f => FOLDED.has(f.rule) && f.line >= scope.from && f.line <= scope.to);
    out = out.filter(f => !inside.includes(f));
    folded.set(owner, [...(folded.get(owner) ?? []), ...inside]);
  }
  for (const [scope, inside] of folded) {
    if (inside.length === 0) continue;
    const line = lineOf(scope.start);
    if (suppressed(line, OWN_TRANSPORT)) continue;
    out.push({
      transform: 'check',
      rule: OWN_TRANSPORT,
      file,
      line,
      column: 1,
      severity: 'error',
      message: scope.tested ? testMessage(scope.name, inside) : classMessage(scope.name, inside)
    });
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
}

function classMessage(name: string, inside: Finding[]): string {
  return (
    `\`${name}\` implements the 2025 transport itself (${summary(inside)}): a 2026-07-28 server is served ` +
    'statelessly by createMcpHandler (HTTP) or serveStdio (which takes a custom message transport) — serve the ' +
    'server factory with one of them where this class is used, then delete the class'
  );
}

function testMessage(name: string, inside: Finding[]): string {
  return (
    `tests of \`${name}\`, this project's own 2025 transport (${summary(inside)}): their subject goes with the ` +
    'transport — delete them with it, or rewrite them against the createMcpHandler that replaces it'
  );
}

function summary(inside: Finding[]): string {
  const counts = new Map<string, number>();
  for (const f of inside) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  return [...counts].map(([rule, n]) => (n > 1 ? `${rule} ×${n}` : rule)).join(', ');
}

interface TransportScope {
  name: string;
  start: number;
  end: number;
  tested?: boolean;
  /** A type named after the class: its findings are the class's. */
  partOf?: TransportScope;
}

/** Classes in `code` (comments blanked) with `start(…) {` and `send(…) {` methods that feed `this.onmessage`. */
function transportClasses(code: string): TransportScope[] {
  const out: TransportScope[] = [];
  for (const m of code.matchAll(CLASS_HEAD)) {
    const open = m.index! + m[0].length - 1;
    const close = closingBrace(code, open + 1);
    if (close < 0) continue;
    const body = code.slice(open + 1, close);
    if (!METHOD('start').test(body) || !METHOD('send').test(body) || !FEEDS_ONMESSAGE.test(body)) continue;
    out.push({ name: m[2] ?? m[1] ?? 'this class', start: m.index!, end: close });
  }
  return out;
}

/** `interface NameOptions {…}` / `type NameOptions = {…}`: where each type named after the class starts and ends. */
function typesNamedAfter(code: string, name: string): { start: number; end: number }[] {
  if (!/^[\w$]+$/.test(name)) return [];
  const out: { start: number; end: number }[] = [];
  const n = escapedName(name);
  const head = new RegExp(String.raw`\b(?:interface\s+${n}[\w$]*[^{;]*|type\s+${n}[\w$]*\s*=\s*)\{`, 'g');
  for (const m of code.matchAll(head)) {
    const close = closingBrace(code, m.index! + m[0].length);
    if (close > 0) out.push({ start: m.index!, end: close });
  }
  return out;
}

/** The first `…Transport` a test file imports from the project and constructs. */
function testedTransport(code: string): TransportScope | undefined {
  for (const m of code.matchAll(RELATIVE_IMPORT)) {
    for (const item of (m[1] ?? m[2] ?? '').split(',')) {
      const name = item
        .trim()
        .split(/\s+as\s+/)
        .pop()
        ?.trim();
      if (!name || !/Transport$/.test(name)) continue;
      if (new RegExp(String.raw`\bnew\s+${escapedName(name)}\s*\(`).test(code))
        return { name, start: m.index!, end: code.length, tested: true };
    }
  }
  return undefined;
}

function escapedName(name: string): string {
  return name.replace(/\$/g, '\\$');
}
