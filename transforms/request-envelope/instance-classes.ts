/**
 * Which class a value is an instance of, read from the text alone: what `check` (a line matcher, no AST) and the
 * rewrites both ask before treating `x.connect(…)` or `x.oninitialized = …` as the SDK's. The answer is the classes
 * the file declares the name with: typed as one (`let bridge: AppBridge | null`), made with `new`, or returned by a
 * function the file declares (`const s = this.#createSession(auth)` with `#createSession(…): FastMCPSession`).
 */

/** The classes the code declares the value ending just before `index` with (`bridge` in `bridge.oninitialized`). */
export function instanceClassesAt(code: string, index: number): string[] {
  const receiver = /(#?[A-Za-z_$][\w$]*)\s*\??\s*$/.exec(code.slice(Math.max(0, index - 120), index))?.[1];
  if (!receiver) return [];
  const name = receiver.replace(/\$/g, '\\$');
  // `name: Type`, `name?: Type`, `name = new Type(`, `name: Type = new Type(`; object keys with a value (`server:
  // config`) name no class and say nothing either way.
  const evidence = new RegExp(
    String.raw`(?<![\w$])${name}\s*\??\s*(?::\s*(?:new\s+)?([A-Z][\w$]*)|=\s*(?:await\s+)?new\s+([A-Za-z_$][\w$]*))`,
    'g'
  );
  const found = [...code.matchAll(evidence)].map(m => m[1] ?? m[2]!);
  const called = new RegExp(
    String.raw`(?<![\w$])${name}\s*=\s*(?:await\s+)?(?:this\.)?(#?[A-Za-z_$][\w$]*)\s*[(<]`,
    'g'
  );
  for (const m of code.matchAll(called)) {
    const returned = returnedClass(code, m[1]!);
    if (returned) found.push(returned);
  }
  // A type parameter (`session: T` in `class FastMCP<T>`) names no class either way.
  return found.filter(cls => !typeParameter(code, cls));
}

/** Is the value before `index` declared only as instances of `classes` (and declared at all)? */
export function onlyInstanceOf(code: string, index: number, classes: ReadonlySet<string>): boolean {
  if (classes.size === 0) return false;
  const found = instanceClassesAt(code, index);
  return found.length > 0 && found.every(cls => classes.has(cls));
}

/** The packages whose classes are the SDK's (or a v2 framework adapter's): their instances are MCP servers. */
const SDK_PACKAGE =
  /^@modelcontextprotocol\/(?:sdk|server|core|node|client|express|hono|fastify|server-legacy)(?:\/|$)/;

/**
 * The classes the file imports from another package than the SDK (`AppBridge` from `@modelcontextprotocol/ext-apps`,
 * an event emitter): an instance of one is not an MCP server, whatever its members are called. A relative import is
 * the project's own code, which may extend the SDK's classes, so it is not counted.
 */
export function foreignClasses(code: string): Set<string> {
  const names = new Set<string>();
  const imports = /\bimport\s+(?:type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/g;
  for (const [, clause, source] of code.matchAll(imports)) {
    if (source!.startsWith('.') || source!.startsWith('/') || SDK_PACKAGE.test(source!)) continue;
    for (const name of clause!.replace(/[{}]/g, ',').split(',')) {
      const local = /(?:^|\bas\s+)([A-Z][\w$]*)\s*$/.exec(name.trim())?.[1];
      if (local) names.add(local);
    }
  }
  return names;
}

/**
 * Does the code declare `name` as a type parameter: of a class, interface, type or function (`class FastMCP<T>`), or
 * anywhere with a constraint (`<T extends …>`)? A type argument (`Promise<AppServer>`) is neither.
 */
function typeParameter(code: string, name: string): boolean {
  const n = name.replace(/\$/g, '\\$');
  return new RegExp(
    String.raw`\b(?:class|interface|type|function)\s+[\w$]+\s*<[^>]*?(?<![\w$])${n}\s*(?:extends\b|=|[,>])|` +
      String.raw`[<,]\s*${n}\s+extends\b`
  ).test(code);
}

/** The class a function or method the code declares says it returns (`name(…): C`, `: Promise<C>`), if it says. */
function returnedClass(code: string, fn: string): string | undefined {
  const name = fn.replace(/\$/g, '\\$');
  return new RegExp(
    String.raw`(?<![\w$.])${name}\s*(?:<[^>()]*>)?\s*\([^()]*\)\s*:\s*(?:Promise\s*<\s*)?([A-Z][\w$]*)`
  ).exec(code)?.[1];
}
