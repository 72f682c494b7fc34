/**
 * Rewrite 1 end to end, shard 2 of 2 (helpers/stateless-entry-e2e.ts has the tests and why they are split).
 */
import { describeStatelessEntryServers, statelessEntryShard } from './helpers/stateless-entry-e2e.js';

describeStatelessEntryServers(statelessEntryShard(1, 2));
