/**
 * Module resolution for the type check: the project's own installation first, exactly as `tsc` would resolve it;
 * then, for the packages a migration adds or removes (the v2 `@modelcontextprotocol/*` packages, the v1 SDK, zod,
 * OpenTelemetry's API), the copies installed with mcp-migrate, so the check works before the user has installed
 * anything new. Everything else that does not resolve stays unresolved: TypeScript then types it as `any`, and the
 * "cannot find module" errors are dropped by the caller.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ResolutionHostFactory, ts as TS } from 'ts-morph';

/** Packages mcp-migrate ships so that before (v1) and after (v2) can both be typed. */
export const SHIPPED = /^(@modelcontextprotocol\/[\w-]+|zod|@opentelemetry\/api)(\/|$)/;

/** This very file, inside mcp-migrate's installation: resolving from here finds the shipped copies. */
const OWN_ANCHOR = fileURLToPath(import.meta.url);

export function fallbackResolution(ts: typeof TS): ResolutionHostFactory {
  return (host, getOptions) => {
    const own: TS.CompilerOptions = {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      allowJs: false
    };
    return {
      resolveModuleNames(names, containingFile, _reused, redirected, _options, containingSourceFile) {
        const options = getOptions();
        const mode = containingSourceFile?.impliedNodeFormat;
        return names.map(name => {
          const found = ts.resolveModuleName(
            name,
            containingFile,
            options,
            host,
            undefined,
            redirected,
            mode
          ).resolvedModule;
          if (found || !SHIPPED.test(name)) return found;
          return ts.resolveModuleName(name, OWN_ANCHOR, own, host, undefined, undefined, mode ?? ts.ModuleKind.ESNext)
            .resolvedModule;
        });
      }
    };
  };
}

/** Node's own types from the project, else the copy shipped with mcp-migrate: both sides see the same globals. */
export function nodeTypesRoot(ts: typeof TS, projectDir: string, options: TS.CompilerOptions): string | undefined {
  const resolved = ts.resolveTypeReferenceDirective('node', path.join(projectDir, 'index.ts'), options, ts.sys);
  if (resolved.resolvedTypeReferenceDirective) return undefined;
  try {
    return path.dirname(path.dirname(createRequire(OWN_ANCHOR).resolve('@types/node/package.json')));
  } catch {
    return undefined;
  }
}
