/**
 * Cross-file changes (TransformMeta.plan): planned over the whole run before any file is rewritten, handed to each
 * file as its parts, and checked afterwards. An agreement stands only if every file in it honoured its part; one
 * that a file could not honour (its rewrite refused, failed or ran out of time) is dropped and its files rewritten
 * again without it, so no file is left expecting a change another file did not make.
 */
import fs from 'node:fs';
import { TRANSFORMS } from '../transforms/index.js';
import type { Agreement, PlannedPart, ProjectFile } from '../transforms/kit/transform.js';
import { candidatesFor } from './typecheck/importers.js';
import type { FileResult } from './types.js';

export type Plans = Map<string, Agreement[]>;

/** How many times files are rewritten again after agreements were dropped, before every agreement is given up. */
export const MAX_REPLANS = 3;

export function planAgreements(migrated: ProjectFile[], discovered: string[], ids?: string[]): Plans {
  const plans: Plans = new Map();
  const migrating = new Set(migrated.map(f => f.file));
  // Read once, and only if some rewrite's plan asks.
  let others: ProjectFile[] | undefined;
  const readOthers = () =>
    (others ??= discovered
      .filter(f => !migrating.has(f))
      .flatMap(f => {
        try {
          return [{ file: f, text: fs.readFileSync(f, 'utf8') }];
        } catch {
          return [];
        }
      }));
  for (const t of TRANSFORMS) {
    if (!t.meta.plan || (ids && !ids.includes(t.meta.id))) continue;
    const agreements = t.meta.plan(migrated, readOthers, candidatesFor);
    if (agreements.length) plans.set(t.meta.id, agreements);
  }
  return plans;
}

/** Every file some agreement gives a part to. */
export function filesWithParts(plans: Plans): Set<string> {
  return new Set([...plans.values()].flatMap(agreements => agreements.flatMap(a => Object.keys(a.parts))));
}

/** The files the agreements with these keys give a part to. */
export function filesOf(plans: Plans, keys: Set<string>): Set<string> {
  return new Set(
    [...plans.values()].flatMap(agreements =>
      agreements.filter(a => keys.has(a.key)).flatMap(a => Object.keys(a.parts))
    )
  );
}

/** One file's parts, by transform id; undefined when it has none. */
export function partsFor(plans: Plans, file: string): Record<string, PlannedPart[]> | undefined {
  let out: Record<string, PlannedPart[]> | undefined;
  const waits = waitingIn(plans);
  for (const [id, agreements] of plans)
    for (const a of agreements)
      if (file in a.parts && !waits(a)) (out ??= {})[id] = [...(out[id] ?? []), { key: a.key, part: a.parts[file] }];
  return out;
}

/** Does an agreement wait for others it stands in for, still in the plans, to be dropped? */
function waitingIn(plans: Plans): (a: Agreement) => boolean {
  if (![...plans.values()].some(agreements => agreements.some(a => a.fallbackFor?.length))) return () => false;
  const keys = new Set([...plans.values()].flatMap(agreements => agreements.map(x => x.key)));
  return a => !!a.fallbackFor?.some(k => keys.has(k));
}

/** The files of agreements that waited in `before` and are in force in `after`: they are rewritten with them now. */
export function filesOfWoken(before: Plans, after: Plans): Set<string> {
  const [waitedBefore, waitsAfter] = [waitingIn(before), waitingIn(after)];
  const files = new Set<string>();
  for (const agreements of after.values())
    for (const a of agreements)
      if (waitedBefore(a) && !waitsAfter(a)) for (const f of Object.keys(a.parts)) files.add(f);
  return files;
}

/** Agreements some file of which did not honour its part, and the files they involve. */
export function brokenAgreements(plans: Plans, results: FileResult[]): { keys: Set<string>; files: Set<string> } {
  const byFile = new Map(results.map(r => [r.file, r]));
  const keys = new Set<string>();
  const files = new Set<string>();
  const waits = waitingIn(plans);
  for (const agreements of plans.values())
    for (const a of agreements) {
      if (waits(a)) continue;
      const honoured = Object.keys(a.parts).every(
        f => byFile.get(f)?.honoured?.includes(a.key) && !byFile.get(f)?.error
      );
      if (honoured) continue;
      keys.add(a.key);
      for (const f of Object.keys(a.parts)) files.add(f);
    }
  return { keys, files };
}

/**
 * The agreements still broken after the last re-plan, with every agreement that shares a file with them or stands
 * in for one of them, over and over: the ones given up together, so the run ends consistent. Agreements elsewhere
 * (another package of a monorepo) have no file in common with them and keep standing: giving up every agreement of
 * the run at that point made one package's stubborn plan undo the others' (two fixture servers migrated in one run
 * lost their factories to an unrelated server's plan).
 */
export function entangledWith(plans: Plans, keys: Set<string>): Set<string> {
  const all = [...plans.values()].flat();
  const out = new Set(keys);
  const files = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const a of all) {
      if (!out.has(a.key)) {
        const linked = Object.keys(a.parts).some(f => files.has(f)) || !!a.fallbackFor?.some(k => out.has(k));
        if (!linked) continue;
        out.add(a.key);
        grew = true;
      }
      for (const f of Object.keys(a.parts))
        if (!files.has(f)) {
          files.add(f);
          grew = true;
        }
    }
  }
  return out;
}

export function withoutAgreements(plans: Plans, keys: Set<string>): Plans {
  const out: Plans = new Map();
  for (const [id, agreements] of plans) {
    const kept = agreements.filter(a => !keys.has(a.key));
    if (kept.length) out.set(id, kept);
  }
  return out;
}
