/**
 * The one engine behind every check rule: regex matches over a file's text, split by whether they sit in a
 * comment (markers) or in code (API use), filtered by each rule's context conditions and by inline
 * suppressions. Text-level matching keeps check fast enough to run on every CI build.
 */
import { blankRanges, commentRanges, roughCommentRanges } from '../parse.js';
import { RUNS_CALLBACK_IN_PLACE } from '../../transforms/kit/ast.js';
import { argumentText } from '../../transforms/logging-to-otel/argument-text.js';
import { servesHttp, servesHttpOnly } from '../../transforms/logging-to-otel/serving-code.js';
import { uncheckedFile, UNCHECKED_FILE, V1_LIBRARY } from './file-rules.js';
import { v1LibraryImports } from '../../transforms/stateless-entry/v1-libraries.js';
import { RULES, type Rule } from './rules.js';
import { suppressionsOf } from './suppressions.js';
import { isGeneratedModule } from '../prefilter.js';
import { carryMarkers, type Finding } from './carried-markers.js';
import { closingBrace, openingBrace } from './braces.js';
import { foldOwnTransports } from './own-transport.js';
import { ZOD_3, zod3Import, type Declared } from './zod-3.js';
import { inSessionPickup } from './session-pickup.js';
import { onOwnConnectClass } from './own-connect.js';
import { foreignClasses, onlyInstanceOf } from '../../transforms/request-envelope/instance-classes.js';

export type { Finding };

/** A string argument of a negated matcher, up to the match: `.not.toContain('…`, `.not.toMatch("…`. */
const NEGATED_EXPECTATION = /\.not\s*\.\s*\w+\s*\(\s*(['"`])(?:(?!\1)[^\n\\])*$/;
/** The span name the logging rewrite gives a handler (`withMcpSpan('resources/subscribe', …)`), up to the match. */
const SPAN_NAME = /\bwithMcpSpan\s*\(\s*$/;

/** An API name, or an option key written with it (`eventStore:`). */
const API_NAME = /^[A-Za-z_$][\w$]*(?:\s*\??:)?$/;
const IMPORT_LIST = /\b(?:import|export)\s+(?:type\s+)?\{[^}]*\}\s*from\b/g;

export interface CheckContext {
  /**
   * What the file's package declares (default: read from its manifest). A run settles the manifest only after every
   * file is rewritten, so its per-file passes say "not settled" (undefined) and it checks zod once it has.
   */
  declared?: (file: string) => Declared | undefined;
  /** The run's classes with a `connect` method of their own (own-connect.ts): their callers connect no SDK server. */
  ownConnect?: ReadonlySet<string>;
}

export function checkText(file: string, text: string, rules: Rule[] = RULES, context: CheckContext = {}): Finding[] {
  // A module a rewrite wrote (mcp-task-calls.ts names v1's task members to keep the task code as it was) is 2026 code.
  if (isGeneratedModule(text)) return [];
  const parsed = commentRanges(file, text);
  const comments = parsed.ranges ?? roughCommentRanges(text);
  const inComment = (i: number) => comments.some(([s, e]) => i >= s && i < e);
  const strings = parsed.strings ?? [];
  const templateStarts = parsed.templateStarts ?? new Set<number>();
  const inString = (i: number) => templateStarts.has(i) || strings.some(([s, e]) => i > s && i < e);
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const position = (i: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= i) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: i - lineStarts[lo] + 1 };
  };
  // A rule's context is the code: a marker that mentions serveStdio does not make an HTTP file a stdio server.
  const code = blankRanges(text, comments);
  const { suppressed, problems } = suppressionsOf(text, position);
  const findings: Finding[] = [...problems.map(p => ({ ...p, file }))];
  const syntax = parsed.problem;
  if (syntax && !suppressed(syntax.line, UNCHECKED_FILE)) {
    findings.push(uncheckedFile(file, `does not parse (${syntax.message})`, syntax.line, syntax.column));
  }
  const importLists = [...code.matchAll(IMPORT_LIST)].map(m => [m.index!, m.index! + m[0].length]);
  const inImportList = (i: number) => importLists.some(([s, e]) => i >= s && i < e);
  for (const rule of rules) {
    if (rule.when && !rule.when.test(code)) continue;
    // One finding per rule and line: `eventStore?: EventStore` is one use of the API, not two to fix.
    const flaggedLines = new Set<number>();
    const extra = rule.filePattern?.(code);
    for (const m of extra ? [...text.matchAll(rule.pattern), ...text.matchAll(extra)] : text.matchAll(rule.pattern)) {
      const index = m.index ?? 0;
      if (inComment(index) !== !!rule.inComments) continue;
      // An API name (an identifier, or an option key) inside a string is prose or a log message (`'- eventStore:
      // in memory'`), not a use of the API; rules that match string content (method names, header names) match text
      // that is no identifier.
      if (!rule.inComments && API_NAME.test(m[0]) && inString(index)) continue;
      if (rule.notAfter && rule.notAfter.test(text.slice(Math.max(0, index - 40), index))) continue;
      if (rule.notInImports && inImportList(index)) continue;
      if (rule.notInStrings && inString(index)) continue;
      // `expect(source).not.toContain('from "…/sdk/server/sse.js"')`: a test asserting the API is absent.
      if (inString(index) && NEGATED_EXPECTATION.test(text.slice(Math.max(0, index - 200), index))) continue;
      // A method name labelling a span is no use of the method: the registration it wraps is the one finding.
      if (/^['"]/.test(m[0]) && SPAN_NAME.test(text.slice(Math.max(0, index - 40), index))) continue;
      if (rule.onlyNear?.match.test(m[0]) && !rule.onlyNear.context.test(around(code, index))) continue;
      if (rule.notNear?.test(linesAround(code, index))) continue;
      if (rule.onlyInObjectWith?.match.test(m[0]) && !rule.onlyInObjectWith.context.test(objectAround(code, index)))
        continue;
      if (rule.notInInputRequest && askedAsInput(code, index)) continue;
      if (rule.argsLack && rule.argsLack.test(argumentText(text, index + m[0].length - 1))) continue;
      if (rule.notInExitBranch && exitBranchAt(code, index)) continue;
      if (rule.notInLogging && inLoggingCall(code, index)) continue;
      if (rule.notInSessionPickup && inSessionPickup(code, index)) continue;
      if (rule.shorthandOnlyInBraces?.test(m[0]) && openBracketBefore(code, index) !== '{') continue;
      if (rule.notOnOwnConnect && context.ownConnect && onOwnConnectClass(code, index, context.ownConnect)) continue;
      if (rule.notOnForeignInstance?.test(m[0]) && onlyInstanceOf(code, index, foreignClasses(code))) continue;
      if (rule.notInParameters?.test(m[0]) && inParameterList(code, index)) continue;
      if (rule.notInDeclarations?.test(m[0]) && declaresShape(code, index, m[0])) continue;
      if (rule.notInHttpServing && servesHttp(code) && inHttpServingBlock(code, index)) continue;
      const { line, column } = position(index);
      if (suppressed(line, rule.id) || flaggedLines.has(line)) continue;
      flaggedLines.add(line);
      findings.push({
        transform: 'check',
        rule: rule.id,
        file,
        line,
        column,
        severity: rule.severity,
        message: rule.inComments ? m[0].trim() : rule.message
      });
    }
  }
  for (const f of v1LibraryFindings(file, code)) {
    const { line, column } = position(f.index);
    if (!suppressed(line, V1_LIBRARY)) findings.push({ ...f.finding, file, line, column });
  }
  const zod3 = zod3Import(file, code, context.declared);
  if (zod3) {
    const { line, column } = position(zod3.index);
    if (!suppressed(line, ZOD_3))
      findings.push({
        transform: 'check',
        rule: ZOD_3,
        file,
        line,
        column,
        severity: 'error',
        message:
          `this server's schemas are zod 3 (${zod3.why}): @modelcontextprotocol/server refuses them at tools/list — ` +
          'port what zod 4 removed (the migration report names it) and move zod to ^4.2.0'
      });
  }
  const sorted = findings.sort((a, b) => a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
  // Braces in strings would end a class early: class bodies are read with strings blanked too (not imports).
  const folded = /\bclass\b|Transport\b/.test(code)
    ? foldOwnTransports(
        file,
        code,
        () => blankRanges(code, strings),
        sorted,
        i => position(i).line,
        suppressed
      )
    : sorted;
  return carryMarkers(folded);
}

/**
 * Is `index` inside the parameter list of a function (`(a, { taskStore }) =>`, `create({ x }, { y }): T {`)? Climbs
 * out of the patterns around it to the `(` that holds them and reads what follows its `)`: an arrow or a body.
 */
function inParameterList(code: string, index: number): boolean {
  let depth = 0;
  for (let i = index - 1; i >= 0; i--) {
    const c = code[i];
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '[' || c === '{') {
      if (depth > 0) depth--;
      // An unclosed brace after `)`, `=>` or a statement is a body: the match is in code, not in a parameter.
      else if (c === '{' && /(?:\)|=>|[;{}]|^)\s*$/.test(code.slice(Math.max(0, i - 40), i))) return false;
    } else if (c === '(') {
      if (depth > 0) {
        depth--;
        continue;
      }
      const list = argumentText(code, i);
      return /^\s*(?::\s*[\w$.]+\s*(?:<[^;{}]*>)?(?:\[\])*\s*)?(?:=>|\{)/.test(code.slice(i + list.length));
    } else if (c === ';' && depth === 0) return false;
  }
  return false;
}

/**
 * Is the key matched at `index` (`key` is the match) a member of a declared shape rather than an entry of an object
 * literal: optional (`key?:`, which no literal can say), ended by a semicolon (`key: Type;`, as no literal entry is),
 * after a class member's modifiers, or a name a destructuring takes (`const { key } = opts`)?
 */
function declaresShape(code: string, index: number, key: string): boolean {
  if (/\?\s*:$/.test(key)) return true;
  const lineEnd = code.indexOf('\n', index);
  const rest = code.slice(index + key.length, lineEnd < 0 ? code.length : lineEnd);
  if (/:$/.test(key) && /^[^,;{}()=]*;/.test(rest)) return true;
  if (
    /(?:^|\s)(?:private|public|protected|readonly|declare|static|override)\s+$/.test(
      code.slice(Math.max(0, index - 60), index)
    )
  )
    return true;
  const bounds = objectBounds(code, index);
  return !!bounds && /^\s*(?::[^=;{}]+)?=(?![=>])/.test(code.slice(bounds.close + 1, bounds.close + 80));
}

/** The innermost bracket open at `index` (`{`, `(` or `[`), or '' at the top level. */
function openBracketBefore(code: string, index: number): string {
  let depth = 0;
  for (let i = index - 1; i >= 0; i--) {
    const c = code[i]!;
    if (c === ')' || c === ']' || c === '}') depth++;
    else if (c === '(' || c === '[' || c === '{') {
      if (depth === 0) return c;
      depth--;
    }
  }
  return '';
}

/** Where the `{ … }` holding `index` opens and closes, if it is in one. */
function objectBounds(code: string, index: number): { open: number; close: number } | undefined {
  const close = closingBrace(code, index);
  const open = close < 0 ? -1 : openingBrace(code, close);
  return open < 0 ? undefined : { open, close };
}

/** The `{ … }` holding `index` and the 80 characters before it (`params: {`, `: ElicitRequestURLParams = {`), or ''. */
function objectAround(code: string, index: number): string {
  const bounds = objectBounds(code, index);
  return bounds ? code.slice(Math.max(0, bounds.open - 80), bounds.close + 1) : '';
}

/**
 * Is `index` in the object literal a `const request = {` declares, which the code asks only as a 2026 input request
 * (`inputRequired.createMessage(request.params)`, or in a tool call's round: `createMessageInRound(request.params)`)
 * and hands to no send (`send(request`, `sendRequest(request`)?
 */
function askedAsInput(code: string, index: number): boolean {
  const bounds = objectBounds(code, index);
  if (!bounds) return false;
  const declared = /\b(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*(?::[^=;{}]+)?=\s*$/.exec(
    code.slice(Math.max(0, bounds.open - 120), bounds.open)
  );
  if (!declared) return false;
  const name = declared[1].replace(/\$/g, '\\$');
  // What follows the declaration, up to the next declaration of the same name (a sibling tool's own `request`).
  const after = code.slice(bounds.open);
  const next = new RegExp(`\\b(?:const|let|var)\\s+${name}\\b`).exec(after);
  const scope = next ? after.slice(0, next.index) : after;
  return (
    new RegExp(`\\b(?:inputRequired\\.\\w+|elicitInRound|createMessageInRound)\\(\\s*${name}\\.params\\b`).test(
      scope
    ) && !new RegExp(`\\b(?:send|sendRequest|request)\\(\\s*${name}\\b`).test(scope)
  );
}

/** The line at `index` and the lines either side: where a constant's name or the message that goes with a code is. */
function around(text: string, index: number): string {
  const ownStart = text.lastIndexOf('\n', index - 1) + 1;
  const ownEnd = text.indexOf('\n', index);
  const own = text.slice(ownStart, ownEnd < 0 ? text.length : ownEnd);
  // A line that is a whole statement (`const SESSION_ID_INVALID = -32002;`) says what its code means by itself; its
  // neighbours are other statements (a `…NOT_FOUND = -32003;` beside it must not decide).
  return /;\s*(?:\/\/.*)?$/.test(own) ? own : linesAround(text, index);
}

/** The line at `index` with the line before and the line after it. */
function linesAround(text: string, index: number): string {
  const start = text.lastIndexOf('\n', text.lastIndexOf('\n', index - 1) - 1) + 1;
  const lineEnd = text.indexOf('\n', index);
  const end = lineEnd < 0 ? -1 : text.indexOf('\n', lineEnd + 1);
  return text.slice(start, end < 0 ? text.length : end);
}

/**
 * Is `index` in a block whose last statement exits the process, or returns bare before a serve call further down?
 * That is where a CLI prints `--version` or `--help` to stdout instead of serving (logging-to-otel leaves those).
 */
function exitBranchAt(code: string, index: number, depth = 0): boolean {
  const close = closingBrace(code, index);
  if (close < 0) return false;
  const tail = code.slice(Math.max(index, close - 200), close);
  if (/\bprocess\.exit\s*\([^;{}]*\)\s*;?\s*$/.test(tail)) return true;
  if (/(?:^|[;{}\s])return\s*;?\s*$/.test(tail) && /\.connect\s*\(|\bserveStdio\s*\(/.test(code.slice(close)))
    return true;
  // `list.forEach(item => { console.log(item) })` prints where the forEach runs: judged there.
  const open = openingBrace(code, close);
  if (open > 0 && ITERATION_CALLBACK.test(code.slice(Math.max(0, open - 160), open)))
    return exitBranchAt(code, close + 1, depth);
  // A helper of the module (`function printHelp()`, not exported) called only from such branches prints instead too.
  const helper = depth < 2 ? helperAround(code, index) : undefined;
  if (!helper) return false;
  const uses = [...code.matchAll(new RegExp(`(?<![\\w$.])${helper.name}\\b`, 'g'))].filter(m => m.index !== helper.at);
  return (
    uses.length > 0 &&
    uses.every(m => /^\s*\(/.test(code.slice(m.index! + helper.name.length)) && exitBranchAt(code, m.index!, depth + 1))
  );
}

/**
 * Is `index` inside a block that serves HTTP and not stdio (the function or `if` branch starting an HTTP entry:
 * `app.listen(…)`, a createMcpHandler), where stdout is not the protocol channel, in a file that has a stdio entry too
 * (mcp-mongo-server's request log line)? Up to eight levels out; each level scans only the block it leaves, so the
 * walk reads the outermost block about twice.
 */
function inHttpServingBlock(code: string, index: number): boolean {
  let at = index;
  for (let level = 0; level < 8; level++) {
    const close = closingBrace(code, at);
    if (close < 0) return false;
    const open = openingBrace(code, close);
    if (open < 0) return false;
    const serves = servesHttpOnly(code.slice(open + 1, close));
    if (serves !== undefined) return serves;
    at = close + 1;
  }
  return false;
}

/** A block that is the body of a callback handed to an array iteration: `.forEach((x, i) => ` or `.map(function (x) `. */
const ITERATION_CALLBACK = new RegExp(
  String.raw`\.(?:${RUNS_CALLBACK_IN_PLACE.join('|')})\s*\(\s*` +
    String.raw`(?:(?:async\s*)?(?:\([^()]*\)|[\w$]+)\s*=>|function\s*[\w$]*\s*\([^()]*\))\s*$`
);

/** The innermost `function name(…) {` (not exported) whose body holds `index`: its name and where the name is. */
function helperAround(code: string, index: number): { name: string; at: number } | undefined {
  let found: { name: string; at: number } | undefined;
  for (const m of code
    .slice(0, index)
    .matchAll(/(^|[;}\n])[ \t]*(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)\s*\(/g)) {
    const open = code.indexOf('{', m.index! + m[0].length);
    if (open < 0 || open > index || closingBrace(code, open + 1) < index) continue;
    found = { name: m[2]!, at: m.index! + m[0].lastIndexOf(m[2]!) };
  }
  return found;
}

/** `console.error(`, `logger.warn(`, `this.log.info(`: a call that only reports what it is handed. */
const LOGGING_CALLEE = /(?:\bconsole|[\w$]*[Ll]og(?:ger)?)\s*\.\s*(?:log|info|warn|error|debug|trace|verbose)\s*$/;

/** Is `index` inside the arguments of a logging call, at any depth of parentheses (within 2,000 characters)? */
function inLoggingCall(code: string, index: number): boolean {
  let depth = 0;
  for (let i = index - 1; i >= Math.max(0, index - 2000); i--) {
    if (code[i] === ')') depth++;
    else if (code[i] === '(' && depth-- === 0) {
      if (LOGGING_CALLEE.test(code.slice(Math.max(0, i - 60), i))) return true;
      depth = 0;
    }
  }
  return false;
}

/**
 * Imports of a library built on the v1 SDK (v1-libraries.ts), once per library and file. What the library builds
 * speaks only 2025: an error where the file takes a server-like name from it, else a warning.
 */
function v1LibraryFindings(
  file: string,
  code: string
): { index: number; finding: Omit<Finding, 'file' | 'line' | 'column'> }[] {
  return v1LibraryImports(file, code).map(library => ({
    index: library.index,
    finding: {
      transform: 'check',
      rule: V1_LIBRARY,
      severity: library.v1Only || (library.serverLike && !library.unverified) ? 'error' : 'warning',
      message:
        library.v1Only ??
        (library.unverified
          ? `\`${library.name}\` builds or serves MCP servers on the SDK it depends on, and is not installed here (no ` +
            'node_modules or package-lock.json entry), so its release could not be read: if it depends on ' +
            '@modelcontextprotocol/sdk 1.x, what it builds speaks only the 2025 protocol; install the dependencies and ' +
            'run again, or move it to a release on the v2 packages'
          : `\`${library.name}\` is built on the v1 SDK (it depends on @modelcontextprotocol/sdk ${library.sdkRange}): ` +
            'what it builds speaks only the 2025 protocol, and serveStdio / createMcpHandler cannot serve it; upgrade it ' +
            'to a release on the v2 packages, or build the server with @modelcontextprotocol/server')
    }
  }));
}
