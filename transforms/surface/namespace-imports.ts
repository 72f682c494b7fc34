/**
 * `import * as types from '@modelcontextprotocol/sdk/types.js'`, used as `types.CallToolRequestSchema`,
 * `new sdk.Server(…)`, `types.McpError`: every other rewrite reads the SDK's names as named imports, so a namespace
 * import of a v1 module becomes one first (`import { CallToolRequestSchema, McpError } from …`, each `types.X` read as
 * `X`). In ES modules the two are the same bindings. Done only where the namespace is only ever read for a member by
 * name (not handed on, not indexed), and no name it would bring in is taken in the file already; otherwise the import
 * stays as it was, and what cannot be routed is marked by the rewrites after this one.
 */
import type { ASTPath, JSCodeshift } from 'jscodeshift';
import { parseForEdits } from '../kit/parse.js';
import { applyEdits, type TextEdit } from '../kit/text-edits.js';
import type { TransformOptions } from '../kit/transform.js';
import { sdkModulePath } from './specifiers.js';

type Node = any;

export function namedFromNamespaceImports(
  j: JSCodeshift,
  file: string,
  src: string,
  options: TransformOptions
): string {
  if (!/import\s+(?:type\s+)?\*\s+as\s/.test(src)) return src;
  const root = parseForEdits(j, file, src);
  const namespaces = root
    .find(j.ImportDeclaration)
    .filter((p: ASTPath<any>) => {
      const specifiers = p.node.specifiers ?? [];
      return (
        specifiers.length === 1 &&
        specifiers[0].type === 'ImportNamespaceSpecifier' &&
        sdkModulePath(String(p.node.source.value), options) !== undefined
      );
    })
    .paths();
  if (namespaces.length === 0) return src;
  // Every name the file has, anywhere (not a member or key by that name): a member brought in as a name of its own
  // must not meet one.
  const taken = new Set(
    root
      .find(j.Identifier)
      .filter((p: ASTPath<any>) => !nameOfSomethingElse(p))
      .nodes()
      .map((n: Node) => n.name)
  );
  const edits: TextEdit[] = [];
  for (const p of namespaces) {
    const ns: string = (p.node.specifiers![0] as Node).local.name;
    const members = memberReads(j, root, ns, (p.node.specifiers![0] as Node).local);
    if (!members || members.reads.length === 0) continue;
    const names = [...new Set(members.names)];
    if (names.some(n => taken.has(n))) continue;
    for (const n of names) taken.add(n);
    const specifier: Node = p.node.specifiers![0];
    // A name only ever read as a type (`types.CallToolResult` in an annotation) is imported as one.
    const asValue = new Set(members.reads.filter(r => r.node.type !== 'TSQualifiedName').map(r => r.name));
    const typeOnly = p.node.importKind === 'type';
    const listed = names.map(n => (asValue.has(n) || typeOnly ? n : `type ${n}`));
    edits.push({ start: specifier.start, end: specifier.end, text: `{ ${listed.join(', ')} }` });
    for (const { node, name } of members.reads) edits.push({ start: node.start, end: node.end, text: name });
  }
  return edits.length ? applyEdits(src, edits) : src;
}

/** Each `ns.X` (a value or a type), or undefined when the namespace is used any other way. */
function memberReads(
  j: JSCodeshift,
  root: any,
  ns: string,
  declared: Node
): { reads: { node: Node; name: string }[]; names: string[] } | undefined {
  const reads: { node: Node; name: string }[] = [];
  let other = false;
  root.find(j.Identifier, { name: ns }).forEach((p: ASTPath<any>) => {
    if (other || p.node === declared) return;
    const parent = p.parent.node;
    if (/MemberExpression$/.test(parent.type) && parent.object === p.node && !parent.computed) {
      reads.push({ node: parent, name: parent.property.name });
      return;
    }
    if (parent.type === 'TSQualifiedName' && parent.left === p.node) {
      reads.push({ node: parent, name: parent.right.name });
      return;
    }
    if (!nameOfSomethingElse(p)) other = true;
  });
  return other ? undefined : { reads, names: reads.map(r => r.name) };
}

/** A key, a member or a qualified type name's right side: a name that binds nothing in the file's scope. */
function nameOfSomethingElse(p: ASTPath<any>): boolean {
  const parent = p.parent?.node;
  if (!parent) return false;
  const isKey =
    /^(ObjectProperty|Property|ClassProperty|ClassMethod|ObjectMethod|TSPropertySignature|TSMethodSignature)$/.test(
      parent.type
    ) &&
    parent.key === p.node &&
    !parent.computed &&
    !parent.shorthand;
  const isProp = /MemberExpression$/.test(parent.type) && parent.property === p.node && !parent.computed;
  const isQualifiedRight = parent.type === 'TSQualifiedName' && parent.right === p.node;
  return isKey || isProp || isQualifiedRight;
}
