/**
 * cache-hints (SEP-2549). 2026-07-28 results of `tools/list`, `prompts/list`, `resources/list`,
 * `resources/templates/list`, `resources/read` and `server/discover` carry `ttlMs` and `cacheScope`; without
 * hints the SDK sends the most conservative `0` / `private`, so every client and gateway re-fetches every list.
 *
 * For each `new McpServer(…)` / `new Server(…)` the rewrite adds `cacheHints` for the operations the server
 * serves, inferring scope and TTL from the code (cache-policy.ts), each with a comment saying why
 * so a reviewer can check the assumption. A resource whose reads differ from the operation's hint gets its own
 * `cacheHint`. Low-level `setRequestHandler('<list or read method>', …)` handlers get the fields on the object
 * literals they return. TTLs come from `cacheHints` in mcp-migrate.config.json.
 *
 * Skips: servers that already set `cacheHints`; options passed as a variable (NOTE marker: set them by hand);
 * handler results that are not object literals. Edits are spliced into the text, nothing else is reprinted.
 */
import type { ASTPath, Collection, JSCodeshift } from 'jscodeshift';
import { dominantQuote, indentUnit, isTypeScript } from '../kit/source-style.js';
import {
  isFunction,
  propertyFunction,
  propertyKey,
  propertyNamed,
  resultTypeToWiden,
  rootIdentifier,
  statementPathOf
} from '../kit/ast.js';
import { insideRequestHandler, tracedHandler } from '../kit/tool-registrations.js';
import {
  readCacheDefaults,
  hintText,
  listHint,
  PER_CALLER,
  readHint,
  changingHint,
  sameHint,
  type CacheDefaults,
  type Hint
} from './cache-policy.js';
import { defineTransform, type RewriteContext, type TransformMeta, type TransformOptions } from '../kit/transform.js';
import { markerEdit } from '../kit/markers.js';
import { applyEdits, lineIndent, type TextEdit } from '../kit/text-edits.js';
import { parseForEdits } from '../kit/parse.js';
import { importSourceOf, isSdkServerConstruction } from '../kit/imports.js';
import { isTestFile } from './test-files.js';

const meta: TransformMeta = {
  id: 'cache-hints',
  title: 'Cache hints',
  summary: 'cacheHints / cacheHint / result ttlMs+cacheScope for cacheable results, scope inferred from the code',
  spec: ['SEP-2549'],
  safety: 'review',
  prefilter: /new\s+(?:Mcp)?Server\s*\(|setRequestHandler/
};

type Node = any;
const LIST_METHODS = ['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'resources/read'];

function cacheHints({ file, j, options, config: d }: RewriteContext<CacheDefaults>): string | undefined {
  if (isTestFile(file.path)) return undefined;
  const src = file.source;
  const root = parseForEdits(j, file.path, src);
  const unit = indentUnit(src);
  const edits: TextEdit[] = [];
  root
    .find(j.NewExpression)
    .filter((p: ASTPath<any>) => isSdkServerConstruction(j, root, p.node))
    .forEach((p: ASTPath<any>) => {
      const name =
        p.parent.node.type === 'VariableDeclarator' && p.parent.node.id.type === 'Identifier'
          ? p.parent.node.id.name
          : undefined;
      if (!name) return;
      const hints = serverHints(j, root, src, name, d);
      edits.push(...optionEdits(j, src, p, hints.operation, unit, options));
      edits.push(...hints.resourceEdits);
    });
  edits.push(...lowLevelEdits(j, root, src, d, isTypeScript(file.path)));
  const out = edits.length ? applyEdits(src, edits) : undefined;
  return out === src ? undefined : out;
}

interface ServerHints {
  operation: [string, Hint][];
  resourceEdits: TextEdit[];
}

function registrations(j: JSCodeshift, root: Collection<any>, server: string, methods: RegExp): ASTPath<any>[] {
  return root
    .find(j.CallExpression, { callee: { type: 'MemberExpression' } })
    .filter(
      (p: ASTPath<any>) =>
        methods.test(p.node.callee.property?.name ?? '') &&
        rootIdentifier(p.node.callee.object) === server &&
        p.node.callee.object.type === 'Identifier'
    )
    .paths();
}

/**
 * Made unconditionally while the server is built: an expression statement in a module body or a function's, a class's
 * registering method included (`registerTools(server) { server.registerTool(…) }`).
 */
function isStatic(p: ASTPath<any>): boolean {
  if (insideRequestHandler(p)) return false;
  const statement = p.parent?.node;
  if (statement?.type !== 'ExpressionStatement') return false;
  const block = p.parent.parent?.node;
  return block?.type === 'Program' || (block?.type === 'BlockStatement' && isFunction(p.parent.parent.parent?.node));
}

function conditionalOnCaller(j: JSCodeshift, p: ASTPath<any>): boolean {
  for (let cur = p.parent; cur; cur = cur.parent) {
    if (cur.node.type === 'IfStatement' || cur.node.type === 'ConditionalExpression') {
      if (PER_CALLER.test(j(cur.node.test).toSource())) return true;
    }
  }
  return false;
}

/** Mutating a module-level binding: a call that changes a collection, an assignment into it, or `delete`. */
const MUTATION = (name: string) =>
  new RegExp(
    String.raw`\b${name}\s*(?:\.\s*(?:push|set|delete|add|clear|splice|pop|shift|unshift|sort|reverse|fill)\s*\(|` +
      String.raw`(?:\[[^\]]*\]|\.\s*\w+)*\s*(?:[-+*/]?=(?!=)|\+\+|--))|\bdelete\s+${name}\b|\+\+\s*${name}\b`
  );

const LIST_NOUN: Record<string, string> = {
  'tools/list': 'Tool',
  'prompts/list': 'Prompt',
  'resources/list': 'Resource'
};

/**
 * Does a function of this module other than `fn` change a module-level binding `fn` reads (a low-level server's
 * tool calls usually delegate to such functions, so the tools/call handler alone is not where writes are)?
 */
function changedElsewhere(j: JSCodeshift, root: Collection<any>, fn: Node): boolean {
  // The outermost functions (their text holds what is nested in them), without the handler itself.
  const outermost = root
    .find(j.Function)
    .filter((p: ASTPath<any>) => j(p).closest(j.Function).size() === 0)
    .nodes();
  const others = outermost.flatMap((f: Node) =>
    f === fn ? [] : fn.start >= f.start && fn.end <= f.end ? innerFunctionsBeside(j, f, fn) : [f]
  );
  return writtenByTools(j, root, fn, others);
}

/** The functions nested in `outer` that do not hold `fn` (a server built inside createServer() holds both). */
function innerFunctionsBeside(j: JSCodeshift, outer: Node, fn: Node): Node[] {
  return j(outer.body)
    .find(j.Function)
    .filter((p: ASTPath<any>) => p.node !== fn && !(fn.start >= p.node.start && fn.end <= p.node.end))
    .filter((p: ASTPath<any>) => !(p.node.start >= fn.start && p.node.end <= fn.end))
    .nodes();
}

/** Does some tool callback change a module-level binding the read callback reads? */
function writtenByTools(j: JSCodeshift, root: Collection<any>, read: Node, writers: Node[]): boolean {
  if (!read || !/Function/.test(read.type) || writers.length === 0) return false;
  const moduleNames = new Set<string>();
  for (const statement of root.get().node.program.body) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type !== 'VariableDeclaration') continue;
    for (const d of declaration.declarations) if (d.id.type === 'Identifier') moduleNames.add(d.id.name);
  }
  const readNames = new Set(
    j(read.body)
      .find(j.Identifier)
      .nodes()
      .map((n: Node) => n.name)
  );
  // The object's own state too: `this.stock` read here, changed by a tool of the same object.
  const fields = j(read.body)
    .find(j.MemberExpression, { object: { type: 'ThisExpression' }, computed: false })
    .nodes()
    .map((n: Node) => `this\\s*\\.\\s*${n.property.name}`);
  // State another module of the project keeps (`import { settings } from './store.js'`): changed there by the
  // functions it exports (`updateSetting(key, value)`), which a tool calling any of them may do.
  const imported = projectImports(j, root);
  const readFrom = new Set([...imported].filter(([local]) => readNames.has(local)).map(([, from]) => from));
  const names = [
    ...[...moduleNames].filter(n => readNames.has(n)),
    ...[...imported.keys()].filter(n => readNames.has(n)),
    ...new Set(fields)
  ];
  if (names.length === 0) return false;
  const writerText = writers.filter(w => w && /Function/.test(w.type)).map(w => j(w.body).toSource());
  const callsInto = (t: string) =>
    [...imported].some(([local, from]) => readFrom.has(from) && new RegExp(String.raw`\b${local}\s*\(`).test(t));
  return names.some(n => writerText.some(t => MUTATION(n).test(t) || handedOn(n, t))) || writerText.some(callsInto);
}

/** Value imports from the project's own modules (relative paths): local name → module specifier. */
function projectImports(j: JSCodeshift, root: Collection<any>): Map<string, string> {
  const out = new Map<string, string>();
  root.find(j.ImportDeclaration).forEach((p: ASTPath<any>) => {
    const from = String(p.node.source.value);
    if (!from.startsWith('.') || p.node.importKind === 'type') return;
    for (const spec of p.node.specifiers ?? [])
      if (spec.importKind !== 'type' && spec.local?.name) out.set(spec.local.name, from);
  });
  return out;
}

/**
 * `spec.run(args, stock)`: the tool hands the state to code that may change it. Not when the callee only reads
 * (`Object.keys(DOCS)`, `JSON.stringify(stock)`).
 */
function handedOn(name: string, text: string): boolean {
  for (const m of text.matchAll(new RegExp(String.raw`([\w$.]*)\(\s*${name}\s*[,)]|,\s*${name}\s*[,)]`, 'g')))
    if (m[1] === undefined || !READ_ONLY_CALLEES.test(m[1])) return true;
  return false;
}

const READ_ONLY_CALLEES =
  /^(?:Object\.(?:keys|values|entries|getOwnPropertyNames)|JSON\.stringify|Array\.(?:from|isArray)|String|Number|Boolean)$/;

const LIVE_DATA =
  'reading waits on storage, files or the network, or on another module, whose data may change while the server runs: a short TTL, so no cache serves it stale';

/**
 * Does the read callback wait on something (`await storage.read(uri)`, `await fs.readFile(…)`, `fetch(…).then`), or
 * call what another module exports (`getServerState()`)? What it reads then lives outside this code and may change:
 * nothing proves it fixed.
 */
function readsLiveData(j: JSCodeshift, root: Collection<any>, fn: Node): boolean {
  if (!fn || !/Function/.test(fn.type)) return false;
  // `getServerState()` from another module: what it returns is that module's to change.
  const callsImported = j(fn.body)
    .find(j.CallExpression)
    .some((c: ASTPath<any>) => {
      const name = rootIdentifier(c.node.callee);
      return !!name && importSourceOf(j, root, name) !== undefined;
    });
  return (
    callsImported ||
    j(fn.body).find(j.AwaitExpression).size() > 0 ||
    j(fn.body)
      .find(j.CallExpression, { callee: { property: { name: 'then' } } })
      .size() > 0 ||
    /\breadFileSync\s*\(|\breaddirSync\s*\(|\bexecSync\s*\(/.test(j(fn.body).toSource())
  );
}

/** Does the callback read caller data? `contextIndex` is where its context parameter sits. */
function callbackReadsCaller(j: JSCodeshift, fn: Node, contextIndex = 1): boolean {
  if (!fn || !/Function/.test(fn.type)) return true; // not visible here: assume it may
  const text = j(fn.body).toSource();
  const params = fn.params
    .slice(contextIndex)
    .map((x: Node) => x.name)
    .filter(Boolean);
  return PER_CALLER.test(text) || params.some((n: string) => new RegExp(`\\b${n}\\b`).test(text));
}

function serverHints(
  j: JSCodeshift,
  root: Collection<any>,
  src: string,
  server: string,
  d: CacheDefaults
): ServerHints {
  const operation: [string, Hint][] = [];
  const resourceEdits: TextEdit[] = [];
  const facts = (regs: ASTPath<any>[], changed: RegExp) => ({
    static: regs.every(isStatic),
    perCaller: regs.some(r => conditionalOnCaller(j, r)),
    announcesChanges: changed.test(src),
    growsWhileServing: regs.some(insideRequestHandler)
  });
  const tools = registrations(j, root, server, /^(registerTool|tool)$/);
  if (tools.length)
    operation.push([
      'tools/list',
      listHint(facts(tools, /sendToolListChanged|notify\.toolsChanged/), d, 'the tool list')
    ]);
  const prompts = registrations(j, root, server, /^(registerPrompt|prompt)$/);
  if (prompts.length)
    operation.push([
      'prompts/list',
      listHint(facts(prompts, /sendPromptListChanged|notify\.promptsChanged/), d, 'the prompt list')
    ]);
  const resources = registrations(j, root, server, /^(registerResource|resource)$/);
  const templates = resources.filter(r => r.node.arguments[1]?.type === 'NewExpression');
  if (resources.length) {
    const listFacts = facts(resources, /sendResourceListChanged|notify\.resourcesChanged/);
    const templateLists = templates.map(t => t.node.arguments[1].arguments[1]).filter(Boolean);
    if (
      templateLists.some(
        (o: Node) => PER_CALLER.test(j(o).toSource()) || /list\s*:\s*(async\s*)?\(\s*\w+\s*,/.test(j(o).toSource())
      )
    )
      listFacts.perCaller = true;
    // The tools' handlers: what they write, a resource that reads it may serve stale.
    const writers = tools.map(t => tracedHandler(t.node.arguments[t.node.arguments.length - 1]));
    // A template's list callback reading what a tool changes (`list: () => [...notes.keys()]` beside `add_note`), or
    // what lives outside this code: the list is not fixed whatever the registrations are.
    const listCallbacks = templateLists.map((o: Node) => propertyFunction(propertyNamed(o, 'list')));
    const changingList =
      !listFacts.perCaller &&
      listCallbacks.some((fn: Node) => writtenByTools(j, root, fn, writers) || readsLiveData(j, root, fn));
    operation.push([
      'resources/list',
      changingList
        ? changingHint(
            d,
            "a template's list callback reads data that changes while the server runs: a short TTL, so no cache serves it stale"
          )
        : listHint(listFacts, d, 'the resource list')
    ]);
    if (templates.length)
      operation.push([
        'resources/templates/list',
        listHint(
          { ...facts(templates, /sendResourceListChanged|notify\.resourcesChanged/), perCaller: false },
          d,
          'the template list'
        )
      ]);
    // template reads get (uri, variables, ctx); plain resources (uri, ctx)
    const announcesUpdates = /sendResourceUpdated|notify\.resourceUpdated|notifications\/resources\/updated/.test(src);
    // (The logging rewrite, which runs first, may have wrapped a callback in its span: the callback is inside.)
    const reads = resources.map(r => {
      const fn = tracedHandler(r.node.arguments[r.node.arguments.length - 1]);
      const hint = callbackReadsCaller(j, fn, templates.includes(r) ? 2 : 1)
        ? readHint(true, d, 'this resource')
        : announcesUpdates
          ? changingHint(d, 'the server announces updates to its resources: a short TTL, so no cache serves them stale')
          : writtenByTools(j, root, fn, writers)
            ? changingHint(d, 'a tool changes the data this resource reads: a short TTL, so no cache serves it stale')
            : readsLiveData(j, root, fn)
              ? changingHint(d, LIVE_DATA)
              : readHint(false, d, 'this resource');
      return { r, hint };
    });
    const opHint =
      reads.find(x => x.hint.cacheScope === 'private')?.hint ??
      reads.find(x => x.hint.ttlMs === d.privateTtlMs)?.hint ??
      readHint(false, d, 'these resources');
    const opWhy = opHint.why.replace('the data this resource reads', 'the data at least one resource reads');
    operation.push([
      'resources/read',
      opHint.cacheScope === 'private' ? readHint(true, d, 'at least one resource') : { ...opHint, why: opWhy }
    ]);
    for (const x of reads.filter(x => !sameHint(x.hint, opHint))) {
      const edit = resourceHintEdit(src, x.r, x.hint);
      if (edit) resourceEdits.push(edit);
    }
  }
  operation.push([
    'server/discover',
    { ttlMs: d.staticTtlMs, cacheScope: 'public', why: 'capabilities and server info are the same for every caller' }
  ]);
  return { operation, resourceEdits };
}

/** Does the code at `to` start its own line (only whitespace between `from` and it, after a line break)? */
function startsOwnLine(src: string, from: number, to: number): boolean {
  return /\n[ \t]*$/.test(src.slice(from, to));
}

/** `registerResource(name, uri, { …metadata }, read)` → metadata gains `cacheHint`. */
function resourceHintEdit(src: string, r: ASTPath<any>, hint: Hint): TextEdit | undefined {
  const meta = r.node.arguments.length === 4 ? r.node.arguments[2] : undefined;
  if (meta?.type !== 'ObjectExpression' || meta.properties.some((p: Node) => propertyKey(p) === 'cacheHint'))
    return undefined;
  const last = meta.properties[meta.properties.length - 1];
  const text = `cacheHint: ${hintText(hint)} /* ${hint.why} */`;
  return last
    ? { start: last.end, end: last.end, text: `, ${text}` }
    : { start: meta.start, end: meta.end, text: `{ ${text} }` };
}

function optionEdits(
  j: JSCodeshift,
  src: string,
  p: ASTPath<any>,
  hints: [string, Hint][],
  unit: string,
  options: TransformOptions
): TextEdit[] {
  const [info, opts] = p.node.arguments;
  if (!info || hints.length === 0) return [];
  const base = lineIndent(src, p.node.start);
  const body = (indent: string) =>
    hints.map(([op, h]) => `${indent}${unit}// ${h.why}\n${indent}${unit}'${op}': ${hintText(h)}`).join(',\n');
  if (!opts) {
    // Arguments laid out one per line get the options object as one more such argument, at their indentation.
    const ownLine = startsOwnLine(src, p.node.callee.end, info.start);
    const at = ownLine ? lineIndent(src, info.start) : base;
    const object = `{\n${at}${unit}cacheHints: {\n${body(at + unit)}\n${at}${unit}}\n${at}}`;
    return [{ start: info.end, end: info.end, text: ownLine ? `,\n${at}${object}` : `, ${object}` }];
  }
  if (opts.type !== 'ObjectExpression' || opts.properties.some((x: Node) => x.type === 'SpreadElement')) {
    const message =
      'server options are not an object literal: add cacheHints for its cacheable results (see docs/cache-hints.md)';
    const marker = markerEdit(src, statementPathOf(p).node, 'NOTE', 'cache-hints/options', message, options);
    return marker ? [marker] : [];
  }
  if (opts.properties.some((x: Node) => propertyKey(x) === 'cacheHints')) return [];
  const multiline = src.slice(opts.start, opts.end).includes('\n');
  // Properties take the indentation of their siblings: the first one's, when it starts a line of its own.
  const first = opts.properties[0];
  const ownLine = first && startsOwnLine(src, opts.start + 1, first.start);
  const inner = multiline && ownLine ? lineIndent(src, first.start) : lineIndent(src, opts.start) + unit;
  const property = `cacheHints: {\n${body(inner)}\n${inner}}`;
  const last = opts.properties[opts.properties.length - 1];
  // The closing brace lines up with the line the object opens on (its own, when the arguments are one per line).
  const close = lineIndent(src, opts.start);
  if (!last) return [{ start: opts.start, end: opts.end, text: `{\n${inner}${property}\n${close}}` }];
  if (multiline) return [{ start: last.end, end: last.end, text: `,\n${inner}${property}` }];
  // a one-line options object becomes one property per line so the hints stay readable
  const props = opts.properties.map((x: Node) => `${inner}${src.slice(x.start, x.end)}`).join(',\n');
  return [{ start: opts.start, end: opts.end, text: `{\n${props},\n${inner}${property}\n${close}}` }];
}

/** Low-level `setRequestHandler('tools/list' | … | 'resources/read', fn)`: fields on the returned literals. */
function lowLevelEdits(
  j: JSCodeshift,
  root: Collection<any>,
  src: string,
  d: CacheDefaults,
  typed: boolean
): TextEdit[] {
  const edits: TextEdit[] = [];
  root
    .find(j.CallExpression, { callee: { type: 'MemberExpression', property: { name: 'setRequestHandler' } } })
    .forEach((p: ASTPath<any>) => {
      const [method, fn] = p.node.arguments;
      const m = method?.value;
      if (!LIST_METHODS.includes(m) || !fn || !/Function/.test(fn.type)) return;
      const what = `the ${m} handler`;
      const perCaller = callbackReadsCaller(j, fn);
      // Data the handler reads that other code of the module changes, or that the server announces changes to,
      // is not provably fixed: no long TTL (item 8 of issue #20, as for McpServer registrations).
      const changed = changedElsewhere(j, root, fn);
      const announced =
        m === 'resources/read'
          ? /sendResourceUpdated|notify\.resourceUpdated|notifications\/resources\/updated/.test(src)
          : new RegExp(`send${LIST_NOUN[m] ?? '\\w+'}ListChanged|notifications/${m.split('/')[0]}/list_changed`).test(
              src
            );
      const hint =
        m === 'resources/read'
          ? perCaller
            ? readHint(true, d, 'these resources')
            : announced
              ? changingHint(
                  d,
                  'the server announces updates to its resources: a short TTL, so no cache serves them stale'
                )
              : changed
                ? changingHint(
                    d,
                    'other code of this module changes the data these resources read: a short TTL, so no cache serves it stale'
                  )
                : readsLiveData(j, root, fn)
                  ? changingHint(d, LIVE_DATA)
                  : readHint(false, d, 'these resources')
          : changed && !perCaller
            ? changingHint(
                d,
                `other code of this module changes what ${what} lists: a short TTL, so no cache serves it stale`
              )
            : listHint({ static: !perCaller, perCaller, announcesChanges: announced }, d, what);
      const results: Node[] =
        fn.body.type === 'ObjectExpression'
          ? [fn.body]
          : ownReturns(fn.body).filter(r => r?.type === 'ObjectExpression');
      let hinted = false;
      for (const obj of results) {
        if (obj.properties.some((x: Node) => propertyKey(x) === 'ttlMs') || obj.properties.length === 0) continue;
        const last = obj.properties[obj.properties.length - 1];
        edits.push({
          start: last.end,
          end: last.end,
          text: `, ttlMs: ${hintText(hint).match(/ttlMs: ([\d_]+)/)![1]}, cacheScope: '${hint.cacheScope}' /* ${hint.why} */`
        });
        hinted = true;
      }
      const widening = hinted && typed ? cacheHintWidening(src, fn) : undefined;
      if (widening) edits.push(widening);
    });
  return edits;
}

/**
 * A handler declared to return `Promise<{ tools: Tool[] }>` would refuse the hint fields as excess properties: its
 * declared result gains them. Written as a type literal, not the SDK's `CacheHint` interface: an intersection with an
 * interface loses the implicit index signature the SDK's result types require.
 */
function cacheHintWidening(src: string, fn: Node): TextEdit | undefined {
  const inner = resultTypeToWiden(src, fn, /\bCacheHint\b|\bttlMs\b/);
  if (!inner) return undefined;
  const q = dominantQuote(src);
  const text = src.slice(inner.start, inner.end);
  const grouped = /^(TSUnionType|TSFunctionType|TSConditionalType)$/.test(inner.type) ? `(${text})` : text;
  const hint = `{ ttlMs?: number; cacheScope?: ${q}public${q} | ${q}private${q} }`;
  return { start: inner.start, end: inner.end, text: `${grouped} & ${hint}` };
}

/** The arguments of `return` statements that belong to this function body (not to functions nested in it). */
function ownReturns(node: Node): Node[] {
  if (!node || typeof node !== 'object') return [];
  if (node.type === 'ReturnStatement') return [node.argument];
  if (/Function/.test(node.type ?? '')) return [];
  const out: Node[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc' || key === 'comments' || key === 'tokens') continue;
    if (Array.isArray(value)) value.forEach(v => out.push(...ownReturns(v)));
    else if (value && typeof value === 'object' && 'type' in value) out.push(...ownReturns(value));
  }
  return out;
}

export default defineTransform({ meta, config: { key: 'cacheHints', read: readCacheDefaults }, rewrite: cacheHints });
