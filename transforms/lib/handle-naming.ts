/**
 * Handle names derive from the code that held the state: a store `carts` (or `cartsBySession`, `sessionCarts`)
 * holds carts, so its handle is `cart_id` minted by `create_cart`; an accessor `getOrCreateSession()` holds
 * sessions. `handles` in mcp-migrate.config.json overrides per store or accessor name: `{ "carts": "basket" }`.
 */
const NOISE = /^(get|getOrCreate|getOr|ensure|load|find|lookup|fetch|read|obtain|create|new|delete|remove|destroy|drop|clear|close|end)(?=[A-Z_])|(Map|Store|Registry|Cache|Table|Index|Data|State|States|ById|BySession|BySessionId|PerSession|ForSession|OrCreate)$/g;

export function handleNoun(name: string, config: Record<string, unknown> = {}): string {
  const overrides = config.handles;
  if (overrides && typeof overrides === 'object' && typeof (overrides as Record<string, unknown>)[name] === 'string') {
    return snake((overrides as Record<string, string>)[name]!);
  }
  let base = name;
  for (let previous = ''; previous !== base; ) {
    previous = base;
    base = base.replace(NOISE, '');
  }
  // `sessionCarts` holds carts; a bare `sessions` holds sessions.
  if (/^session[A-Z]/.test(base)) base = base.slice('session'.length);
  return singular(snake(base || 'session'));
}

function snake(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9_]/g, '_')
    .toLowerCase()
    .replace(/^_+|_+$/g, '');
}

function singular(word: string): string {
  const parts = word.split('_');
  let last = parts.pop()!;
  if (/ies$/.test(last)) last = `${last.slice(0, -3)}y`;
  else if (/(ss|us|is)$/.test(last)) last = last;
  else if (/(ch|sh|x)es$/.test(last)) last = last.slice(0, -2);
  else if (/s$/.test(last)) last = last.slice(0, -1);
  return [...parts, last].join('_');
}
