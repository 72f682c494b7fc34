/**
 * Tests of registration helpers stub the whole McpServer (`sinon.createStubInstance(McpServer)`, `vi.mock` of the
 * SDK module) and assert on the removed method: `server.tool.calledOnce`, `server.resource.getCall(0).args[0]`,
 * `server.tool.callsFake((...args) => args[args.length - 1])`. Once the code under test calls `registerTool`, the
 * same assertion reads the stub of `registerTool`. That is only the same test when what it reads of a call is where
 * both methods put it — the name first, the callback last — or where the registrations under test say it went
 * (movedArgumentReads), and when the stub comes from the class, not from an object or assignment that names the old
 * method (those keep the TODO).
 */
import type { ASTPath } from 'jscodeshift';
import { isFunction, referencesOf } from '../kit/ast.js';
import { readProjectModule } from '../kit/project-modules.js';
import type { TextEdit } from '../kit/text-edits.js';
import { subjectPlaces } from './subject-registrations.js';
import type { SurfaceContext } from './surface-context.js';

type Node = any;

const AUTO_MOCK =
  /\bcreateStubInstance\s*\(\s*(?:[\w$]+\.)?McpServer\b|\b(?:jest|vi)\.mock\s*\(\s*['"]@modelcontextprotocol\/(?:sdk\/server\/mcp|server)\b/;
/** Assertions over a whole argument list: `description`, `paramsSchema` sat where v2 has `config`. */
const WHOLE_CALL_ASSERTIONS =
  'calledWith|calledOnceWith|calledWithExactly|calledOnceWithExactly|calledWithMatch|alwaysCalledWith|' +
  'toHaveBeenCalledWith|toHaveBeenLastCalledWith|toHaveBeenNthCalledWith|toBeCalledWith|lastCalledWith|callsArg\\w*';
const WHOLE_ARGUMENT_LIST = new RegExp(`\\b(?:${WHOLE_CALL_ASSERTIONS})\\b`);
const WHOLE_CALL_ASSERTION = new RegExp(`^(?:${WHOLE_CALL_ASSERTIONS})$`);

/**
 * The double is the class's own stub of the method, made in the test or in a helper module it imports
 * (`setupMcpToolMocks()` returning `sinon.createStubInstance(McpServer)`), not one made under the old name.
 */
function classDouble(ctx: SurfaceContext, kind: string): boolean {
  // The stub named some other way: `server.tool = sinon.stub()`, `{ tool: vi.fn() }`, `spyOn(server, 'tool')`.
  const namedOtherwise = (text: string) =>
    new RegExp(`\\.${kind}\\s*=(?!=)|[{,]\\s*${kind}\\s*:|['"\`]${kind}['"\`]`).test(text);
  if (namedOtherwise(ctx.src)) return false;
  if (AUTO_MOCK.test(ctx.src)) return true;
  return relativeImports(ctx).some(specifier => {
    const helper = readProjectModule(ctx.file, specifier);
    return !!helper && AUTO_MOCK.test(helper.text) && !namedOtherwise(helper.text);
  });
}

export function doubleReadsKeptArguments(ctx: SurfaceContext, kind: string): boolean {
  const { src } = ctx;
  if (!classDouble(ctx, kind)) return false;
  if (WHOLE_ARGUMENT_LIST.test(src)) return false;
  for (const m of src.matchAll(/\b(?:args|calls\s*\[[^\]]*\]\s*!?)\s*(?:\?\.)?\[\s*([^\]]*)\]/g)) {
    const index = m[1]!.trim();
    if (index !== '0' && !/^[\w$.]+\.length\s*-\s*1$/.test(index)) return false;
  }
  // `const [name, description] = call.args`: positions past the name.
  if (/\[[^\]=]*,[^\]=]*\]\s*=\s*[^;\n]*\bargs\b/.test(src)) return false;
  return true;
}

/** One argument read off a recorded call: the index node (`2` in `args[2]`) and the member expression it indexes. */
interface ArgumentRead {
  position: number | 'last';
  index: Node;
  member: Node;
}

/**
 * A double whose tests read arguments past the name (`tool.firstCall.args[2]`, `server.tool.mock.calls[0][1]`):
 * each read moves to where v2 keeps that argument (`args[1].inputSchema.shape`), read off the registrations in the
 * modules the test imports (subject-registrations.ts). `uses` are where the double is read: the method itself, or
 * the local it was kept in. Undefined (the TODO stays) when a read cannot be placed: an index that is not a number,
 * a call whose arguments are asserted whole, a fake that names the callback's parameters.
 */
export function movedArgumentReads(ctx: SurfaceContext, uses: ASTPath<any>[], kind: string): TextEdit[] | undefined {
  if (!classDouble(ctx, kind)) return undefined;
  const reads: ArgumentRead[] = [];
  for (const use of uses) {
    const found = argumentReads(ctx, use);
    if (!found) return undefined;
    reads.push(...found);
  }
  const moving = reads.filter(r => r.position !== 'last' && r.position > 0);
  if (!moving.length) return [];
  const places = subjectPlaces(ctx.j, ctx.file, relativeImports(ctx), kind);
  if (!places) return undefined;
  const edits: TextEdit[] = [];
  for (const read of moving) {
    const place = places.get(read.position as number);
    if (!place) return undefined;
    edits.push({ start: read.index.start, end: read.index.end, text: String(place.index) });
    if (place.path) edits.push({ start: read.member.end, end: read.member.end, text: place.path });
  }
  return edits;
}

/** The single-call argument lists a double's API hands out: sinon's `firstCall.args`, `getCall(n).args`. */
const ONE_CALL = /^(?:firstCall|secondCall|thirdCall|lastCall|getCall)$/;

/** The argument reads along the chain that starts at `use`, or undefined when the chain reads them some other way. */
function argumentReads(
  ctx: SurfaceContext,
  use: ASTPath<any>,
  // How many `[n]`s are left before the argument's: sinon's `stub.args[call][arg]` and jest's `mock.calls[call][arg]`
  // take two, `firstCall.args[arg]` and `mock.lastCall[arg]` one.
  pending = 0,
  oneCall = false
): ArgumentRead[] | undefined {
  const { src } = ctx;
  let path = use;
  const reads: ArgumentRead[] = [];
  for (;;) {
    const parent = path.parent;
    const node = parent?.node;
    if (!node) return reads;
    if (/^TS(?:NonNull|As|Satisfies)Expression$/.test(node.type)) {
      path = parent;
      continue;
    }
    if (/MemberExpression$/.test(node.type) && node.object === path.node) {
      const name = node.computed ? undefined : node.property?.name;
      const onMock = !path.node.computed && path.node.property?.name === 'mock';
      if (name === 'calls' && onMock) pending = 2;
      else if (name === 'lastCall' && onMock) pending = 1;
      else if (name === 'args') pending = oneCall ? 1 : 2;
      else if (name && ONE_CALL.test(name)) oneCall = true;
      else if (node.computed) {
        if (!pending) return undefined;
        if (--pending === 0) {
          const position = indexOf(node.property);
          if (position === undefined) return undefined;
          reads.push({ position, index: node.property, member: node });
          return reads;
        }
      }
      path = parent;
      continue;
    }
    if (node.type === 'CallExpression' && node.callee === path.node) {
      if (pending || WHOLE_CALL_ASSERTION.test(path.node.property?.name ?? '')) return undefined;
      if (!node.arguments.every((a: Node) => fakeReadsKeptArguments(src, a))) return undefined;
      path = parent;
      continue;
    }
    // `vi.mocked(server.tool)`: the same double, typed.
    if (node.type === 'CallExpression' && node.arguments[0] === path.node && /mocked$/.test(calleeName(node.callee))) {
      path = parent;
      continue;
    }
    // `const call = tool.getCall(0)`: read on where the local is.
    if (node.type === 'VariableDeclarator' && node.init === path.node && node.id.type === 'Identifier') {
      const scope = parent.scope?.lookup(node.id.name);
      const uses = scope ? referencesOf(ctx.j, ctx.root, node.id.name, scope).filter(u => u.node !== node.id) : [];
      if (!uses.length) return undefined;
      for (const u of uses) {
        const found = argumentReads(ctx, u, pending, oneCall);
        if (!found) return undefined;
        reads.push(...found);
      }
      return reads;
    }
    // `expect(server.tool).toHaveBeenCalledWith('x', expect.any(String), …)`, `sinon.assert.calledWith(tool, …)`: the
    // whole list, in v1's order.
    if (node.type === 'CallExpression' && node.arguments.includes(path.node) && assertsWholeCall(parent))
      return undefined;
    // Anything else takes the double or a call of it whole; an argument list handed on whole
    // (`const [name, description] = call.args`) is read where this cannot follow.
    return pending ? undefined : reads;
  }
}

/** `sinon.assert.calledWith(…)`, or `expect(…)` read on to a whole-call matcher (`.to.have.been.calledWith(…)`). */
function assertsWholeCall(call: ASTPath<any>): boolean {
  if (WHOLE_CALL_ASSERTION.test(calleeName(call.node.callee))) return true;
  let path = call;
  for (let step = 0; step < 6 && /MemberExpression$/.test(path.parent?.node.type); step++) {
    path = path.parent;
    if (WHOLE_CALL_ASSERTION.test(path.node.property?.name ?? '')) return true;
  }
  return false;
}

/** `2`, or `args.length - 1` (the callback, last in both versions). */
function indexOf(n: Node): number | 'last' | undefined {
  if (n?.type === 'NumericLiteral' || (n?.type === 'Literal' && typeof n.value === 'number')) return n.value;
  if (
    n?.type === 'BinaryExpression' &&
    n.operator === '-' &&
    n.left?.property?.name === 'length' &&
    n.right?.value === 1
  )
    return 'last';
  return undefined;
}

/** A fake handed to the double (`callsFake((...args) => args[args.length - 1])`) reads only the name and callback. */
function fakeReadsKeptArguments(src: string, arg: Node): boolean {
  if (!isFunction(arg) || arg.params.length === 0) return true;
  const [rest] = arg.params;
  if (arg.params.length !== 1 || rest.type !== 'RestElement' || rest.argument?.type !== 'Identifier') return false;
  const name = rest.argument.name;
  const body = src.slice(arg.body.start, arg.body.end);
  return [...body.matchAll(new RegExp(`(?<![\\w$.])${name}\\s*\\[([^\\]]*)\\]`, 'g'))].every(m =>
    new RegExp(`^\\s*(?:0|${name}\\.length\\s*-\\s*1)\\s*$`).test(m[1]!)
  );
}

function calleeName(callee: Node): string {
  return callee?.type === 'MemberExpression' ? (callee.property?.name ?? '') : (callee?.name ?? '');
}

/** The relative modules a test imports or requires: where its subjects are. */
function relativeImports(ctx: SurfaceContext): string[] {
  const { j, root } = ctx;
  const specifiers = root
    .find(j.ImportDeclaration)
    .nodes()
    .map((d: Node) => d.source.value);
  root.find(j.CallExpression, { callee: { type: 'Identifier', name: 'require' } }).forEach(p => {
    const arg: Node = p.node.arguments[0];
    if (arg && typeof arg.value === 'string') specifiers.push(arg.value);
  });
  return specifiers.filter((s: unknown): s is string => typeof s === 'string' && s.startsWith('.'));
}
