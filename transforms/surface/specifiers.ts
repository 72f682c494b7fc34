/**
 * Which module specifiers are the v1 SDK: `@modelcontextprotocol/sdk` and its subpaths, and relative specifiers the
 * engine proved to be a vendored copy of the SDK by their content (`options.vendoredSdk`: specifier → the package
 * specifier it stands for). A folder that merely looks like the SDK's (`../server/index.js`) is the project's own.
 */
import type { TransformOptions } from '../kit/transform.js';

const PACKAGE = /^@modelcontextprotocol\/sdk(?:\/(.*))?$/;

/** The module path inside the SDK (`server/mcp`, `types`; '' for the package root), or undefined when not the SDK. */
export function sdkModulePath(specifier: string, options: TransformOptions): string | undefined {
  const vendored = vendoredOf(options)[specifier];
  const m = PACKAGE.exec(vendored ?? specifier);
  if (!m) return undefined;
  return (m[1] ?? '').replace(/\.(?:[cm]?js|d\.ts|ts)$/, '').replace(/^dist\/(?:esm|cjs)\//, '');
}

export function vendoredOf(options: TransformOptions): Record<string, string> {
  const v = options.vendoredSdk;
  return v && typeof v === 'object' ? (v as Record<string, string>) : {};
}

/** Could this text import the SDK at all (package specifier or a proven vendored specifier)? */
export function mentionsSdk(text: string, options: TransformOptions): boolean {
  return text.includes('@modelcontextprotocol/sdk') || Object.keys(vendoredOf(options)).some(s => text.includes(s));
}
