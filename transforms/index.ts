/**
 * The rewrites, in pipeline order. Order matters where one rewrite produces the shape the next reads:
 * - surface (v1 → v2 SDK surface) runs first: every other rewrite reads v2-shaped code;
 * - session-handles runs next, while the v1 session plumbing it reads (session ids, onsessionclosed cleanup) is
 *   still there;
 * - logging-to-otel runs before stateless-entry: a logging helper that reads the module's server
 *   (`server.sendLoggingMessage(…)`) would otherwise keep that server from becoming a per-request factory, and
 *   after this rewrite it no longer reads it;
 * - stateless-entry then decides what the per-request server factory is;
 * - push-to-input-required and request-envelope need the handler context parameter stateless-entry leaves; push
 *   first, so a helper it hands a tool's context (to ask through) then reads the client from that context too;
 * - client-version-negotiation, validators-to-json-schema and cache-hints only read the code
 *   as the rewrites above leave it.
 */
import type { Transform } from './kit/transform.js';
import cacheHints from './cache-hints/index.js';
import clientVersionNegotiation from './client-version-negotiation/index.js';
import loggingToOtel from './logging-to-otel/index.js';
import pushToInputRequired from './push-to-input-required/index.js';
import requestEnvelope from './request-envelope/index.js';
import sessionHandles from './session-handles/index.js';
import surface from './surface/index.js';
import statelessEntry from './stateless-entry/index.js';
import validatorsToJsonSchema from './validators-to-json-schema/index.js';

export const TRANSFORMS: Transform[] = [
  surface,
  sessionHandles,
  loggingToOtel,
  statelessEntry,
  pushToInputRequired,
  requestEnvelope,
  clientVersionNegotiation,
  validatorsToJsonSchema,
  cacheHints
];
