/** Which files `check` reads: those that use MCP (see prefilter.ts) and those carrying a marker of ours. */
import { mentionsMcp } from '../prefilter.js';
import { MENTIONS_MARKERS } from '../../transforms/kit/marker-vocabulary.js';

export function mayNeedCheck(text: string): boolean {
  return mentionsMcp(text) || MENTIONS_MARKERS.test(text);
}
