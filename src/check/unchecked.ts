/**
 * Why a file the run could not read as code is still an error for `check` (`unchecked-file`): the same answer for
 * `check` and for the migration's own count of what it leaves for `check`, so a run never says "0 errors left" over
 * a file `check` then reports.
 */
import fs from 'node:fs';
import { markerTag, markerText } from '../../transforms/kit/marker-vocabulary.js';
import type { SkipReason } from '../types.js';
import { UNCHECKED_FILE } from './file-rules.js';
import { mayNeedCheck } from './needs-check.js';

const MARKER_RULE = `check/${UNCHECKED_FILE}`;
const BUNDLE_ADVICE = 'migrate and check the sources it is built from, then rebuild it';

/**
 * The unchecked-file message for a file skipped for `reason`, or undefined when check has nothing to say. `text`, the
 * file's text when the caller has read it already (see uncheckedText), saves reading an oversized file again.
 */
export function uncheckedReason(
  file: string,
  reason: SkipReason | string,
  detail?: string,
  text?: string
): string | undefined {
  if (reason === 'bundled-sdk') return `bundles the v1 SDK itself; ${BUNDLE_ADVICE}`;
  if (reason === 'unreadable') return `could not be read (${detail})`;
  if (reason === 'too-large' && (text !== undefined ? mayNeedCheck(text) : fileMentionsMcp(file)))
    return `over the 2 MB limit (${detail}); mcp-migrate leaves it as it is`;
  return undefined;
}

/** A file too big to check is still read once, to tell a bundle that has nothing to do with MCP from one that has. */
function fileMentionsMcp(file: string): boolean {
  const text = readText(file);
  return text === undefined || mayNeedCheck(text);
}

function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The text of a skipped file a migration may have marked (one read for the reason and the marker), else undefined. */
export function uncheckedText(file: string, reason: SkipReason): string | undefined {
  return UNCHECKED_MARKERS[reason] ? readText(file) : undefined;
}

/**
 * The marker a migration leaves at the end of a file it could read but did not rewrite (src/unchecked-file-marker.ts), by
 * why, named as the leftovers pass names check's rules (`check/<rule>`): the comment text, without the `//`.
 */
export const UNCHECKED_MARKERS: Partial<Record<SkipReason, string>> = {
  'bundled-sdk': markerText('TODO', MARKER_RULE, `not checked: ${uncheckedReason('', 'bundled-sdk')}`),
  'too-large': markerText(
    'TODO',
    MARKER_RULE,
    'not checked: over the 2 MB limit; split it, or (a build output) migrate and check the sources it is built from'
  )
};

/** The line (1-based) of such a marker, if the text has one. */
export function uncheckedMarkerLine(text: string): number | undefined {
  const at = text.lastIndexOf(`TODO(${markerTag(MARKER_RULE)})`);
  return at < 0 ? undefined : text.slice(0, at).split('\n').length;
}
