/**
 * Handle names derive from the code that held the state: a store `carts` (or `cartsBySession`, `sessionCarts`)
 * holds carts, so its handle is `cart_id` minted by `create_cart`; an accessor `getOrCreateSession()` holds
 * sessions. `sessionHandles.names` in mcp-migrate.config.json overrides per store, accessor or factory name:
 * `{ "sessionHandles": { "names": { "carts": "basket" } } }`.
 */
// Longest prefixes first: alternation takes the first that matches.
const NOISE = /^(getOrCreate|getOr|get|ensure|load|find|lookup|fetch|read|obtain|create|new|delete|remove|destroy|drop|clear|close|end)(?=[A-Z_])|(Map|Store|Registry|Cache|Table|Index|Data|State|States|ById|BySession|BySessionId|PerSession|ForSession|OrCreate)$/g;

/** The configured noun for a store, accessor or factory name, if any. */
export function configuredNoun(name: string, config: Record<string, unknown>): string | undefined {
  const names = sessionHandlesConfig(config).names;
  const noun = names && typeof names === 'object' ? (names as Record<string, unknown>)[name] : undefined;
  return typeof noun === 'string' && noun ? snake(noun) : undefined;
}

export function sessionHandlesConfig(config: Record<string, unknown>): Record<string, unknown> {
  const section = config.sessionHandles;
  return section && typeof section === 'object' ? (section as Record<string, unknown>) : {};
}

/** Accessors that end a state's life (`deleteSession`) rather than reach it. */
export const DROP_VERB = /^(delete|remove|destroy|drop|clear|close|end|cleanup)(?=[A-Z_])/;

export function handleNoun(name: string, config: Record<string, unknown> = {}): string {
  const configured = configuredNoun(name, config);
  if (configured) return configured;
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
