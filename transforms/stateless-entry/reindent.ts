/**
 * Statements moved into a generated function keep whatever indentation recast (or an earlier stage) gave them.
 * This puts each body statement exactly one unit deeper than the function line, shifting all of the statement's
 * lines by the same amount so its inner layout is kept. Lines that begin inside a template literal are content,
 * not layout, and are never touched.
 */
import { parseAst } from '../kit/grammar.js';

export function indentFunctionBodies(file: string, text: string, names: string[], unit: string): string {
  if (names.length === 0) return text;
  const ast = parseAst(file, text);
  if (!ast) return text;
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const templates: [number, number][] = (ast.tokens ?? [])
    .filter((t: any) => (typeof t.type === 'string' ? t.type : t.type.label) === 'template')
    .map((t: any) => [t.start, t.end]);
  const insideTemplate = (offset: number) => templates.some(([s, e]) => offset > s && offset <= e);
  const shifts = new Map<number, number>(); // line index → columns to add (negative: remove)
  for (const fn of ast.program.body) {
    const decl = fn.type === 'FunctionDeclaration' ? fn : undefined;
    if (!decl?.id || !decl.loc || !names.includes(decl.id.name)) continue;
    const base = indentOf(text, lineStarts[decl.loc.start.line - 1]);
    const want = base + unit.length;
    for (const s of decl.body.body) {
      if (!s.loc) continue;
      const first = s.loc.start.line - 1;
      const delta = want - indentOf(text, lineStarts[first]);
      if (delta === 0) continue;
      for (let l = first; l <= s.loc.end.line - 1; l++) if (!insideTemplate(lineStarts[l])) shifts.set(l, delta);
    }
  }
  if (shifts.size === 0) return text;
  const pad = unit[0] === '\t' ? '\t' : ' ';
  return text
    .split('\n')
    .map((line, i) => {
      const d = shifts.get(i);
      if (!d || line.trim() === '') return line;
      const current = /^[ \t]*/.exec(line)![0].length;
      return pad.repeat(Math.max(0, current + d)) + line.trimStart();
    })
    .join('\n');
}

function indentOf(text: string, offset: number): number {
  return /^[ \t]*/.exec(text.slice(offset, offset + 200))![0].length;
}
