/**
 * Decides the cache hint for each cacheable operation a server serves (SEP-2549), from what the code shows:
 * registrations made once at start-up and callbacks that read no principal or user data are the same for every
 * caller (`public`, long TTL); anything that touches auth, the request context or per-user data is `private`
 * with a short TTL; servers that announce list changes keep a moderate TTL, and resources whose data tools change or
 * whose updates the server announces a short one. When in doubt: `private`.
 */
export interface CacheDefaults {
  staticTtlMs: number;
  listChangedTtlMs: number;
  privateTtlMs: number;
}

export const DEFAULT_TTLS: CacheDefaults = { staticTtlMs: 3_600_000, listChangedTtlMs: 300_000, privateTtlMs: 30_000 };

export interface Hint {
  ttlMs: number;
  cacheScope: 'public' | 'private';
  why: string;
}

/** Anything that can make a result differ between callers. */
export const PER_CALLER = new RegExp(
  [
    String.raw`\bauthInfo\b|\bhttp\?*\.req\b|\bctx\.http\b|\brequestInfo\b|\bsessionId\b`,
    String.raw`\buser(?:Id|_id|name)?\b|\btenant\w*|\bprincipal\b|\baccount\w*|\bscopes?\b|\bprofile\b|\bowner\b`
  ].join('|'),
  'i'
);

/** `cacheHints` in mcp-migrate.config.json: each TTL a whole number of milliseconds, else its default. */
export function readCacheDefaults(section: Record<string, unknown>): CacheDefaults {
  const c = section as Partial<CacheDefaults>;
  const pick = (v: unknown, d: number) => (Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : d);
  return {
    staticTtlMs: pick(c.staticTtlMs, DEFAULT_TTLS.staticTtlMs),
    listChangedTtlMs: pick(c.listChangedTtlMs, DEFAULT_TTLS.listChangedTtlMs),
    privateTtlMs: pick(c.privateTtlMs, DEFAULT_TTLS.privateTtlMs)
  };
}

export interface ListFacts {
  /** Every registration of this kind happens unconditionally while the server is built. */
  static: boolean;
  /** Something in the list (a conditional registration, a template's list callback) depends on the caller. */
  perCaller: boolean;
  /** The server announces changes to this list. */
  announcesChanges: boolean;
  /** A handler registers more entries while the server runs (madeWhileServing). */
  growsWhileServing?: boolean;
}

export function listHint(facts: ListFacts, d: CacheDefaults, what: string): Hint {
  if (facts.perCaller)
    return {
      ttlMs: d.privateTtlMs,
      cacheScope: 'private',
      why: `${what} depends on the caller (auth, user or request data)`
    };
  if (facts.growsWhileServing)
    return changingHint(d, `a handler adds to ${what} while the server runs: a short TTL, so no cache serves it stale`);
  if (!facts.static)
    return {
      ttlMs: d.privateTtlMs,
      cacheScope: 'private',
      why: `${what} is built conditionally; not provably the same for every caller`
    };
  if (facts.announcesChanges)
    return {
      ttlMs: d.listChangedTtlMs,
      cacheScope: 'public',
      why: `${what} is static, but the server announces changes to it`
    };
  return {
    ttlMs: d.staticTtlMs,
    cacheScope: 'public',
    why: `${what} is registered once at start-up and reads no caller data`
  };
}

export function readHint(perCaller: boolean, d: CacheDefaults, what: string): Hint {
  return perCaller
    ? {
        ttlMs: d.privateTtlMs,
        cacheScope: 'private',
        why: `reading ${what} touches caller data (auth, user or request context)`
      }
    : { ttlMs: d.staticTtlMs, cacheScope: 'public', why: `reading ${what} uses no caller data` };
}

/**
 * A resource whose data changes while the server runs (a tool writes what it reads, or the server announces
 * `resources/updated`): still shareable when it reads no caller data, but only briefly, so no cache serves it stale.
 */
export function changingHint(d: CacheDefaults, why: string): Hint {
  return { ttlMs: d.privateTtlMs, cacheScope: 'public', why };
}

export function sameHint(a: Hint, b: Hint): boolean {
  return a.ttlMs === b.ttlMs && a.cacheScope === b.cacheScope;
}

export function hintText(h: Hint): string {
  return `{ ttlMs: ${h.ttlMs.toLocaleString('en-US').replace(/,/g, '_')}, cacheScope: '${h.cacheScope}' }`;
}
