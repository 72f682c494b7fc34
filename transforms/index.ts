/**
 * The 2026 stage, in pipeline order. Order matters where one rewrite produces the shape the next reads
 * (the stateless entry decides what the per-request factory is before state and logging are touched).
 */
import type { TransformModule } from './lib/contract.js';
import * as cacheHints from './cache-hints.js';
import * as clientVersionNegotiation from './client-version-negotiation.js';
import * as loggingToOtel from './logging-to-otel.js';
import * as pushToInputRequired from './push-to-input-required.js';
import * as requestEnvelope from './request-envelope.js';
import * as sessionHandles from './session-handles.js';
import * as statelessEntry from './stateless-entry.js';
import * as validatorsToJsonSchema from './validators-to-json-schema.js';

export const TRANSFORMS: TransformModule[] = [sessionHandles, statelessEntry, requestEnvelope, pushToInputRequired, loggingToOtel, clientVersionNegotiation, validatorsToJsonSchema, cacheHints];
