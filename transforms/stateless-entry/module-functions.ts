/**
 * What a function of the module does to the session code that calls it. One that only computes a value from its
 * parameters (no `new`, no awaits, no writes, no calls but of built-ins and of methods that return new values:
 * `extractHeaderValue = (v) => typeof v === 'string' ? v : v?.[0]`) does nothing a stateless handler would lose when a
 * session route reads its id through it. One that hooks a function onto what it is handed (`installArgAliasing(
 * transport)` setting `transport.onmessage`) changes how the transport serves: handed the session's transport it is
 * the server's own work, not the session's books.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';

type Node = any;

const EFFECTS = new Set([
  'NewExpression',
  'AwaitExpression',
  'YieldExpression',
  'AssignmentExpression',
  'UpdateExpression',
  'TaggedTemplateExpression'
]);
// Calls that only compute: built-ins that read their arguments, and methods of strings and arrays that return new
// values (`header.startsWith('Bearer ')`, `value.trim()`).
const PURE_GLOBALS = new RegExp(
  '^(?:Array\\.isArray|String|Number|Boolean|parseInt|parseFloat|encodeURIComponent|decodeURIComponent|' +
    'Math\\.\\w+|JSON\\.(?:parse|stringify)|Object\\.(?:keys|values|entries))$'
);
const PURE_METHODS = new Set([
  'startsWith',
  'endsWith',
  'slice',
  'substring',
  'trim',
  'trimStart',
  'trimEnd',
  'toLowerCase',
  'toUpperCase',
  'split',
  'includes',
  'indexOf',
  'at',
  'join',
  'replace',
  'match',
  'test',
  'toString',
  'map',
  'filter',
  'find',
  'some',
  'every',
  'concat'
]);

export function isPureHelper(j: JSCodeshift, root: any, name: string, depth = 0): boolean {
  const fn = moduleFunction(j, root, name);
  if (!fn || fn.async || fn.generator || depth > 2) return false;
  let effect = false;
  const judge = (n: Node) => {
    if (EFFECTS.has(n.type) || (n.type === 'UnaryExpression' && n.operator === 'delete')) effect = true;
    else if (/CallExpression$/.test(n.type) && !pureCall(j, root, n.callee, depth)) effect = true;
  };
  // An arrow's expression body (`(ip) => hits.push(ip)`) is a node of its own: find() only looks below it.
  judge(fn.body);
  j(fn.body)
    .find(j.Node)
    .forEach((p: ASTPath<any>) => judge(p.node));
  return !effect;
}

function pureCall(j: JSCodeshift, root: any, callee: Node, depth: number): boolean {
  if (callee.type === 'Identifier')
    return PURE_GLOBALS.test(callee.name) || isPureHelper(j, root, callee.name, depth + 1);
  if (!/MemberExpression$/.test(callee.type) || callee.computed) return false;
  const object = callee.object.type === 'Identifier' ? `${callee.object.name}.${callee.property.name}` : '';
  return PURE_GLOBALS.test(object) || PURE_METHODS.has(callee.property.name);
}

/**
 * `function install(transport) { transport.onmessage = (m) => … }`: it hooks a function onto one of its parameters.
 * (Values written onto a session record, `session.lastActive = Date.now()`, are the session's books.)
 */
export function hooksOntoItsArguments(j: JSCodeshift, root: any, name: string): boolean {
  const fn = moduleFunction(j, root, name);
  if (!fn) return false;
  const params = new Set(fn.params.filter((p: Node) => p.type === 'Identifier').map((p: Node) => p.name));
  return j(fn.body)
    .find(j.AssignmentExpression)
    .some((p: ASTPath<any>) => {
      let target = p.node.left;
      while (/MemberExpression$/.test(target.type)) target = target.object;
      return (
        target !== p.node.left &&
        target.type === 'Identifier' &&
        params.has(target.name) &&
        /^(?:ArrowFunctionExpression|FunctionExpression)$/.test(p.node.right.type)
      );
    });
}

/** The one function the module declares under this name (a declaration, or a variable holding a function). */
function moduleFunction(j: JSCodeshift, root: any, name: string): Node | undefined {
  const functions: Node[] = [
    ...root.find(j.FunctionDeclaration, { id: { name } }).nodes(),
    ...root
      .find(j.VariableDeclarator, { id: { type: 'Identifier', name } })
      .nodes()
      .map((d: Node) => d.init)
  ];
  if (functions.length !== 1) return undefined;
  const [fn] = functions;
  return /^(?:FunctionDeclaration|FunctionExpression|ArrowFunctionExpression)$/.test(fn?.type) ? fn : undefined;
}

/**
 * `const touch = (sid) => { lastActivity.set(sid, Date.now()) }`: a helper whose every statement files a value in a
 * table under its first parameter (`set`, `add`, `delete`, `table[key] = …`) keeps books on what it is handed. The
 * tables it writes, or undefined for any other function.
 */
export function tablesFiledBy(j: JSCodeshift, root: any, name: string): string[] | undefined {
  const fn = moduleFunction(j, root, name);
  const key = fn?.params[0];
  if (!fn || fn.async || fn.generator || key?.type !== 'Identifier') return undefined;
  const statements: Node[] = fn.body.type === 'BlockStatement' ? fn.body.body : [j.expressionStatement(fn.body)];
  const keyed = (n: Node) => n?.type === 'Identifier' && n.name === key.name;
  // The value filed: anything computed without calls but the clock's.
  const plain = (n: Node) =>
    !j(n)
      .find(j.Node)
      .some(
        (p: ASTPath<any>) => /CallExpression$|NewExpression|AwaitExpression/.test(p.node.type) && !isClockRead(p.node)
      ) &&
    (!/CallExpression$/.test(n?.type) || isClockRead(n));
  const tables = new Set<string>();
  for (const s of statements) {
    if (s.type !== 'ExpressionStatement') return undefined;
    const e = s.expression;
    const callee = e.type === 'CallExpression' ? e.callee : undefined;
    if (
      callee?.type === 'MemberExpression' &&
      !callee.computed &&
      callee.object.type === 'Identifier' &&
      /^(?:set|add|delete)$/.test(callee.property?.name ?? '') &&
      keyed(e.arguments[0]) &&
      e.arguments.slice(1).every(plain)
    )
      tables.add(callee.object.name);
    else if (
      e.type === 'AssignmentExpression' &&
      e.left.type === 'MemberExpression' &&
      e.left.computed &&
      e.left.object.type === 'Identifier' &&
      keyed(e.left.property) &&
      plain(e.right)
    )
      tables.add(e.left.object.name);
    else return undefined;
  }
  return tables.size ? [...tables] : undefined;
}

/** `Date.now()`, `performance.now()`: reading the clock does nothing. */
export function isClockRead(n: Node): boolean {
  return (
    n?.type === 'CallExpression' &&
    n.arguments.length === 0 &&
    n.callee.type === 'MemberExpression' &&
    /^(?:Date|performance)$/.test(n.callee.object?.name) &&
    n.callee.property?.name === 'now'
  );
}
