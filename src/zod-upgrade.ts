/**
 * zod 3 → zod 4 in a migrated package. The v2 SDK reads tool schemas through zod 4's own JSON Schema conversion
 * and refuses a zod 3 schema at `tools/list` ("Schema appears to be from zod 3"), so a package that declares
 * `zod@^3` and gains `@modelcontextprotocol/server` serves nothing until zod is upgraded. Most v1 servers use only
 * the part of zod that zod 4 kept (`z.object`, `z.string().describe()`, `.optional()`, `z.enum`, …): then the
 * dependency moves to `^4.2.0`. A package whose code uses something zod 4 removed or changed keeps its zod, and
 * the files and APIs are named so a person can port them.
 */
import path from 'node:path';
import semver from 'semver';
import { textAsMigrated } from './package-text.js';
import { codeWithoutComments } from './parse.js';
import { importsPackage } from './sdk-imports.js';

export const ZOD_4 = '^4.2.0';

/** A declared zod range that resolves to zod 3 (`^3.25.76`, `~3.24.1`, `3.22.4`). */
export function isZod3Range(range: unknown): range is string {
  if (typeof range !== 'string' || !/^\s*[\^~]?3\./.test(range)) return false;
  // `^3.25 || ^4.0` lets npm install the zod 4 the v2 server reads: not a package on zod 3.
  return !(semver.validRange(range) && semver.intersects(range, '>=4.2.0'));
}

/** APIs zod 4 removed or changed incompatibly, as they read in code (a hit keeps the package on zod 3). */
const REMOVED_IN_ZOD_4: [RegExp, string][] = [
  [/\bz\.record\(\s*[^,()]*(?:\([^()]*\))?\s*\)/, 'z.record(valueSchema) (zod 4 takes the key schema first)'],
  [/\b(?:required_error|invalid_type_error)\b/, 'required_error / invalid_type_error (zod 4: { error })'],
  [/\berrorMap\s*[:(]/, 'errorMap (zod 4: { error } or z.config)'],
  [/\.error\.errors\b|\bZodError\b[\s\S]{0,300}?\.errors\b/, 'ZodError.errors (zod 4: .issues)'],
  [/\.deepPartial\s*\(/, '.deepPartial()'],
  [/\.nonstrict\s*\(/, '.nonstrict()'],
  [/\bz\.function\s*\(/, 'z.function() (a different API in zod 4)'],
  [/\bz\.o(?:string|number|boolean)\s*\(/, 'z.ostring() / z.onumber() / z.oboolean()'],
  [/\bsetErrorMap\s*\(/, 'z.setErrorMap()'],
  [/\b(?:ZodEffects|ZodFirstPartyTypeKind|ZodTypeDef)\b/, 'ZodEffects / ZodFirstPartyTypeKind / ZodTypeDef'],
  [/\._def\b/, 'schema._def (its shape changed in zod 4)'],
  [/\.(?:ip|cidr)\s*\(/, '.ip() / .cidr() (zod 4: z.ipv4() / z.cidrv4())'],
  [/\bzodToJsonSchema\s*\(/, 'zodToJsonSchema (zod-to-json-schema reads zod 3 schemas only)'],
  // Types zod 4 no longer exports: code naming them stops compiling (a catch-all-free objectOutputType is ported).
  [/\bobject(?:Out|In)putType\b/, 'objectOutputType / objectInputType (zod 4: z.output / z.input of a z.ZodObject)'],
  [/\bSafeParseReturnType\b/, 'SafeParseReturnType (zod 4: SafeParseResult)'],
  [/\b(?:AnyZodObject|SomeZodObject)\b/, 'AnyZodObject / SomeZodObject (zod 4: ZodObject)'],
  [/\b(?:ZodNativeEnum|UnknownKeysParam|ZodDiscriminatedUnionOption|ZodParsedType)\b/, 'zod 3 types zod 4 removed'],
  [/\bZod(?!TypeDef\b)[A-Z]\w*Def\b/, 'Zod…Def types (zod 4 reshaped schema definitions)']
];

export interface ZodUpgrade {
  /** Whether every file of the package that imports zod uses only what zod 4 kept. */
  safe: boolean;
  /** `file: API` for each use that blocks the upgrade. */
  blockers: string[];
}

/**
 * Reads every file of the package (`files`, those its manifest owns) that imports zod — the migrated text for files
 * this run changed — and lists what zod 4 removed.
 */
export function zodUpgradeFor(manifest: string, files: string[], migratedText: Map<string, string>): ZodUpgrade {
  const blockers: string[] = [];
  for (const f of files) {
    const text = textAsMigrated(f, migratedText);
    if (text === undefined || !importsPackage(text, 'zod')) continue;
    if (!REMOVED_IN_ZOD_4.some(([pattern]) => pattern.test(text))) continue;
    // Read again without comments: a comment naming an API (a doc line, a marker's advice) does not use it.
    const code = codeWithoutComments(f, text);
    for (const [pattern, api] of REMOVED_IN_ZOD_4)
      if (pattern.test(code)) blockers.push(`${path.relative(path.dirname(manifest), f)}: ${api}`);
  }
  return { safe: blockers.length === 0, blockers };
}
