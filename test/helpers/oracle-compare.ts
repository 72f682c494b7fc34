/**
 * What the differential oracle compares between the official codemod's output and ours for one v1 file: the v2
 * names each output imports and from where, the method strings handlers are registered with, whether legacy
 * `.tool()`-style registrations remain, and the official codemod's own markers (the places it gave up).
 */
export interface SurfaceFacts {
  /** `name <- entry` for every name imported or required from a `@modelcontextprotocol/*` v2 package. */
  imports: Set<string>;
  /** Method strings in setRequestHandler / setNotificationHandler calls. */
  methods: string[];
  /** `.tool(` / `.prompt(` / `.resource(` calls left. */
  legacyCalls: number;
  /** `@mcp-codemod-error` markers (official) / TODO markers (ours). */
  gaveUp: number;
  /** Module specifiers of the v1 SDK still imported or required. */
  v1Left: number;
}

export function surfaceFacts(text: string): SurfaceFacts {
  const imports = new Set<string>();
  const decl = /(?:import|export)\s+(?:type\s+)?\{([^}]*)\}\s*from\s*['"](@modelcontextprotocol\/(?!sdk)[^'"]+)['"]/g;
  for (const m of text.matchAll(decl)) {
    for (const part of m[1]!.split(',')) {
      const name = part
        .replace(/^\s*type\s+/, '')
        .split(/\s+as\s+/)[0]!
        .trim();
      if (name) imports.add(`${name} <- ${m[2]}`);
    }
  }
  const req = /\{([^}]*)\}\s*=\s*(?:await\s+import|require)\(\s*['"](@modelcontextprotocol\/(?!sdk)[^'"]+)['"]\s*\)/g;
  for (const m of text.matchAll(req)) {
    for (const part of m[1]!.split(',')) {
      const name = part.split(':')[0]!.trim();
      if (name) imports.add(`${name} <- ${m[2]}`);
    }
  }
  const methods = [...text.matchAll(/\.set(?:Request|Notification)Handler\(\s*['"]([^'"]+)['"]/g)].map(m => m[1]!);
  const legacyCalls = (text.match(/\.(?:tool|prompt|resource)\s*\(/g) ?? []).length;
  const gaveUp = (text.match(/@mcp-codemod-error|TODO\(mcp-migrate\/surface\//g) ?? []).length;
  const v1Left = (text.match(/['"]@modelcontextprotocol\/sdk(?:\/[^'"]*)?['"]/g) ?? []).length;
  return { imports, methods, legacyCalls, gaveUp, v1Left };
}

export function difference(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter(x => !b.has(x)).sort();
}
