/**
 * Text-level reading of a call's arguments, for code read as text: the logging rewrite's stdio test, and `check`'s
 * rules, which share that test (serving-code.ts).
 */

/**
 * The text of the balanced `( … )` that opens at `open`, parentheses included (to the end of the text when it never
 * closes). Strings and comments are not told apart: good enough for arguments.
 */
export function argumentText(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return text.slice(open, i + 1);
  }
  return text.slice(open);
}
