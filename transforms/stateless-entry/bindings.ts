/**
 * Which declaration a name means at a given place, block scoping included. ast-types keeps one scope per function,
 * so to it `const transport = createStdioTransport()` in one `if` branch and `const { transport } = await
 * startHttp()` in the other are one binding, and a rewrite reading the first would act on a use of the second.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { bindsName, isFunction } from '../kit/ast.js';

type Node = any;

/**
 * The VariableDeclarator a reference to `name` at `at` resolves to (its id the name, or a pattern holding it); `null`
 * when something else binds the name first (a parameter, a function, class or import, a catch clause or loop
 * head); `undefined` when nothing in the file declares it.
 */
export function bindingDeclarator(j: JSCodeshift, at: ASTPath<any>, name: string): ASTPath<any> | null | undefined {
  for (let p: ASTPath<any> | null = at.parent; p; p = p.parent) {
    const node = p.node;
    const inList = blockBinding(p, name);
    if (inList !== undefined) return inList;
    if (node.type === 'CatchClause' && node.param && bindsName(node.param, name)) return null;
    if (/^For(?:In|Of)?Statement$/.test(node.type)) {
      const head = node.type === 'ForStatement' ? node.init : node.left;
      if (head?.type === 'VariableDeclaration' && head.declarations.some((d: Node) => bindsName(d.id, name)))
        return null;
    }
    if (isFunction(node) || node.type === 'Program') {
      if (isFunction(node)) {
        if ((node.params as Node[]).some(param => bindsName(param, name))) return null;
        if (node.type !== 'FunctionDeclaration' && node.id?.name === name) return null;
      }
      // `var` is the function's wherever in its body it is written.
      const hoisted = j(p)
        .find(j.VariableDeclarator)
        .filter(
          (d: ASTPath<any>) =>
            d.parent.node.kind === 'var' && bindsName(d.node.id, name) && ownerFunction(d) === p!.node
        );
      if (hoisted.size()) return hoisted.paths()[0]!;
    }
  }
  return undefined;
}

/** Does `name` at `at` mean the variable `declarator` (a VariableDeclarator node) declares? */
export function declaredBy(j: JSCodeshift, at: ASTPath<any>, name: string, declarator: Node): boolean {
  return bindingDeclarator(j, at, name)?.node === declarator;
}

/** A binding of `name` made by a statement of this block (let, const, function, class, import), if any. */
function blockBinding(block: ASTPath<any>, name: string): ASTPath<any> | null | undefined {
  const lists: ASTPath<any>[] = [];
  const node = block.node;
  if (Array.isArray(node.body) && node.type !== 'ClassBody') lists.push(block.get('body'));
  // The cases of a switch share one block.
  if (node.type === 'SwitchStatement')
    (node.cases as Node[]).forEach((_c, i) => lists.push(block.get('cases', i, 'consequent')));
  for (const list of lists) {
    for (let i = 0; i < list.value.length; i++) {
      const s = list.value[i];
      const statement = s.type === 'ExportNamedDeclaration' && s.declaration ? s.declaration : s;
      if (statement.type === 'VariableDeclaration' && statement.kind !== 'var') {
        const k = (statement.declarations as Node[]).findIndex(d => bindsName(d.id, name));
        if (k < 0) continue;
        const at = statement === s ? list.get(i) : list.get(i, 'declaration');
        return at.get('declarations', k);
      }
      if (/^(?:FunctionDeclaration|ClassDeclaration|TSEnumDeclaration)$/.test(statement.type)) {
        if (statement.id?.name === name) return null;
      }
      if (
        statement.type === 'ImportDeclaration' &&
        (statement.specifiers as Node[] | undefined)?.some(sp => sp.local?.name === name)
      )
        return null;
    }
  }
  return undefined;
}

function ownerFunction(p: ASTPath<any>): Node {
  for (let cur = p.parent; cur; cur = cur.parent)
    if (isFunction(cur.node) || cur.node.type === 'Program') return cur.node;
  return undefined;
}
