/**
 * The markers the rewrites (and the official codemod) leave, as check rules. The patterns come from the marker
 * vocabulary (`transforms/kit/marker-vocabulary.ts`) the rewrites write with, so a marker a rewrite adds is always one `check` finds.
 */
import { MARKER_PATTERNS as PATTERNS } from '../../transforms/kit/marker-vocabulary.js';
import type { Rule } from './rule.js';

export const MARKER_RULES: Rule[] = [
  {
    id: 'todo-marker',
    severity: 'error',
    message: 'a migration step is left to do here',
    fix: 'do what the marker says, then delete the marker',
    spec: 'https://modelcontextprotocol.io/specification/2026-07-28/changelog',
    pattern: PATTERNS.TODO,
    inComments: true
  },
  {
    id: 'codemod-marker',
    severity: 'error',
    message: 'the official v1→v2 codemod could not finish this site',
    fix: 'resolve what the @mcp-codemod-error comment describes, then delete it',
    spec: 'https://github.com/modelcontextprotocol/typescript-sdk/tree/main/docs/migration',
    pattern: PATTERNS.CODEMOD,
    inComments: true
  },
  {
    id: 'note-marker',
    severity: 'warning',
    message: 'deprecated but working: an advisory left by a rewrite',
    fix: 'plan the replacement the note suggests before the feature is removed',
    spec: 'https://modelcontextprotocol.io/specification/2026-07-28/changelog',
    pattern: PATTERNS.NOTE,
    inComments: true
  }
];
