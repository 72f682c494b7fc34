/**
 * Handle names derive from the code that held the state: a store `carts` (or `cartsBySession`, `sessionCarts`)
 * holds carts, so its handle is `cart_id` minted by `create_cart`; an accessor `getOrCreateSession()` holds
 * sessions. `sessionHandles.names` in mcp-migrate.config.json overrides per store, accessor or factory name:
 * `{ "sessionHandles": { "names": { "carts": "basket" } } }`.
 */
// Longest prefixes first: alternation takes the first that matches.
const VERBS =
  'getOrCreate|getOr|get|ensure|load|find|lookup|fetch|read|obtain|create|new|generate|make|build|initialize|init|' +
  'start|open|begin|delete|remove|destroy|drop|clear|close|end';
const SUFFIXES =
  'Map|Store|Registry|Cache|Table|Index|Data|State|States|ById|BySession|BySessionId|PerSession|ForSession|OrCreate|For|Of';
const NOISE = new RegExp(`^(${VERBS})(?=[A-Z_])|(${SUFFIXES})$`, 'g');

/** `sessionHandles` in mcp-migrate.config.json: handle lifetime and nouns chosen by hand. */
export interface SessionHandlesConfig {
  /** Idle lifetime of a handle; the rewrite's default when absent or not a positive number. */
  ttlMs?: number;
  /** Store, accessor or factory name → the noun its handle is named after. */
  names: Record<string, string>;
}

export function readSessionHandlesConfig(section: Record<string, unknown>): SessionHandlesConfig {
  const names: Record<string, string> = {};
  if (section.names && typeof section.names === 'object') {
    for (const [key, value] of Object.entries(section.names))
      if (typeof value === 'string' && value) names[key] = value;
  }
  const ttlMs = typeof section.ttlMs === 'number' && section.ttlMs > 0 ? section.ttlMs : undefined;
  return { ttlMs, names };
}

/** The configured noun for a store, accessor or factory name, if any. */
export function configuredNoun(name: string, names: Record<string, string>): string | undefined {
  return Object.hasOwn(names, name) ? snake(names[name]!) : undefined;
}

/** Accessors that end a state's life (`deleteSession`) rather than reach it. */
export const DROP_WORDS = ['delete', 'remove', 'destroy', 'drop', 'clear', 'close', 'end', 'cleanup'];
export const DROP_VERB = new RegExp(`^(${DROP_WORDS.join('|')})(?=[A-Z_])`);

export function handleNoun(name: string, names: Record<string, string> = {}): string {
  const configured = configuredNoun(name, names);
  if (configured) return configured;
  let base = name;
  for (let previous = ''; previous !== base;) {
    previous = base;
    base = base.replace(NOISE, '');
  }
  // `sessionCarts` holds carts; a bare `sessions` holds sessions.
  if (/^session[A-Z]/.test(base)) base = base.slice('session'.length);
  return singular(snake(base || 'session'));
}

/** `generateTrackedElicitation` / `rate-limiter` → `generate_tracked_elicitation` / `rate_limiter`. */
export function snake(name: string): string {
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
  else if (/(ss|us|is)$/.test(last)) {
    // a singular already: `address`, `status`, `analysis`
  } else if (/(ch|sh|x)es$/.test(last)) last = last.slice(0, -2);
  else if (/s$/.test(last)) last = last.slice(0, -1);
  return [...parts, last].join('_');
}
