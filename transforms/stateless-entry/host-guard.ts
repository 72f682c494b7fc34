/**
 * DNS-rebinding protection a removed v1 transport was asked for stays on: its options (`enableDnsRebindingProtection`,
 * `allowedHosts`, `allowedOrigins`, or a spread/variable that may carry them) go, as written, to a guard from the
 * generated mcp-host-guard module that runs before the handler call. createMcpHandler checks neither header.
 */
import { isCommonJs } from '../kit/commonjs.js';
import type { ASTPath } from 'jscodeshift';
import { isTypeScript } from '../kit/source-style.js';
import { useSupportModule } from '../kit/support-module.js';
import type { EntryContext } from './entry-context.js';
import { HOST_GUARD_MODULE_NAME, HOST_GUARD_MODULE_SOURCE, hostGuardModuleJs } from './mcp-host-guard.source.js';

type Node = any;

const PROTECTION_KEYS = new Set(['enableDnsRebindingProtection', 'allowedHosts', 'allowedOrigins']);
/** Transport class → the index of its options argument. */
const OPTIONS_ARGUMENT: Record<string, number> = {
  NodeStreamableHTTPServerTransport: 0,
  StreamableHTTPServerTransport: 0,
  WebStandardStreamableHTTPServerTransport: 0,
  SSEServerTransport: 2
};
const WEB_REFUSAL = 'hostRefusal';

/** The protection options of the transports created under `scope`, as one object literal; undefined when none. */
export function protectionOptions(ctx: EntryContext, scope: Node): Node | undefined {
  const { j } = ctx;
  const props: Node[] = [];
  const seen = new Set<string>();
  const add = (prop: Node) => {
    const text = j(prop).toSource();
    if (seen.has(text)) return;
    seen.add(text);
    props.push(prop);
  };
  j(scope)
    .find(j.NewExpression)
    .forEach((p: ASTPath<any>) => {
      const index = OPTIONS_ARGUMENT[p.node.callee?.name];
      const options = index === undefined ? undefined : p.node.arguments[index];
      if (!options) return;
      if (options.type === 'Identifier' || options.type === 'MemberExpression') {
        // Options built elsewhere may carry the protection; the guard reads only its three keys.
        add(j.spreadElement(options));
        return;
      }
      if (options.type !== 'ObjectExpression') return;
      // `enableDnsRebindingProtection: false`: the transport checks nothing, whatever lists sit beside it.
      if (switchedOff(options)) return;
      for (const prop of options.properties) {
        if (prop.type === 'SpreadElement' || prop.type === 'SpreadProperty') add(prop);
        else if (PROTECTION_KEYS.has(prop.key?.name ?? prop.key?.value)) add(prop);
      }
    });
  return props.length ? j.objectExpression(props) : undefined;
}

/** Options that say outright the protection is off (and spread nothing that could say otherwise). */
function switchedOff(options: Node): boolean {
  return (
    !options.properties.some((p: Node) => p.type === 'SpreadElement' || p.type === 'SpreadProperty') &&
    options.properties.some(
      (p: Node) =>
        (p.key?.name ?? p.key?.value) === 'enableDnsRebindingProtection' &&
        /^(?:Boolean)?Literal$/.test(p.value?.type) &&
        p.value.value === false
    )
  );
}

/**
 * The statements that refuse a request the options forbid, to stand before the handler call: Node/Express
 * `if (refusedByHostGuard(req, res, options)) return;`, fetch runtimes `const hostRefusal = …; if (hostRefusal)
 * return hostRefusal;`.
 */
export function hostGuardStatements(
  ctx: EntryContext,
  options: Node,
  request: Node,
  response: Node | undefined
): Node[] {
  const { j } = ctx;
  const name = response ? 'refusedByHostGuard' : 'hostGuardResponse';
  const rel = isTypeScript(ctx.file)
    ? useSupportModule(ctx.file, ctx.options, HOST_GUARD_MODULE_NAME, HOST_GUARD_MODULE_SOURCE)
    : useSupportModule(ctx.file, ctx.options, HOST_GUARD_MODULE_NAME, hostGuardModuleJs(isCommonJs(ctx.root)), 'js');
  ctx.need(rel, name);
  // The request and response also stand in the handler call: the guard gets copies, not the same nodes.
  const copy = (n: Node) => {
    const e = j(`(${j(n).toSource()});`)
      .find(j.ExpressionStatement)
      .get().node.expression;
    if (e.extra) e.extra.parenthesized = false;
    return e;
  };
  request = copy(request);
  response = response && copy(response);
  if (response)
    return [
      j.ifStatement(
        j.callExpression(j.identifier(name), [request, response, options]),
        j.blockStatement([j.returnStatement(null)])
      )
    ];
  return [
    j.variableDeclaration('const', [
      j.variableDeclarator(j.identifier(WEB_REFUSAL), j.callExpression(j.identifier(name), [request, options]))
    ]),
    j.ifStatement(j.identifier(WEB_REFUSAL), j.blockStatement([j.returnStatement(j.identifier(WEB_REFUSAL))]))
  ];
}

/** Puts the guard right before `placed` (a statement somewhere in `fn`); false when a name it needs is taken. */
export function guardBefore(ctx: EntryContext, fn: ASTPath<any>, placed: Node, guard: Node[]): boolean {
  const { j } = ctx;
  const declared = guard.some((s: Node) => s.type === 'VariableDeclaration');
  if (declared && j(fn).find(j.Identifier, { name: WEB_REFUSAL }).size()) return false;
  const at = j(fn)
    .find(j.Statement)
    .filter((p: ASTPath<any>) => p.node === placed);
  if (at.size() !== 1) return false;
  for (const s of guard) at.insertBefore(s);
  return true;
}
