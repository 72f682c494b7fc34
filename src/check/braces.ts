/**
 * Block boundaries in code whose comments are blanked (check's text view): the `{` that opens, and the `}` that
 * closes, the block around an offset. Braces in strings count unless the caller blanked those too.
 */
/** The `{` opening the block that `close` ends, or -1. */
export function openingBrace(code: string, close: number): number {
  let depth = 0;
  for (let i = close - 1; i >= 0; i--) {
    if (code[i] === '}') depth++;
    else if (code[i] === '{' && depth-- === 0) return i;
  }
  return -1;
}

/** The `}` closing the block that holds `index`, or -1. */
export function closingBrace(code: string, index: number): number {
  let depth = 0;
  for (let i = index; i < code.length; i++) {
    if (code[i] === '{') depth++;
    else if (code[i] === '}' && depth-- === 0) return i;
  }
  return -1;
}
