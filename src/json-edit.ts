/**
 * Edits to a JSON file (package.json, deno.json) applied to its text, not by re-serializing it: every byte the edit
 * does not touch stays as its authors (or their formatter) wrote it — arrays kept on one line, key order, spacing.
 * `JSON.stringify` of the whole file turned `"files": ["dist"]` into three lines in every migrated package.
 */
import { applyEdits, modify, type FormattingOptions } from 'jsonc-parser';

export interface JsonEdit {
  path: string[];
  /** The new value; undefined removes the property. */
  value: unknown;
  /** Where a new property goes among the keys its object has at that point (default: last). */
  insertionIndex?: (keys: string[]) => number;
}

export function jsonWithEdits(text: string, edits: JsonEdit[]): string {
  const formattingOptions = formattingOf(text);
  let out = text;
  for (const e of edits)
    out = applyEdits(out, modify(out, e.path, e.value, { formattingOptions, getInsertionIndex: e.insertionIndex }));
  return out;
}

/** A new key's place in a map kept in `order` (the order the finished map should have): after the keys before it. */
export function placedBy(order: string[], key: string): (keys: string[]) => number {
  const rank = (k: string) => {
    const i = order.indexOf(k);
    return i < 0 ? order.length : i;
  };
  return keys => keys.filter(k => rank(k) < rank(key)).length;
}

/** The file's own indentation and line ends, for the lines an edit adds. */
function formattingOf(text: string): FormattingOptions {
  const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? '  ';
  const tabs = indent.startsWith('\t');
  return {
    insertSpaces: !tabs,
    tabSize: tabs ? 1 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n'
  };
}
