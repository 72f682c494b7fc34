/**
 * Text tests for v1's handler context where no parse has happened yet: the run's MCP prefilter and the surface
 * rewrite's own read the same things, so a file one admits for its context the other reads too.
 */

/** A read of a v1 context member under the usual parameter names (`extra.signal`, `ctx?._meta`). */
export const CONTEXT_MEMBER_READ = String.raw`\b(?:extra|ctx)\??\.(?:signal|sendNotification|sendRequest|authInfo|requestInfo|requestId|_meta)\b`;

/** A helper's own type declaring a context member (`interface ProgressMeta { sendNotification: (n) => … }`). */
export const CONTEXT_MEMBER_DECLARED = String.raw`\b(?:sendNotification|sendRequest)\??\s*:\s*\(`;
