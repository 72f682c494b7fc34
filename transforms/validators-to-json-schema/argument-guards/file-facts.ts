/**
 * What a file declares that hand-written checks read: type guards (functions returning one expression), constant
 * lists of literals, the types the arguments are cast to and which of their fields TypeScript already settles.
 */
import { isFunction } from '../../kit/ast.js';
import { constantList } from './syntax.js';
import type { Json } from './types.js';

type Node = any;

/** Functions whose body is one returned expression (`function isArgs(a): a is T { return … }`), by name. */
export function typeGuards(program: Node): Map<string, { params: string[]; body: Node }> {
  const out = new Map<string, { params: string[]; body: Node }>();
  for (const s of program.body) {
    const fn =
      s.type === 'FunctionDeclaration'
        ? s
        : s.type === 'VariableDeclaration' && s.declarations.length === 1 && isFunction(s.declarations[0].init)
          ? s.declarations[0].init
          : undefined;
    const name = s.type === 'FunctionDeclaration' ? s.id?.name : s.declarations?.[0]?.id?.name;
    if (!fn || !name || fn.async || fn.generator || !fn.params.every((p: Node) => p.type === 'Identifier')) continue;
    const body =
      fn.body.type !== 'BlockStatement'
        ? fn.body
        : fn.body.body.length === 1 && fn.body.body[0].type === 'ReturnStatement'
          ? fn.body.body[0].argument
          : undefined;
    if (body) out.set(name, { params: fn.params.map((p: Node) => p.name), body });
  }
  return out;
}

/** Module constants that are lists of literals (`const ORDERS = ['asc', 'desc']`), by name. */
export function listConstants(program: Node): Map<string, Json[]> {
  const constants = new Map<string, Json[]>();
  for (const s of program.body) {
    if (s.type !== 'VariableDeclaration' || s.kind !== 'const') continue;
    for (const d of s.declarations) {
      const list = d.id.type === 'Identifier' ? constantList(d.init) : undefined;
      if (list) constants.set(d.id.name, list);
    }
  }
  return constants;
}

/** What a binding of the arguments is cast to: 'any', or the name of a type (`as unknown as PostMessageArgs`). */
export function castType(n: Node): string | undefined {
  if (n?.type === 'LogicalExpression') return castType(n.left);
  if (n?.type !== 'TSAsExpression') return undefined;
  if (n.typeAnnotation.type === 'TSAnyKeyword') return 'any';
  return n.typeAnnotation.type === 'TSTypeReference' && n.typeAnnotation.typeName.type === 'Identifier'
    ? n.typeAnnotation.typeName.name
    : undefined;
}

/**
 * Fields of a type the file declares (`interface T { … }`, `type T = { … }`) that are required and of a type no
 * check narrows further (string, number, boolean, a literal union, an array): deleting a check on them cannot
 * change a type TypeScript sees after it.
 */
export function settledFields(program: Node, type: string): Set<string> {
  const out = new Set<string>();
  for (let s of program.body) {
    if (s.type === 'ExportNamedDeclaration' && s.declaration) s = s.declaration;
    const members =
      s.type === 'TSInterfaceDeclaration' && s.id.name === type
        ? s.body.body
        : s.type === 'TSTypeAliasDeclaration' && s.id.name === type && s.typeAnnotation.type === 'TSTypeLiteral'
          ? s.typeAnnotation.members
          : undefined;
    for (const m of members ?? []) {
      const t = m.typeAnnotation?.typeAnnotation;
      const simple =
        /^TS(String|Number|Boolean)Keyword$|^TSArrayType$|^TSLiteralType$/.test(t?.type ?? '') ||
        (t?.type === 'TSUnionType' && t.types.every((u: Node) => u.type === 'TSLiteralType'));
      if (m.type === 'TSPropertySignature' && !m.optional && simple && m.key?.type === 'Identifier')
        out.add(m.key.name);
    }
  }
  return out;
}
