/**
 * When a rewrite's output would refer to a name that no longer has a declaration where it is used (code moved out
 * of the scope that declared what it reads, a declaration removed while something still uses it), the engine keeps
 * the file as it was for that rewrite and says so: a TODO marker above the declaration of the first such name (or
 * the top of the file), and an error diagnostic at it. Never an output that references something that does not exist.
 */
import { parse } from '@babel/parser';
import { bindsName } from '../transforms/kit/ast.js';
import { babelOptions } from '../transforms/kit/grammar.js';
import { markerLine, markerTag } from '../transforms/kit/marker-vocabulary.js';
import { lineIndent, lineStartOf, markedAbove } from '../transforms/kit/text-edits.js';
import type { Diagnostic } from './types.js';

export function refusal(
  file: string,
  text: string,
  transform: string,
  lost: string[],
  undeclared: string[] = []
): { text: string; diagnostic: Diagnostic } {
  const rule = `${transform}/unresolved-reference`;
  const names = (lost.length ? lost : undeclared).map(n => `\`${n}\``).join(', ');
  const message = lost.length
    ? `${transform} left this file as it was: its rewrite would move code that reads ${names} away from where ` +
      `${lost.length === 1 ? 'it is' : 'they are'} declared; migrate this part by hand (see docs/${transform}.md)`
    : `${transform} left this file as it was: its rewrite would refer to ${names}, which it did not declare (a fault ` +
      `of mcp-migrate: please report it with this file); migrate this part by hand (see docs/${transform}.md)`;
  const at = (lost.length ? declarationOffset(file, text, lost[0]!) : undefined) ?? 0;
  const lineStart = lineStartOf(text, at);
  const line = text.slice(0, lineStart).split('\n').length;
  // Above the statement, or (at the top of a file, with no declaration to mark) the first line itself.
  const tag = `(${markerTag(rule)})`;
  const marked =
    markedAbove(text, lineStart, tag) || text.slice(lineStart, text.indexOf('\n', lineStart) >>> 0).includes(tag);
  const out = marked
    ? text
    : text.slice(0, lineStart) + markerLine('TODO', rule, message, lineIndent(text, lineStart)) + text.slice(lineStart);
  const column = lineIndent(text, lineStart).length + 1;
  return {
    text: out,
    diagnostic: { transform, rule, file, line: marked ? line : line + 1, column, severity: 'error', message }
  };
}

/** Where the statement declaring `name` starts (a variable, function, class or parameter), if found. */
function declarationOffset(file: string, text: string, name: string): number | undefined {
  let ast: any;
  try {
    ast = parse(text, babelOptions(file, {}));
  } catch {
    return undefined;
  }
  let found: number | undefined;
  const declares = (n: any): boolean =>
    (n.type === 'VariableDeclaration' && n.declarations.some((d: any) => bindsName(d.id, name))) ||
    ((n.type === 'FunctionDeclaration' || n.type === 'ClassDeclaration') && n.id?.name === name);
  const walk = (n: any, statement: any): void => {
    if (found !== undefined || !n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(c => walk(c, statement));
    if (typeof n.type !== 'string') return;
    const isStatement = /Statement$|Declaration$/.test(n.type);
    if (declares(n)) {
      found = n.start;
      return;
    }
    if (/Function/.test(n.type) && n.params?.some((p: any) => p.name === name)) {
      found = (statement ?? n).start;
      return;
    }
    for (const key of Object.keys(n))
      if (key !== 'loc' && !key.endsWith('Comments')) walk(n[key], isStatement ? n : statement);
  };
  walk(ast.program, undefined);
  return found;
}
