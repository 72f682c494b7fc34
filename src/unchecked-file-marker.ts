/**
 * A file the run reads but does not rewrite — a build output with the v1 SDK compiled in (its findings would be the
 * SDK's own internals, and the bundled 2025 runtime would stay), or one over the size limit that uses MCP — says so
 * itself, as every other leftover does: one marker line is added at its end, where it shifts no position a source
 * map points at and touches no code (a source file that parses ends outside any string or comment). `check` reports
 * the file's `unchecked-file` error on that line, so the advice stands next to the error.
 */
import { UNCHECKED_MARKERS, uncheckedMarkerLine, uncheckedReason, uncheckedText } from './check/unchecked.js';
import type { FileResult, SkipReason } from './types.js';

/** The file with its marker line added, as a changed file of the run; undefined when it needs none or has one. */
export function uncheckedFileMarked(file: string, reason: SkipReason, detail?: string): FileResult | undefined {
  const marker = UNCHECKED_MARKERS[reason];
  const text = uncheckedText(file, reason);
  if (!marker || text === undefined || !uncheckedReason(file, reason, detail, text)) return undefined;
  if (uncheckedMarkerLine(text) !== undefined) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const ending = text.length === 0 || text.endsWith('\n') ? '' : eol;
  return {
    file,
    changed: true,
    transforms: ['leftovers'],
    diagnostics: [],
    input: text,
    output: `${text}${ending}// ${marker}${eol}`,
    skipped: reason
  };
}
