/**
 * The 2026 stage, in pipeline order. Order matters where one rewrite produces the shape the next reads
 * (the stateless entry decides what the per-request factory is before state and logging are touched).
 */
import type { TransformModule } from './kit/transform.js';
import * as cacheHints from './cache-hints/index.js';
import * as clientVersionNegotiation from './client-version-negotiation/index.js';
import * as loggingToOtel from './logging-to-otel/index.js';
import * as pushToInputRequired from './push-to-input-required/index.js';
import * as requestEnvelope from './request-envelope/index.js';
import * as sessionHandles from './session-handles/index.js';
import * as statelessEntry from './stateless-entry/index.js';
import * as validatorsToJsonSchema from './validators-to-json-schema/index.js';

export const TRANSFORMS: TransformModule[] = [sessionHandles, statelessEntry, requestEnvelope, pushToInputRequired, loggingToOtel, clientVersionNegotiation, validatorsToJsonSchema, cacheHints];
