/**
 * Text encoding details a rewrite must never disturb: a UTF-8 byte-order mark and the line-ending style.
 * Transforms see LF-only text without a BOM; `encode` puts both back exactly as they were.
 */

export interface TextShape {
  bom: boolean;
  eol: '\n' | '\r\n';
}

export interface DecodedText {
  text: string;
  shape: TextShape;
}

export function decode(raw: string): DecodedText {
  const bom = raw.charCodeAt(0) === 0xfeff;
  const body = bom ? raw.slice(1) : raw;
  const crlf = (body.match(/\r\n/g) ?? []).length;
  const lf = (body.match(/\n/g) ?? []).length - crlf;
  const eol = crlf > lf ? '\r\n' : '\n';
  return { text: eol === '\r\n' ? body.replace(/\r\n/g, '\n') : body, shape: { bom, eol } };
}

/** A script's `#!` line with its line break, or '': set aside before parsing, never a rewrite's to change. */
export function shebangOf(text: string): string {
  return /^#![^\n]*\n/.exec(text)?.[0] ?? '';
}

export function encode(text: string, shape: TextShape): string {
  const body = shape.eol === '\r\n' ? text.replace(/\r?\n/g, '\r\n') : text;
  return shape.bom ? '\ufeff' + body : body;
}

/** A NUL byte in the first 8 KiB is how git decides a file is binary; we do the same. */
export function looksBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}
