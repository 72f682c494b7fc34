/**
 * The markers the rewrites (and the official codemod) leave, as check rules. The same patterns are what
 * `transforms/lib/markers.ts` writes, so a marker a rewrite adds is always one `check` finds.
 */
import type { Rule } from './rules.js';

export const MARKER_PATTERNS: Rule[] = [
  {
    id: 'todo-marker',
    severity: 'error',
    message: 'a migration step is left to do here',
    fix: 'do what the marker says, then delete the marker',
    spec: 'https://modelcontextprotocol.io/specification/2026-07-28/changelog',
    pattern: /TODO\(mcp-migrate\/[\w/-]+\):[^\n]*/g,
    inComments: true
  },
  {
    id: 'codemod-marker',
    severity: 'error',
    message: 'the official v1→v2 codemod could not finish this site',
    fix: 'resolve what the @mcp-codemod-error comment describes, then delete it',
    spec: 'https://github.com/modelcontextprotocol/typescript-sdk/tree/main/docs/migration',
    pattern: /@mcp-codemod-error[^\n]*/g,
    inComments: true
  },
  {
    id: 'note-marker',
    severity: 'warning',
    message: 'deprecated but working: an advisory left by a rewrite',
    fix: 'plan the replacement the note suggests before the feature is removed',
    spec: 'https://modelcontextprotocol.io/specification/2026-07-28/changelog',
    pattern: /NOTE\(mcp-migrate\/[\w/-]+\):[^\n]*/g,
    inComments: true
  }
];
