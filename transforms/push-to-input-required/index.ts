/**
 * push-to-input-required: server→client requests become multi-round-trip results (SEP-2322). 2026-07-28 has no server→client
 * requests, so `elicitInput()` / `createMessage()` / `listRoots()` (and `ctx.mcpReq.send()` of those methods) fail
 * on every 2026 request. A tool handler that awaits such a request as a top-level statement, after code that is safe
 * to run again, asks by returning instead:
 *
 *   const answerInput = inputResponse(ctx.mcpReq.inputResponses, 'elicitation');
 *   if (answerInput.kind !== 'elicit') return inputRequired({ inputRequests: { elicitation: inputRequired.elicit(params) } });
 *   const answer = answerInput;              // { action, content } as before
 *
 * The client fulfils the request and retries the same call with the response; the handler runs on from where it
 * awaited. Several requests in sequence go through the generated `inputRounds` helper, which carries earlier
 * answers in a sealed, bound, expiring requestState. URL mode becomes `elicitUrl`, and a thrown
 * UrlElicitationRequiredError a returned round. Requests nested in branches or helpers, or outside any handler,
 * get a TODO marker. Sampling and roots still work this way but are deprecated (SEP-2577): a NOTE says what
 * replaces them.
 */
import { isCommonJs } from '../kit/commonjs.js';
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { dominantQuote, isTypeScript } from '../kit/source-style.js';
import { enclosingFunction, propertyKey, resultTypeToWiden, statementPathOf, uniqueName } from '../kit/ast.js';
import { memberKey } from '../kit/own-methods.js';
import { defineTransform, type RewriteContext, type TransformMeta } from '../kit/transform.js';
import { importLineEdit, namedImportsEdit, unusedImportRemoval } from '../kit/import-edits.js';
import { markerEdit } from '../kit/markers.js';
import {
  INPUT_ROUNDS_MODULE_NAME,
  INPUT_ROUNDS_MODULE_SOURCE,
  inputRoundsModuleJs
} from './mcp-input-rounds.source.js';
import { useSupportModule } from '../kit/support-module.js';
import { applyEdits, lineIndent, listItemsRemoval, type TextEdit } from '../kit/text-edits.js';
import { parseForEdits } from '../kit/parse.js';
import { topLevelNames, typeImport } from '../kit/type-import-name.js';
import { requestOrigin } from './request-origin.js';
import { localsOf, pureFunctionsAround, replayable, replaysCleanly, runsBefore } from './replay-safety.js';
import {
  argumentAppend,
  askingHelper,
  arityOf,
  forwardingCalls,
  optionalParameterEdits,
  parameterAppend,
  type ForwardingCall
} from './helper-rounds.js';
import { planAskingHelpers, type AskingPart } from './helper-plan.js';
import { planAmbientRounds, type AmbientPart } from './ambient-plan.js';
import {
  AMBIENT_NOTE,
  answerAwaited,
  askedAtStartUp,
  askedOutsideTools,
  callableFromOutside,
  callsBelowTools,
  OUTSIDE_AS_V1_NOTE,
  OUTSIDE_TODO,
  v1AskerOf,
  CAPABILITIES_IN_ROUND,
  capabilityReadEdits,
  IN_ROUND,
  OPENS_NOTE,
  OPENS_ROUNDS,
  openingEdits,
  serverConstructions
} from './ambient-asks.js';
import {
  contextParameter,
  insideRequestHandler,
  property,
  toolRegistrations,
  type ToolRegistration
} from '../kit/tool-registrations.js';
import { lowLevelToolCases } from './low-level-tools.js';
import { promptAndResourceHandlers } from './prompt-resource-handlers.js';
import {
  BEFORE_FIRST_CALL,
  FIRST_CALL_NOTE,
  firstCallHooks,
  hookRunning,
  ROOTS_CHANGED_NOTE,
  rootsChangedHandlerRunning,
  type FirstCallHook
} from './first-call-hooks.js';
import { dispatchEdits, dispatchMapTools, type DispatchSite } from './dispatch-map-tools.js';

const meta: TransformMeta = {
  id: 'push-to-input-required',
  title: 'Push requests → inputRequired',
  summary:
    'elicitInput / createMessage / listRoots awaited in a tool → inputRequired(...) result and re-entry (SEP-2322)',
  spec: ['SEP-2322', 'SEP-2260', 'SEP-2577'],
  safety: 'review',
  prefilter:
    /elicitInput|createMessage|listRoots|requestSampling|elicitation\/create|sampling\/createMessage|roots\/list|UrlElicitationRequiredError/,
  plan: (migrated, others, resolve) => {
    const helpers = planAskingHelpers(migrated, others, resolve);
    return [...helpers, ...planAmbientRounds(migrated, helpers)];
  }
};

type Node = any;

interface PushKind {
  key: string;
  view: 'elicit' | 'sampling' | 'roots';
  builder: 'elicit' | 'elicitUrl' | 'createMessage' | 'listRoots';
  /** The value the awaited call used to produce, from the input response view (`resultType` as the file names it). */
  value: (view: string, resultType: string) => string;
  /** The v2 type the value is cast to in TypeScript. */
  resultType?: string;
  note?: string;
  noteRule?: string;
}

const KINDS: Record<string, PushKind> = {
  elicit: { key: 'elicitation', view: 'elicit', builder: 'elicit', value: v => v },
  elicitUrl: {
    key: 'elicitation',
    view: 'elicit',
    builder: 'elicitUrl',
    value: v => v,
    noteRule: 'url-elicitation',
    note:
      "the retry carries the user's answer to the URL prompt, as v1's elicitInput did; 2026-07-28 has no elicitationId or " +
      'completion notification, so if this code waited for the out-of-band step by id, check its outcome on the retry ' +
      'instead (a sealed requestState can carry your own correlation id)'
  },
  sampling: {
    // A request without `tools` gets a single-content result, which is what the v1 code was written against.
    key: 'sampling',
    view: 'sampling',
    builder: 'createMessage',
    value: (v, type) => `${v}.result as ${type}`,
    resultType: 'CreateMessageResult',
    noteRule: 'sampling-deprecated',
    note: "sampling is deprecated (SEP-2577); it still works through inputRequired, but calling your LLM provider's API directly is the lasting replacement"
  },
  roots: {
    key: 'roots',
    view: 'roots',
    builder: 'listRoots',
    value: v => `{ roots: ${v}.roots }`,
    noteRule: 'roots-deprecated',
    note: 'roots are deprecated (SEP-2577); they still work through inputRequired, but take the directory as a tool argument or server configuration instead'
  }
};

const OUTSIDE_REQUEST_TODO =
  'a server→client request outside a client request is forbidden on 2026-07-28 (SEP-2260); ask from inside a tool ' +
  'call by returning inputRequired(...), or drop it';

const METHOD_KINDS: Record<string, string> = {
  elicitInput: 'elicit',
  createMessage: 'sampling',
  requestSampling: 'sampling',
  listRoots: 'roots'
};
const WIRE_KINDS: Record<string, string> = {
  'elicitation/create': 'elicit',
  'sampling/createMessage': 'sampling',
  'roots/list': 'roots'
};

/** A server→client request call and what it asks for; `params` is the node of its parameters (if any). */
interface PushCall {
  path: ASTPath<any>;
  /** A KINDS key, or 'url-error' for `new UrlElicitationRequiredError([...])` (params: the array). */
  kind: string;
  params?: Node;
  /** URL-mode elicitation: carries an elicitationId and completes out of band. */
  url: boolean;
  /** The parameters as code to ask with, when they are not written in the call (`request.params`). */
  paramsCode?: string;
  /** The `const request = { method, params }` the call sends, when declared before it. */
  declaration?: ASTPath<any>;
}

function pushToInputRequired({ file, j, options }: RewriteContext<undefined>): string | undefined {
  const src = file.source;
  const root = parseForEdits(j, file.path, src);
  const q = dominantQuote(src);
  const typed = isTypeScript(file.path);
  const edits: TextEdit[] = [];
  const calls = pushCalls(j, root);
  // A request declared before its call is flagged where its method is written: the marker goes above that declaration.
  const markedAt = new Map<Node, ASTPath<any>>(
    calls.filter(c => c.declaration).map(c => [c.path.node, c.declaration!])
  );
  const mark = (p: ASTPath<any>, kind: 'TODO' | 'NOTE', rule: string, message: string) => {
    const at = statementPathOf(markedAt.get(p.node) ?? p).node;
    const e = markerEdit(src, at, kind, `${meta.id}/${rule}`, message, options);
    if (e) edits.push(e);
  };
  /** The NOTE on a question whose retry calls `reads` again before the answer is read (replay-safety.ts). */
  const markReplayedReads = (p: ASTPath<any>, reads: string[]) =>
    mark(
      p,
      'NOTE',
      'replayed-read',
      `the retry runs the tool from the top, so ${reads.map(r => `\`${r}\``).join(', ')} run${reads.length > 1 ? '' : 's'} ` +
        `again before the answer is read; taken by name to only read: if ${reads.length > 1 ? 'one' : 'it'} changes anything, ` +
        'move it after the answer'
    );
  const planned = (options.planned?.[meta.id] ?? []) as { key: string; part: AskingPart }[];
  if (calls.length === 0 && planned.length === 0) return undefined;
  const dispatch = dispatchMapTools(j, root, src);
  const tools = [
    ...toolRegistrations(j, root, src),
    ...lowLevelToolCases(j, root, src),
    ...dispatch.tools,
    ...promptAndResourceHandlers(j, root, src)
  ];
  // A tool function of a lookup table gets the context from its handler's lookup, handed over once per lookup.
  const handedOver = new Map<DispatchSite, string | undefined>();
  // Helpers' questions are forwarded by registered tools only (a low-level handler's branches share one callback).
  const registered = tools.filter(t => !t.lowLevel);
  const needed = new Set<string>();
  // v2 types are written under a name of their own where the file has a type by that name (kit/type-import-name.ts).
  const taken = topLevelNames(root);
  const sdkType = (name: string) => {
    const { local, specifier } = typeImport(j, root, taken, name);
    needed.add(specifier);
    return local;
  };
  const inputRequiredType = typeImport(j, root, taken, 'InputRequiredResult');
  // Imported names only the rewritten calls used (a result schema, UrlElicitationRequiredError), by how many went.
  const droppedImports = new Map<string, number>();
  const byHandler = new Map<ToolRegistration, PushCall[]>();
  // Requests in helpers of their own, asked for the tools that call them (helper-rounds.ts).
  const helperCalls: PushCall[] = [];
  // Questions asked below the tools, in the round of whatever tool call runs them (ambient-plan.ts).
  const ambient = (options.planned?.[meta.id] ?? []).filter(
    (p): p is { key: string; part: AmbientPart } => (p.part as AmbientPart).role === 'ambient'
  );
  const askAmbiently = ambient.some(p => p.part.asks);
  // Hooks run once the client initialized that ask it something: carried to the first tool call (first-call-hooks.ts).
  const hooks = askAmbiently
    ? firstCallHooks(
        j,
        root,
        src,
        calls.map(c => c.path)
      )
    : [];
  const hookCalls: PushCall[] = [];

  for (const call of calls) {
    const handler = enclosingHandler(call.path, tools);
    if (handler) byHandler.set(handler, [...(byHandler.get(handler) ?? []), call]);
    else if (call.kind === 'url-error') {
      mark(
        call.path,
        'TODO',
        'manual',
        'UrlElicitationRequiredError is gone from the 2026-07-28 wire; the tool that needs the URL step ' +
          'returns inputRequired({ inputRequests: { key: inputRequired.elicitUrl({ message, url }) } }) ' +
          'instead, so move the decision into the tool'
      );
    } else if (insideRequestHandler(call.path)) {
      mark(
        call.path,
        'TODO',
        'manual',
        'this handler awaits a server→client request, which 2026-07-28 removes: return inputRequired(...) ' +
          'and read ctx.mcpReq.inputResponses on the retry (see docs/push-to-input-required.md)'
      );
    } else if (hookRunning(call.path, hooks) || rootsChangedHandlerRunning(j, root, src, call.path, hooks)) {
      // Decided once the hooks that can be carried are known.
      hookCalls.push(call);
    } else if (requestOrigin(call.path) === 'no-request') {
      mark(call.path, 'TODO', 'outside-request', OUTSIDE_REQUEST_TODO);
    } else helperCalls.push(call);
  }

  let needRounds = false;
  let needChecked = false;
  // A helper asking in its tool's rounds names their type.
  let needRoundsType = false;
  /**
   * Replaces the awaited request at `call` with its round: build the request, read the answer (from `rounds` when the
   * tool asks several things), return the input_required result while there is none, else take the answer as the
   * awaited value was taken (declared or assigned).
   */
  const askInPlace = (call: PushCall, ctxName: string, key: string, rounds?: string, opening = '') => {
    const kind = KINDS[call.kind]!;
    const resultImport = kind.resultType && typed ? typeImport(j, root, taken, kind.resultType) : undefined;
    const resultType = resultImport?.local ?? kind.resultType ?? '';
    const statement = statementPathOf(call.path).node;
    const declarator = statement.type === 'VariableDeclaration' ? statement.declarations[0] : undefined;
    const assigned = statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression';
    const target = declarator?.id ?? (assigned ? statement.expression.left : undefined);
    const indent = lineIndent(src, statement.start);
    const base = answerName(call.path) ?? kind.key;
    const view = uniqueName(j, root, `${base}Input`);
    // The request is built in its own declaration so its (often multi-line) parameters keep their layout.
    const lines: string[] = opening ? [opening] : [];
    let request = `inputRequired.${kind.builder}()`;
    if (kind.builder !== 'listRoots') {
      request = uniqueName(j, root, `${base}Request`);
      lines.push(`const ${request} = inputRequired.${kind.builder}(${requestParams(src, call)});`);
    }
    // The answer is untrusted: checked against the request it answers (v1's elicitInput checked it too).
    const checks = kind.builder !== 'listRoots';
    const response = rounds
      ? `${rounds}.response(${q}${key}${q}${checks ? `, ${request}` : ''})`
      : `inputResponse(${ctxName}.mcpReq.inputResponses, ${q}${key}${q})`;
    const ask = rounds
      ? `${rounds}.ask({ ${key}: ${request} })`
      : `inputRequired({ inputRequests: { ${key}: ${request} } })`;
    lines.push(`const ${view} = ${response};`, `if (${view}.kind !== ${q}${kind.view}${q}) return ${ask};`);
    if (target) {
      const checked = checks && !rounds ? `checkedAnswer(${view}, ${request})` : view;
      if (checks && !rounds) needChecked = true;
      // A variable of a declared type took v1's ElicitResult; the checked view is one (plus its `kind`), said so.
      const declared = typed && kind.view === 'elicit' && hasDeclaredType(call.path, target);
      const value = declared
        ? `${kind.value(checked, resultType)} as ${sdkType('ElicitResult')}`
        : kind.value(checked, resultType);
      const assignment = `${src.slice(target.start, target.end)} = ${typed ? value : value.replace(/ as \w+$/, '')};`;
      lines.push(declarator ? `${statement.kind} ${assignment}` : assignment);
    }
    edits.push({ start: statement.start, end: statement.end, text: lines.join(`\n${indent}`) });
    // `request(req, CreateMessageResultSchema)`: the result schema went with the call (checkedAnswer checks the answer).
    const schema = call.path.node.arguments[1];
    if (schema?.type === 'Identifier') droppedImports.set(schema.name, (droppedImports.get(schema.name) ?? 0) + 1);
    needed.add('inputRequired');
    if (!rounds) needed.add('inputResponse');
    if (resultImport) needed.add(resultImport.specifier);
    if (kind.note) mark(call.path, 'NOTE', kind.noteRule!, kind.note);
  };
  let urlErrorsRewritten = 0;
  // A callback declared to return `Promise<CallToolResult>` must admit the input_required result it now returns.
  const widened = new Set<Node>();
  const widen = (handler: ToolRegistration) => {
    if (!typed || widened.has(handler.callback)) return;
    widened.add(handler.callback);
    const edit = returnTypeWidening(src, handler.callback, inputRequiredType.local);
    if (edit) {
      edits.push(edit);
      needed.add(inputRequiredType.specifier);
    }
  };
  const contextGiven = new Set<Node>();
  for (const [handler, group] of byHandler) {
    const thrown = group.filter(c => c.kind === 'url-error');
    const asked = group.filter(c => c.kind !== 'url-error');
    for (const call of thrown) {
      const rewrite = urlErrorReturn(src, call, handler);
      if (typeof rewrite === 'string') mark(call.path, 'TODO', 'manual', rewrite);
      else {
        edits.push(rewrite);
        needed.add('inputRequired');
        widen(handler);
        urlErrorsRewritten++;
      }
    }
    if (asked.length === 0) continue;
    const sequential = asked.length > 1;
    const reads: string[] = [];
    const body = handler.body ?? handler.callback.body;
    // The one block all the handler's requests are statements of, if any: found once for the handler.
    const layout = body.type === 'BlockStatement' ? sharedLayoutBlock(body, asked) : undefined;
    const reason = asked.map(c => unsupported(c, handler, asked, layout, reads)).find(r => r);
    if (reason) {
      for (const call of asked) mark(call.path, 'TODO', reason.rule, reason.message);
      continue;
    }
    const site = dispatch.sites.get(handler);
    if (site && !handler.ctxName && !handedOver.has(site)) {
      const over = dispatchEdits(src, site);
      handedOver.set(site, over?.name);
      if (over) edits.push(...over.edits);
    }
    const ctx =
      site && !handler.ctxName && !handedOver.get(site)
        ? 'the lookup that calls it already passes it more than its arguments'
        : contextParameter(src, handler);
    // A table's function is not typed by a registration: in TypeScript its new context parameter says its type.
    if (site && typed && typeof ctx !== 'string')
      for (const e of ctx.edits) e.text = e.text.replace(/\bctx(\)?)$/, `ctx: ${sdkType('ServerContext')}$1`);
    const args = sequential ? argumentsExpression(handler) : '';
    if (typeof ctx === 'string' || args === undefined) {
      const why =
        typeof ctx === 'string'
          ? ctx
          : 'its arguments are destructured with nested patterns or defaults, so the sealed state cannot be bound to them';
      for (const call of asked)
        mark(
          call.path,
          'TODO',
          'manual',
          `this handler awaits a server→client request but ${why}; return inputRequired(...) by hand`
        );
      continue;
    }
    // A low-level handler's branches share its callback: its context parameter is added once.
    if (!contextGiven.has(handler.callback)) edits.push(...ctx.edits);
    contextGiven.add(handler.callback);
    const rounds = sequential ? uniqueName(j, root, 'rounds') : undefined;
    const opened = rounds ? `const ${rounds} = await inputRounds(${ctx.name}, ${q}${handler.name}${q}, ${args});` : '';
    // Rounds asked in branches open before the body statement holding the first, where every later one sees them.
    const branched = rounds && !layout;
    if (branched) {
      const holder = bodyStatementHolding(asked[0]!.path, body);
      edits.push({ start: holder.start, end: holder.start, text: `${opened}\n${lineIndent(src, holder.start)}` });
    }
    const keys = new Set<string>();
    asked.forEach((call, index) => {
      const kind = KINDS[call.kind]!;
      const base = answerName(call.path) ?? kind.key;
      let key = rounds ? base : kind.key;
      for (let n = 2; keys.has(key); n++) key = `${base}${n}`;
      keys.add(key);
      const opening = index === 0 && !branched ? opened : '';
      needed.add('inputRequired');
      widen(handler);
      askInPlace(call, ctx.name, key, rounds, opening);
    });
    if (reads.length) markReplayedReads(asked[0]!.path, reads);
    if (rounds) needRounds = true;
  }
  // Tools that forward a helper's question may ask nothing else: one answer key per tool.
  const forwarding = new Set<ToolRegistration>();
  // Tools forwarding helpers that ask in rounds, with the name of the rounds each opened: they may forward several.
  const roundsOf = new Map<ToolRegistration, string>();
  const asksOwn = (tool: ToolRegistration) => byHandler.has(tool) || forwarding.has(tool);
  const asksOwnBesideRounds = (tool: ToolRegistration) =>
    byHandler.has(tool) || (forwarding.has(tool) && !roundsOf.has(tool));
  /** Opens the tool's rounds once, first thing in its body, where every helper call below sees them. */
  const openRounds = (tool: ToolRegistration, ctxName: string): string => {
    const opened = roundsOf.get(tool);
    if (opened) return opened;
    const name = uniqueName(j, root, 'rounds');
    roundsOf.set(tool, name);
    const body = tool.callback.body;
    const indent = body.body.length ? lineIndent(src, body.body[0].start) : `${lineIndent(src, body.start)}  `;
    const args = argumentsExpression(tool)!;
    edits.push({
      start: body.start + 1,
      end: body.start + 1,
      text: `\n${indent}const ${name} = await inputRounds(${ctxName}, ${q}${tool.name}${q}, ${args});`
    });
    needRounds = true;
    return name;
  };
  const forward = (found: ForwardingCall[], viaRounds = false) => {
    for (const { call, tool, form, reads, held, omitted } of found) {
      forwarding.add(tool);
      if (reads.length) markReplayedReads(call, reads);
      const ctx = contextParameter(src, tool) as { edits: TextEdit[]; name: string };
      // A tool forwarding two helpers is handed its context once.
      if (contextGiven.has(tool.callback)) ctx.edits = [];
      contextGiven.add(tool.callback);
      const passed = viaRounds ? `${ctx.name}, ${openRounds(tool, ctx.name)}` : ctx.name;
      const append = argumentAppend(src, call.node, [...Array<string>(omitted).fill('undefined'), passed].join(', '));
      const statement = statementPathOf(call).node;
      const indent = lineIndent(src, statement.start);
      if (form === 'condition') {
        // Awaited just before its `if`, which tests the answer instead (the call moves, its new argument with it).
        const awaited = call.parent.node;
        const asked = src.slice(awaited.start, append.start) + append.text + src.slice(append.end, awaited.end);
        const callee = call.node.callee;
        const method =
          /MemberExpression$/.test(callee.type) && !callee.computed ? memberKey(callee.property) : undefined;
        const name = uniqueName(j, root, `${callee.name ?? method ?? 'asked'}Answer`);
        edits.push(
          ...ctx.edits,
          {
            start: statement.start,
            end: statement.start,
            text: `const ${name} = ${asked};\n${indent}if (isInputRequiredResult(${name})) return ${name};\n${indent}`
          },
          wholeExpression(src, awaited, name)
        );
        widen(tool);
        continue;
      }
      edits.push(...ctx.edits, append);
      if (held) {
        edits.push(...heldAnswer(src, statement, uniqueName(j, root, `${answerName(call)}Answer`), indent));
        widen(tool);
        continue;
      }
      let name = answerName(call);
      if (form === 'expression') {
        name = uniqueName(j, root, 'asked');
        edits.push({ start: statement.start, end: statement.start, text: `const ${name} = ` });
      }
      if (form !== 'return')
        edits.push({
          start: statement.end,
          end: statement.end,
          text: `\n${indent}if (isInputRequiredResult(${name})) return ${name};`
        });
      widen(tool);
    }
    if (found.length) needed.add('isInputRequiredResult');
  };
  /** The calls, when each of their tools can be handed a context parameter; else why not. */
  const withContexts = (found: ForwardingCall[] | string, viaRounds = false): ForwardingCall[] | string => {
    if (typeof found === 'string') return found;
    const why = found.map(f => contextParameter(src, f.tool)).find((c): c is string => typeof c === 'string');
    if (why) return why;
    if (viaRounds && found.some(f => argumentsExpression(f.tool) === undefined))
      return "a tool's arguments are destructured with nested patterns or defaults, so the rounds cannot be bound to them";
    return found;
  };
  const asking = new Map(planned.flatMap(p => (p.part.role === 'asks' ? [[p.part.fn, p.key] as const] : [])));
  const inRounds = new Set(planned.flatMap(p => (p.part.rounds ? [p.key] : [])));
  // The names this module calls the helpers asking in rounds by: one answered before another replays cleanly.
  const roundsPeers = new Set(
    planned.flatMap(p => (!p.part.rounds ? [] : p.part.role === 'asks' ? [p.part.fn] : [p.part.local]))
  );
  const inRound = new Set<string>();
  const inTool = (p: ASTPath<any>) => !!enclosingHandler(p, tools);
  // Hooks carried to the first tool call: the module functions they await ask in its round, and as v1 did elsewhere.
  const carried: FirstCallHook[] = [];
  const awaitedBy = (call: PushCall, hooks: FirstCallHook[]) => {
    const fn = enclosingFunction(call.path);
    return hooks.some(h => h.helpers.has(fn));
  };
  /**
   * How the request at `call` is asked in the round of the tool call it runs in, or nothing where it cannot be: in
   * code below the tools (`code`), in a hook carried to the first tool call (`hook`, which only runs there), or in the
   * roots/list_changed handler of such a hook's server (`roots-changed`, which only a 2025-era client reaches).
   */
  const inRoundPlan = (
    call: PushCall,
    where: 'code' | 'hook' | 'roots-changed' = 'code',
    hooksRun: FirstCallHook[] = carried
  ): { fn: string; asker?: string; kind: 'NOTE' | 'TODO'; note: string } | undefined => {
    const fn = IN_ROUND[call.kind];
    if (!askAmbiently || !fn || paramsProblem(call) || !answerAwaited(call.path)) return undefined;
    if (where === 'hook') return { fn, kind: 'NOTE', note: AMBIENT_NOTE };
    const v1Asker = !call.declaration && !call.paramsCode ? v1AskerOf(src, call.path.node, !!call.url) : undefined;
    if (where === 'roots-changed')
      return call.kind === 'roots' && v1Asker
        ? { fn, asker: v1Asker, kind: 'NOTE', note: ROOTS_CHANGED_NOTE }
        : undefined;
    // Called below the tools and left to run there (`void refresh()`), it would ask while the tool goes on, and the
    // question would replace the tool's own result: the tool would run twice.
    const below = callsBelowTools(j, root, call.path, inTool);
    if (below?.some(p => !answerAwaited(p))) return undefined;
    // Also run where no tool call is behind it (a hook, a timer, a listener): asked in rounds only where it also runs
    // in them (awaited by a carried hook, or below the tools; start-up code never is), and as v1 did elsewhere.
    const outsideTools = askedOutsideTools(j, root, call.path, inTool);
    const alsoInRounds = awaitedBy(call, hooksRun) || (!!below?.length && !askedAtStartUp(j, call.path));
    if (outsideTools && !(v1Asker && alsoInRounds)) return undefined;
    // Other code may call it outside a tool call, where it has no round to ask in: there it asks as v1 did where the
    // server it asked through can be handed along, else the user decides.
    const outside = outsideTools || callableFromOutside(j, call.path);
    if (!outside) return { fn, kind: 'NOTE', note: AMBIENT_NOTE };
    return v1Asker
      ? { fn, asker: v1Asker, kind: 'NOTE', note: OUTSIDE_AS_V1_NOTE }
      : { fn, kind: 'TODO', note: OUTSIDE_TODO };
  };
  const askInRound = (call: PushCall, where: 'code' | 'hook' | 'roots-changed' = 'code'): boolean => {
    const plan = inRoundPlan(call, where);
    if (!plan) return false;
    edits.push(wholeExpression(src, call.path.node, `${plan.fn}(${inRoundArguments(src, call, plan.asker)})`));
    // The wire form's result schema goes with it (a method call's second argument is its options, kept).
    const schema = call.path.node.arguments[1];
    if (!methodForm(call) && schema?.type === 'Identifier')
      droppedImports.set(schema.name, (droppedImports.get(schema.name) ?? 0) + 1);
    mark(call.path, plan.kind, 'ask-in-round', plan.note);
    const kind = KINDS[call.kind]!;
    if (kind.note) mark(call.path, 'NOTE', kind.noteRule!, kind.note);
    inRound.add(plan.fn);
    return true;
  };
  // A hook is carried when every question it asks, in its body or in the functions it awaits, can be asked in rounds.
  for (const hook of hooks) {
    const own = hookCalls.filter(c => hookRunning(c.path, hooks) === hook);
    const viaHelpers = helperCalls.filter(c => awaitedBy(c, [hook]));
    if (own.every(c => inRoundPlan(c, 'hook')) && viaHelpers.every(c => inRoundPlan(c, 'code', [hook])))
      carried.push(hook);
  }
  for (const hook of carried) {
    edits.push(...hook.edits);
    mark(hook.site, 'NOTE', 'first-tool-call', FIRST_CALL_NOTE);
    inRound.add(BEFORE_FIRST_CALL);
  }
  for (const call of hookCalls) {
    const hook = hookRunning(call.path, hooks);
    const asked = hook
      ? carried.includes(hook) && askInRound(call, 'hook')
      : rootsChangedHandlerRunning(j, root, src, call.path, carried) && askInRound(call, 'roots-changed');
    if (asked) continue;
    mark(call.path, 'TODO', 'outside-request', OUTSIDE_REQUEST_TODO);
  }
  for (const call of helperCalls) {
    const helper = askingHelper(
      j,
      call.path,
      calls.map(c => c.path)
    );
    const params = paramsProblem(call);
    let reason = typeof helper === 'string' ? helper : params;
    let callers: ForwardingCall[] = [];
    const key = typeof helper === 'string' || helper.method ? undefined : asking.get(helper.name);
    const viaRounds = !!key && inRounds.has(key);
    if (!reason && typeof helper !== 'string') {
      const found = withContexts(
        forwardingCalls(
          j,
          root,
          helper.name,
          arityOf(helper.fn),
          registered,
          viaRounds ? asksOwnBesideRounds : asksOwn,
          typed,
          helper.method,
          viaRounds ? roundsPeers : undefined
        ),
        viaRounds
      );
      if (typeof found === 'string') reason = found;
      else if (helper.exported && !key)
        reason =
          'it is exported, and the run could not pair it with every module that calls it (each must pass its tool context)';
      else if (found.length === 0 && !key) reason = 'no tool calls it';
      else callers = found;
    }
    if ((reason || typeof helper === 'string') && askInRound(call)) continue;
    if (reason || typeof helper === 'string') {
      mark(
        call.path,
        'TODO',
        'manual',
        'this function sends a server→client request for the tools that call it, which 2026-07-28 removes: ' +
          'only a tool can ask, by returning inputRequired(...), so hand the request back to the tool and read ' +
          `ctx.mcpReq.inputResponses on the retry (see docs/push-to-input-required.md); not done here: ${reason}`
      );
      continue;
    }
    // The helper asks with its caller's context, returned where it awaited the answer.
    // Listed after the context, so at the last parameter's end its `| undefined` goes first (applyEdits).
    // Asking in rounds, it also takes the tool's rounds and keys its question by its own name (the context stays for
    // what else the helper reads of the request, such as the client's capabilities).
    const rounds = viaRounds ? uniqueName(j, root, 'rounds') : undefined;
    const context = typed ? `ctx: ${sdkType('ServerContext')}` : 'ctx';
    edits.push(
      parameterAppend(src, helper.fn, rounds ? `${context}, ${typed ? `${rounds}: InputRounds` : rounds}` : context),
      ...optionalParameterEdits(src, helper.fn)
    );
    const widening = returnTypeWidening(src, helper.fn, inputRequiredType.local);
    if (widening && typed) {
      edits.push(widening);
      needed.add(inputRequiredType.specifier);
    }
    if (rounds) {
      askInPlace(call, 'ctx', helper.name, rounds);
      if (typed) needRoundsType = true;
    } else askInPlace(call, 'ctx', KINDS[call.kind]!.key);
    if (helper.reads.length) markReplayedReads(call.path, helper.reads);
    forward(callers, viaRounds);
    if (key) options.honour?.(key);
  }
  // Callers in this module of helpers that ask in another (the run's plan pairs them).
  for (const { key, part } of planned) {
    if (part.role !== 'forwards') continue;
    const viaRounds = !!part.rounds;
    const owns = viaRounds ? asksOwnBesideRounds : asksOwn;
    const found = withContexts(
      forwardingCalls(
        j,
        root,
        part.local,
        part.arity,
        registered,
        owns,
        typed,
        false,
        viaRounds ? roundsPeers : undefined
      ),
      viaRounds
    );
    if (typeof found === 'string' || found.length === 0) continue;
    forward(found, viaRounds);
    options.honour?.(key);
  }
  if (inRound.size > 0) {
    const reads = capabilityReadEdits(j, root, src, inTool);
    edits.push(...reads);
    if (reads.length) inRound.add(CAPABILITIES_IN_ROUND);
  }
  if (ambient.some(p => p.part.opens)) {
    const via = ambient.flatMap(p => p.part.via ?? []);
    for (const construction of serverConstructions(j, root, via)) {
      edits.push(...openingEdits(construction));
      mark(construction, 'NOTE', 'ask-in-round', OPENS_NOTE);
      inRound.add(OPENS_ROUNDS);
    }
  }
  for (const { key, part } of ambient)
    if ((!part.asks || [...inRound].some(n => n !== OPENS_ROUNDS)) && (!part.opens || inRound.has(OPENS_ROUNDS)))
      options.honour?.(key);
  if (urlErrorsRewritten > 0) droppedImports.set('UrlElicitationRequiredError', urlErrorsRewritten);
  for (const [name, gone] of droppedImports) {
    const e = unusedImportRemoval(j, root, src, name, gone);
    if (e) edits.push(...e);
  }
  const e = namedImportsEdit(j, root, src, '@modelcontextprotocol/server', [...needed], q);
  if (e) edits.push(e);
  if (needRounds || needChecked || needRoundsType || inRound.size) {
    const rel = typed
      ? useSupportModule(file.path, options, INPUT_ROUNDS_MODULE_NAME, INPUT_ROUNDS_MODULE_SOURCE)
      : useSupportModule(file.path, options, INPUT_ROUNDS_MODULE_NAME, inputRoundsModuleJs(isCommonJs(root)), 'js');
    const names = [
      ...(needRounds ? ['inputRounds'] : []),
      ...(needChecked ? ['checkedAnswer'] : []),
      ...(needRoundsType ? ['type InputRounds'] : []),
      ...[...inRound].sort()
    ];
    if (root.find(j.ImportDeclaration, { source: { value: rel } }).length === 0)
      edits.push(importLineEdit(j, root, `import { ${names.join(', ')} } from ${q}${rel}${q};`));
  }
  const out = edits.length ? applyEdits(src, edits) : undefined;
  return out === src ? undefined : out;
}

/**
 * What the ask-in-round function takes: a method call's own arguments as written (v1's request options, unused by a
 * round, stay where the code names them), or the wire form's parameters (its result schema goes).
 */
function inRoundArguments(src: string, call: PushCall, asker?: string): string {
  const args: Node[] = call.path.node.arguments;
  if (!methodForm(call)) {
    const params = call.kind === 'roots' ? '' : requestParams(src, call);
    if (!asker) return params;
    // The request's options (after the result schema where one is passed) go second, as a method takes them.
    const schema = args[1]?.type === 'Identifier' && /Schema$/.test(args[1].name);
    const options = args.length >= 3 || schema ? args[2] : args[1];
    return `${params || 'undefined'}, ${options ? src.slice(options.start, options.end) : 'undefined'}, ${asker}`;
  }
  // The server to ask as v1 did outside a tool call goes third, after v1's parameters and options.
  const outside = asker ? `${', undefined'.repeat(Math.max(0, 2 - args.length))}, ${asker}` : '';
  if (!args.length) return outside.slice(2);
  const rest = src.slice(args[0].end, args[args.length - 1].end) + outside;
  // A URL elicitation's `elicitationId` goes (elicitInRound keeps `mode`, which it reads): 2026-07-28 correlates the
  // retry through requestState, and the field left in would still read as v1's completion flow.
  const params = args[0];
  if (!call.url || params.type !== 'ObjectExpression') return src.slice(params.start, params.end) + rest;
  return withoutProperties(src, params, ['elicitationId']) + rest;
}

/** `x.elicitInput(params, options)` and its siblings, not the wire form `send({ method, params }, Schema)`. */
function methodForm(call: PushCall): boolean {
  return !call.declaration && !call.paramsCode && !!METHOD_KINDS[call.path.node.callee.property?.name];
}

/** Why the request's parameters cannot be asked with as they stand, or nothing. */
function paramsProblem(call: PushCall): string | undefined {
  if (call.kind !== 'roots' && !call.params && !call.paramsCode)
    return 'the request parameters are not written at the call';
  if (call.url && call.params.type !== 'ObjectExpression')
    return 'the URL elicitation parameters are not written at the call';
  // `params.task`: the client runs it as an experimental task and the handler polls tasks/get, which 2026 removed.
  if (call.params?.type === 'ObjectExpression' && property(call.params, 'task'))
    return 'the request asks the client to run it as an experimental task (params.task), which v2 removed';
  return undefined;
}

/** Replaces an expression with `text`, the parentheses around it included (`!(await f())` → `!answer`). */
function wholeExpression(src: string, node: Node, text: string): TextEdit {
  const open = node.extra?.parenthesized ? node.extra.parenStart : undefined;
  const close = open === undefined ? -1 : src.indexOf(')', node.end);
  return open === undefined || close < 0 || src.slice(node.end, close).trim()
    ? { start: node.start, end: node.end, text }
    : { start: open, end: close + 1, text };
}

/** The name the awaited answer at `p` was given (`const answer = await …`, `answer = await …`), if any. */
function answerName(p: ASTPath<any>): string | undefined {
  const statement = statementPathOf(p).node;
  const target =
    statement.type === 'VariableDeclaration'
      ? statement.declarations[0]?.id
      : statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression'
        ? statement.expression.left
        : undefined;
  return target?.type === 'Identifier' ? target.name : undefined;
}

/**
 * The parameters of the embedded request. URL elicitation drops `mode` (the builder says it) and `elicitationId`
 * (2026-07-28 correlates retries through requestState, not an id).
 */
function requestParams(src: string, call: PushCall): string {
  const params = call.params;
  if (call.paramsCode) return call.paramsCode;
  if (!call.url) return src.slice(params.start, params.end);
  return withoutProperties(src, params, ['mode', 'elicitationId']);
}

/** The text of object literal `object` without its properties named in `keys`. */
function withoutProperties(src: string, object: Node, keys: string[]): string {
  const props: Node[] = object.properties;
  const drop = new Set(props.flatMap((p, i) => (keys.includes(propertyKey(p) ?? '') ? [i] : [])));
  const removal = listItemsRemoval(props, drop).map(e => ({
    ...e,
    start: e.start - object.start,
    end: e.end - object.start
  }));
  return applyEdits(src.slice(object.start, object.end), removal);
}

/**
 * What binds a sealed state to this call's arguments: the arguments parameter, or the names its object pattern
 * declares (`{ env, region: r }` → `{ env, region: r }`). Undefined when the pattern is too involved to rebuild.
 */
function argumentsExpression(tool: ToolRegistration): string | undefined {
  if (tool.args) return tool.args;
  const hasSchema = !!(tool.config && property(tool.config, 'inputSchema'));
  const first = hasSchema ? tool.callback.params[0] : undefined;
  if (!first) return '{}';
  if (first.type === 'Identifier') return first.name;
  if (first.type !== 'ObjectPattern') return undefined;
  const parts: string[] = [];
  for (const p of first.properties as Node[]) {
    if (p.type === 'RestElement' && p.argument.type === 'Identifier') parts.push(`...${p.argument.name}`);
    else if (/^(Object)?Property$/.test(p.type) && !p.computed && p.value.type === 'Identifier') {
      const key = p.key.name ?? p.key.value;
      parts.push(
        key === p.value.name ? key : `${p.key.type === 'Identifier' ? key : JSON.stringify(key)}: ${p.value.name}`
      );
    } else return undefined;
  }
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}

/**
 * `(…): Promise<CallToolResult> =>` → `(…): Promise<CallToolResult | InputRequiredResult> =>` (`name`: the type as the
 * file names it); an annotation that already admits it, or none at all, needs nothing.
 */
function returnTypeWidening(src: string, fn: Node, name: string): TextEdit | undefined {
  const inner = resultTypeToWiden(src, fn, new RegExp(`\\b(?:InputRequiredResult|${name})\\b`));
  if (!inner) return undefined;
  // `A | B`, `boolean`, `string[]`, `'a'` take one more member as they are; a function or conditional type would need
  // parentheses: left alone.
  if (
    !/^(TSTypeReference|TSUnionType|TSTypeLiteral|TSIntersectionType|TSArrayType|TSLiteralType|TS\w+Keyword)$/.test(
      inner.type
    )
  )
    return undefined;
  return { start: inner.end, end: inner.end, text: ` | ${name}` };
}

/**
 * `throw new UrlElicitationRequiredError([{ mode: 'url', message, url, elicitationId }])` directly in a tool →
 * `return inputRequired({ inputRequests: { elicitation: inputRequired.elicitUrl({ message, url }) } })`. The v1
 * client retried the call after the user finished at the URL; the 2026 client retries after its round, and the
 * handler's own check (the one that threw) decides again.
 */
function urlErrorReturn(src: string, call: PushCall, tool: ToolRegistration): TextEdit | string {
  const statement = call.path.parent?.node;
  const list = call.params;
  if (statement?.type !== 'ThrowStatement')
    return (
      'UrlElicitationRequiredError is built here but not thrown; return inputRequired({ inputRequests: { ' +
      'key: inputRequired.elicitUrl({ message, url }) } }) from the tool instead'
    );
  if (enclosingFunction(call.path) !== tool.callback)
    return (
      'UrlElicitationRequiredError is thrown from a nested function; on 2026-07-28 the tool returns ' +
      'inputRequired({ inputRequests: { key: inputRequired.elicitUrl({ message, url }) } }) instead, so ' +
      'move the decision into the tool'
    );
  if (
    list?.type !== 'ArrayExpression' ||
    list.elements.length === 0 ||
    !list.elements.every((e: Node) => e?.type === 'ObjectExpression')
  ) {
    return (
      'the URL elicitations are not written at the throw; return inputRequired({ inputRequests: { key: ' +
      'inputRequired.elicitUrl({ message, url }) } }) by hand'
    );
  }
  const requests = list.elements.map((el: Node, i: number) => {
    const key = list.elements.length === 1 ? 'elicitation' : `elicitation${i + 1}`;
    return `${key}: inputRequired.elicitUrl(${requestParams(src, { path: call.path, kind: 'url-error', params: el, url: true })})`;
  });
  return {
    start: statement.start,
    end: statement.end,
    text: `return inputRequired({ inputRequests: { ${requests.join(', ')} } });`
  };
}

/**
 * The file's server→client requests: `x.elicitInput(…)` and its siblings on a server-side receiver, and the wire form
 * `send` / `sendRequest` / `request({ method: 'sampling/createMessage', params }, Schema)`.
 */
function pushCalls(j: JSCodeshift, root: any): PushCall[] {
  const found: PushCall[] = [];
  root.find(j.CallExpression, { callee: { type: 'MemberExpression' } }).forEach((p: ASTPath<any>) => {
    const name = p.node.callee.property?.name;
    const [first] = p.node.arguments;
    if (METHOD_KINDS[name]) {
      // `client.listRoots()` style calls on a Client are the client side: only server-side receivers count.
      const receiver = p.node.callee.object;
      const text =
        receiver.type === 'MemberExpression' ? (receiver.property?.name ?? receiver.property?.id?.name) : receiver.name;
      if (!/^(server|mcpReq|extra|ctx|context|_server|mcpServer)$/i.test(text ?? '') && !/server/i.test(text ?? ''))
        return;
      const url = METHOD_KINDS[name] === 'elicit' && isUrlMode(first);
      found.push({ path: p, kind: url ? 'elicitUrl' : METHOD_KINDS[name]!, params: first, url });
      return;
    }
    if (name !== 'send' && name !== 'sendRequest' && name !== 'request') return;
    // `send({ method, params })`, or `send(request)` with `const request = { method, params }` declared before it.
    const declaration = first?.type === 'Identifier' ? requestDeclaredBefore(j, p, first.name) : undefined;
    const declared = declaration?.node.init;
    const request = first?.type === 'ObjectExpression' ? first : declared;
    if (!request) return;
    const method = property(request, 'method')?.value;
    const kind = method && typeof method.value === 'string' ? WIRE_KINDS[method.value] : undefined;
    if (!kind) return;
    const params = property(request, 'params')?.value;
    const url = kind === 'elicit' && isUrlMode(params);
    // A declared request is asked as it stands (`inputRequired.createMessage(request.params)`), so code that
    // reads or changes it between its declaration and the call still counts.
    const paramsCode = declared && params ? `${first.name}.params` : undefined;
    if (declared && url) return;
    found.push({ path: p, kind: url ? 'elicitUrl' : kind, params, url, paramsCode, declaration });
  });
  root
    .find(j.NewExpression, { callee: { type: 'Identifier', name: 'UrlElicitationRequiredError' } })
    .forEach((p: ASTPath<any>) => {
      found.push({ path: p, kind: 'url-error', params: p.node.arguments[0], url: true });
    });
  return found;
}

/** The `const name = { method, params }` in the same function before `call` (its declarator). */
function requestDeclaredBefore(j: JSCodeshift, call: ASTPath<any>, name: string): ASTPath<any> | undefined {
  const fn = enclosingFunction(call);
  if (!fn) return undefined;
  let found: ASTPath<any> | undefined;
  j(fn)
    .find(j.VariableDeclarator, { id: { type: 'Identifier', name } })
    .forEach((d: ASTPath<any>) => {
      const declaration = d.parent.node;
      if (declaration.kind === 'const' && d.node.init?.type === 'ObjectExpression' && d.node.end < call.node.start)
        found = d;
    });
  return found;
}

function isUrlMode(params: Node): boolean {
  const mode = params?.type === 'ObjectExpression' ? property(params, 'mode')?.value : undefined;
  return !!mode && mode.value === 'url';
}

function enclosingHandler(p: ASTPath<any>, tools: ToolRegistration[]): ToolRegistration | undefined {
  const around = (t: ToolRegistration) => t.body ?? t.callback;
  return tools
    .filter(t => p.node.start >= around(t).start && p.node.end <= around(t).end)
    .sort((a, b) => around(b).start - around(a).start)[0];
}

/**
 * Why this call cannot become two phases automatically, or nothing. The handler re-runs from the top on the
 * retry, so everything before the request must be safe to run twice: only declarations and early returns that
 * call nothing and assign nothing outside themselves.
 */
function unsupported(
  call: PushCall,
  tool: ToolRegistration,
  asked: PushCall[],
  block: Node | undefined,
  reads: string[]
): { rule: string; message: string } | undefined {
  const manual = (why: string) => ({
    rule: 'manual',
    message: `${why}; return inputRequired(...) and read ctx.mcpReq.inputResponses on the retry by hand (see docs/push-to-input-required.md)`
  });
  const params = paramsProblem(call);
  if (params) return manual(params);
  const body = tool.body ?? tool.callback.body;
  if (body.type !== 'BlockStatement') return manual('the request is in an expression-bodied handler');
  const await_ = call.path.parent?.node;
  if (await_?.type !== 'AwaitExpression') return manual('the request is not awaited where it is made');
  const statement = statementPathOf(call.path).node;
  // `block`, the block the rounds are laid out in (sharedLayoutBlock): the handler's body, or a `try` block that is
  // a statement of it (a handler wrapped whole in try/catch, the most common shape). A `return inputRequired(…)`
  // leaves a try block as it leaves the body, and an answer that fails its check throws into the same catch v1's
  // elicitInput threw into. Requests anywhere else, or not all in one such block, are laid out where they stand
  // (askedInBranch).
  if (!block) return askedInBranch(call, body, asked, reads, manual);
  const tryStatement = block === body ? undefined : body.body.find((s: Node) => s.block === block);
  if (tryStatement?.finalizer)
    return manual('the request is in a try block with a finally, which would run on every round (twice or more)');
  if (!takesAwaitWhole(statement, await_)) return manual('the awaited result is used inside a larger expression');
  // Earlier requests are answered from the sealed state on every later round, so they replay by construction.
  const requests = new Set(asked.map(c => statementPathOf(c.path).node));
  // Everything that runs before the request on each round.
  const before = [
    ...(tryStatement ? body.body.slice(0, body.body.indexOf(tryStatement)) : []),
    ...block.body.slice(0, block.body.indexOf(statement))
  ];
  // The handler's own locals: a statement that only fills them (a switch choosing the message and schema) leaves
  // nothing behind when the retry runs it again.
  const locals = localsOf(before);
  const how = { reads, pure: pureFunctionsAround(call.path) };
  for (const earlier of before) {
    if (!requests.has(earlier) && !replayable(earlier, locals, how))
      return manual(
        `code before the request does work that would run again on ${asked.length > 1 ? 'every round' : 'the retry'}`
      );
  }
  return undefined;
}

/**
 * `const x = await request(…)`, `x = await request(…)` or `await request(…);`: the statement is the awaited request
 * and nothing more, its value taken whole (askInPlace takes it the same way).
 */
function takesAwaitWhole(statement: Node, awaited: Node): boolean {
  if (statement.type === 'VariableDeclaration')
    return statement.declarations.length === 1 && statement.declarations[0].init === awaited;
  if (statement.type !== 'ExpressionStatement') return false;
  const e = statement.expression;
  return (
    e === awaited ||
    (e.type === 'AssignmentExpression' && e.operator === '=' && e.left.type === 'Identifier' && e.right === awaited)
  );
}

/**
 * The one block every request of the handler is a statement of — its body, or the block of a `try` that is a
 * statement of the body — or undefined when there is none.
 */
function sharedLayoutBlock(body: Node, asked: PushCall[]): Node | undefined {
  const blockOf = (statement: Node) =>
    body.body.includes(statement)
      ? body
      : body.body.find((s: Node) => s.type === 'TryStatement' && s.block.body.includes(statement))?.block;
  const blocks = new Set(asked.map(c => blockOf(statementPathOf(c.path).node)));
  const [only] = blocks;
  return blocks.size === 1 ? only : undefined;
}

/**
 * A request of a handler whose requests do not share a layout block (sharedLayoutBlock), asked inside branches
 * (`if (!title) { const answer = await …elicitInput(…) }`, the usual "ask for what is missing"): the retry carries
 * the same arguments, so tests that call nothing take the same branches to the same question, where the answer is
 * read. With several, each earlier one is answered from the sealed state wherever it sits, so the branch that asked it
 * runs again to the same end. Done when everything on the way runs again cleanly (runsBefore: no loop, switch,
 * callback, catch or finally between the question and the body).
 */
function askedInBranch(
  call: PushCall,
  body: Node,
  asked: PushCall[],
  reads: string[],
  manual: (why: string) => { rule: string; message: string }
): { rule: string; message: string } | undefined {
  const statementPath = statementPathOf(call.path);
  const statement = statementPath.node;
  const await_ = call.path.parent.node;
  if (!takesAwaitWhole(statement, await_)) return manual('the awaited result is used inside a larger expression');
  const before = runsBefore(statementPath, body);
  if (typeof before === 'string')
    return manual(before.replace(/^it /, asked.length > 1 ? "one of this handler's requests " : 'the request '));
  const answered = new Set(asked.map(c => statementPathOf(c.path).node).filter(s => s !== statement));
  if (!replaysCleanly(before, { reads, answered, pure: pureFunctionsAround(call.path) }))
    return manual(
      asked.length > 1
        ? "code before one of this handler's requests does work that would run again on every round"
        : 'code before the request does work that would run again on the retry'
    );
  return undefined;
}

/**
 * `const ok: boolean = await confirm(…, ctx);` → `const okAnswer = await confirm(…, ctx);`, the question returned if
 * that is what came back, then `const ok: boolean = okAnswer;` (or `ok = okAnswer;` for an assignment): the typed
 * variable takes the answer once it is one.
 */
function heldAnswer(src: string, statement: Node, held: string, indent: string): TextEdit[] {
  const declared = statement.type === 'VariableDeclaration';
  const awaited = declared ? statement.declarations[0].init : statement.expression.right;
  const target = declared ? statement.declarations[0].id : statement.expression.left;
  return [
    { start: statement.start, end: awaited.start, text: `const ${held} = ` },
    {
      start: statement.end,
      end: statement.end,
      text:
        `\n${indent}if (isInputRequiredResult(${held})) return ${held};` +
        `\n${indent}${declared ? `${statement.kind} ` : ''}${src.slice(target.start, target.end)} = ${held};`
    }
  ];
}

/**
 * Does `target`, the variable an awaited request's value goes into, have a declared type: a declaration's own
 * annotation (`const reply: ElicitResult = …`), or that of the declaration an assigned name resolves to?
 */
function hasDeclaredType(p: ASTPath<any>, target: Node): boolean {
  if (target.typeAnnotation) return true;
  if (target.type !== 'Identifier') return false;
  const binding = p.scope?.lookup(target.name)?.getBindings()[target.name]?.[0];
  return !!binding?.node.typeAnnotation;
}

/** The statement of `body` that holds the request at `p` (the request's own statement when it is one). */
function bodyStatementHolding(p: ASTPath<any>, body: Node): Node {
  let cur = p;
  while (cur.parent && cur.parent.node !== body) cur = cur.parent;
  return cur.node;
}

export default defineTransform({ meta, rewrite: pushToInputRequired });
