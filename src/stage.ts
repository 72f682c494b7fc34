/**
 * Runs the rewrites (jscodeshift modules: the v1 → v2 surface, then the 2026 ones) over one file's text, in registry
 * order. A rewrite whose prefilter does not match is skipped without parsing; one that throws is reported and its
 * change dropped.
 */
import type { API } from 'jscodeshift';
import { TRANSFORMS } from '../transforms/index.js';
import { jscodeshiftFor, type Transform } from '../transforms/kit/transform.js';
import { findMarkerLine } from '../transforms/kit/marker-vocabulary.js';
import { lostReferences, undeclaredReferences } from './free-names.js';
import { moveLines } from './line-map.js';
import { refusal } from './refusal.js';
import type { Diagnostic } from './types.js';

export interface StageResult {
  text: string;
  fired: string[];
  diagnostics: Diagnostic[];
  /** Files the transforms asked for (support modules), by path. */
  created: Record<string, string>;
  /** Dependencies the transforms asked to add to the manifest. */
  dependencies: string[];
  /** Cross-file agreements this file carried out (by key), in changes that were kept. */
  honoured: string[];
}

function apiFor(file: string): API {
  const j = jscodeshiftFor(file);
  return { j, jscodeshift: j, stats: () => {}, report: () => {} };
}

/**
 * A marker's diagnostic points at the statement under its comment (under the whole stack, when several markers
 * share a statement). Nodes a transform created have no source position, and later rewrites move lines, so the
 * line is read back from the printed output: the engine does it again on the final text of each file.
 */
export function anchorToMarkers(found: Diagnostic[], output: string, final = false): Diagnostic[] {
  const lines = output.split('\n');
  const used = new Set<number>();
  const anchored: (Diagnostic | undefined)[] = [...found];
  // Markers of one rule are matched in line order, the order their diagnostics were found in.
  const order = found.map((_, i) => i).sort((a, b) => found[a]!.line - found[b]!.line);
  for (const i of order) {
    const d = found[i]!;
    if (d.severity === 'info') continue;
    const at = findMarkerLine(lines, d.rule, used);
    if (at < 0) {
      // On the final text, a marker that is gone took the code it marked with it (a later step removed both).
      if (final && d.marked) anchored[i] = undefined;
      continue;
    }
    used.add(at);
    let under = at + 1;
    while (under < lines.length && MARKER_COMMENT.test(lines[under]!)) under++;
    anchored[i] = { ...d, line: under + 1, column: (/^\s*/.exec(lines[under] ?? '')?.[0].length ?? 0) + 1 };
  }
  return anchored
    .filter((d): d is Diagnostic => d !== undefined)
    .map(d => {
      if (!final || d.marked === undefined) return d;
      const { marked: _marked, ...rest } = d;
      return rest;
    });
}

const MARKER_COMMENT = /^\s*\/\/ (TODO|NOTE)\(/;

export function selectTransforms(ids: string[] | undefined): Transform[] {
  return ids ? TRANSFORMS.filter(t => ids.includes(t.meta.id)) : TRANSFORMS;
}

export const SURFACE_ID = 'surface';

/** MCP_MIGRATE_TIMINGS=1: time spent per rewrite, printed to stderr when the process exits (for bench/profiling). */
const TIMINGS = process.env.MCP_MIGRATE_TIMINGS ? new Map<string, number>() : undefined;
if (TIMINGS) {
  process.on('exit', () => {
    const rows = [...TIMINGS].sort((a, b) => b[1] - a[1]).map(([id, ms]) => `${id} ${Math.round(ms)} ms`);
    process.stderr.write(`rewrite timings (this thread): ${rows.join(', ')}\n`);
  });
}

export function runStage(
  file: string,
  text: string,
  ids?: string[],
  config: Record<string, unknown> = {},
  registry: Transform[] = TRANSFORMS
): StageResult {
  let current = text;
  const fired: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const created: Record<string, string> = {};
  const dependencies = new Set<string>();
  const honoured: string[] = [];
  for (const t of ids ? registry.filter(x => ids.includes(x.meta.id)) : registry) {
    // A file with a part in a cross-file change runs the rewrite even when its text alone would not call for it.
    const planned = (config.planned as Record<string, unknown[]> | undefined)?.[t.meta.id]?.length;
    if (!planned && !t.meta.prefilter.test(current)) continue;
    const found: Diagnostic[] = [];
    // What a rewrite asks for is kept only if its change is.
    const asked: { created: Record<string, string>; dependencies: string[]; honoured: string[] } = {
      created: {},
      dependencies: [],
      honoured: []
    };
    const report = (d: Omit<Diagnostic, 'transform' | 'file'>) => found.push({ ...d, transform: t.meta.id, file });
    const emit = (path: string, content: string) => void (asked.created[path] = content);
    const needDependency = (name: string) => void asked.dependencies.push(name);
    const honour = (key: string) => void asked.honoured.push(key);
    try {
      const started = TIMINGS ? performance.now() : 0;
      const out = t({ path: file, source: current }, apiFor(file), { ...config, report, emit, needDependency, honour });
      if (TIMINGS) TIMINGS.set(t.meta.id, (TIMINGS.get(t.meta.id) ?? 0) + performance.now() - started);
      if (typeof out === 'string' && out !== current) {
        const lost = lostReferences(file, current, out);
        const undeclared = lost.length ? [] : undeclaredReferences(file, current, out);
        if (lost.length || undeclared.length) {
          if (process.env.MCP_MIGRATE_DEBUG)
            console.error(`[refused ${t.meta.id}] lost ${[...lost, ...undeclared].join(', ')}\n${out}`);
          const refused = refusal(file, current, t.meta.id, lost, undeclared);
          // What earlier rewrites reported moves with the lines this one added or removed above it.
          diagnostics.splice(0, diagnostics.length, ...moveLines(diagnostics, current, refused.text));
          diagnostics.push(refused.diagnostic);
          current = refused.text;
          continue;
        }
        diagnostics.splice(0, diagnostics.length, ...moveLines(diagnostics, current, out));
        // A rewrite reports lines of the text it read (node positions); markers are then found again in its output.
        found.splice(0, found.length, ...moveLines(found, current, out));
        current = out;
        fired.push(t.meta.id);
        Object.assign(created, asked.created);
        for (const d of asked.dependencies) dependencies.add(d);
        honoured.push(...asked.honoured);
      }
      diagnostics.push(...anchorToMarkers(found, current));
    } catch (err) {
      if (process.env.MCP_MIGRATE_DEBUG) console.error(err);
      diagnostics.push({
        transform: t.meta.id,
        rule: `${t.meta.id}/crash`,
        file,
        line: 1,
        column: 1,
        severity: 'error',
        message: `transform failed and was skipped for this file: ${(err as Error).message}`
      });
    }
  }
  return { text: current, fired, diagnostics, created, dependencies: [...dependencies], honoured };
}
