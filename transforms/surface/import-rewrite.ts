/**
 * v1 SDK imports and re-exports become v2 ones, symbol by symbol (routing.ts): each declaration is replaced where it
 * stands, symbols bound for the same entry point join the first declaration that needs it, and type-only
 * declarations stay type-only. A symbol v2 has no export of stays imported from its v1 module under a TODO marker
 * (its uses are never left without a binding). Namespace imports are split per entry point when their members need
 * several. Renamed symbols imported without an alias are recorded for the reference pass.
 */
import type { ASTPath } from 'jscodeshift';
import { sdkModulePath } from './specifiers.js';
import { factsOf } from './module-map.js';
import { preferredEntry, routeSymbol, sidePackage, v1Exported, type Route } from './routing.js';
import type { SurfaceContext } from './surface-context.js';
import { GLOBAL_REPLACEMENTS } from './renames.js';
import { isReference } from './references.js';
import { aliasZodCompatTypes } from './zod-compat-types.js';
import { importZodCompat } from './zod-compat-helpers.js';

type Node = any;

const ZOD_COMPAT = 'server/zod-compat';

interface Binding {
  v2Name: string;
  local: string;
  typeOnly: boolean;
  /** The local name the source uses (before renames), for counting its uses. */
  sourceLocal: string;
}

interface Declaration {
  node: Node;
  kind: 'import' | 'export';
  typeOnly: boolean;
  /** The declaration's own layout: one specifier per line, with this indent, and a trailing comma. */
  multiline?: { indent: string; trailingComma: boolean };
}

/**
 * Routes the file's v1 imports; returns the step that writes them, to run after the other passes (a name whose
 * every use they rewrote away, like a schema that became a method string, is then not imported at all).
 */
export function rewriteImports(ctx: SurfaceContext): () => void {
  const { j, root } = ctx;
  const declarations: { decl: Declaration; bindings: Map<string, Binding[]>; residue: Node[]; modulePath: string }[] =
    [];
  const notes = new Set<string>();
  root.find(j.ImportDeclaration).forEach((p: ASTPath<any>) => {
    const modulePath = sdkModulePath(p.node.source.value, ctx.options);
    if (modulePath === undefined) return;
    if (modulePath === ZOD_COMPAT && aliasZodCompatTypes(ctx, p, 'import')) return;
    if (importZodCompat(ctx, p.node, modulePath)) return;
    const decl = declarationOf(ctx, p.node, 'import');
    const specs: Node[] = p.node.specifiers ?? [];
    if (specs.length === 0) {
      // `import '…/sdk/…'` for its side effects: the module's v2 home, when it has one.
      const target = preferredEntry(modulePath, ctx.side);
      if (target) ctx.edits.push(specifierEdit(ctx, p.node.source, target));
      else
        ctx.mark(
          p.node,
          'TODO',
          'removed-module',
          factsOf(modulePath)?.removed ?? `${p.node.source.value} has no v2 counterpart`
        );
      return;
    }
    if (specs.some(s => s.type === 'ImportNamespaceSpecifier')) return rewriteNamespace(ctx, p, modulePath);
    const bindings = new Map<string, Binding[]>();
    const residue: Node[] = [];
    for (const s of specs) {
      if (s.type === 'ImportDefaultSpecifier') {
        residue.push(s);
        ctx.mark(
          p.node,
          'TODO',
          'removed-symbol',
          `the v1 SDK has no default export to map; import what ${s.local.name} is used for by name from the v2 packages`
        );
        continue;
      }
      const name = s.imported.name ?? s.imported.value;
      const local = s.local?.name ?? name;
      ctx.imported.set(local, name);
      if (Object.hasOwn(GLOBAL_REPLACEMENTS, name)) {
        if (local === name) ctx.renamed.set(local, GLOBAL_REPLACEMENTS[name]!);
        continue;
      }
      const route = routeSymbol(name, modulePath, ctx.side);
      note(ctx, route, local);
      const typeOnly = decl.typeOnly || s.importKind === 'type';
      if (!route.target && typeOnly && !v1Exported(name)) {
        // A type v1 never exported (the import was already unresolved, and erased at run time): it goes with the
        // module's other names, as unresolved as before, instead of keeping the v1 package for nothing.
        route.target = preferredEntry(modulePath, ctx.side) ?? sidePackage(ctx.side);
        ctx.mark(
          p.node,
          'NOTE',
          'unknown-symbol',
          `${name} is exported by neither @modelcontextprotocol/sdk 1.x nor the v2 packages, so this import did not ` +
            `resolve before the migration either; import it from where it is declared`
        );
      }
      if (!route.target) {
        residue.push(s);
        ctx.mark(p.node, 'TODO', 'removed-symbol', `${name}: ${route.removed}`);
        continue;
      }
      const list = bindings.get(route.target) ?? [];
      list.push({ v2Name: route.v2Name, local: local === name ? route.v2Name : local, typeOnly, sourceLocal: local });
      bindings.set(route.target, list);
      if (local === name && route.v2Name !== name) ctx.renamed.set(local, route.v2Name);
    }
    const facts = factsOf(modulePath);
    // One note per file and package is enough: every import of it says the same.
    if (facts?.note && bindings.size && !notes.has(facts.note)) {
      notes.add(facts.note);
      ctx.mark(p.node, 'NOTE', 'legacy-package', facts.note);
    }
    declarations.push({ decl, bindings, residue, modulePath });
  });
  root.find(j.ExportNamedDeclaration).forEach((p: ASTPath<any>) => {
    if (!p.node.source) return;
    const modulePath = sdkModulePath(p.node.source.value, ctx.options);
    if (modulePath === undefined) return;
    if (modulePath === ZOD_COMPAT && aliasZodCompatTypes(ctx, p, 'export')) return;
    if (importZodCompat(ctx, p.node, modulePath)) return;
    const decl = declarationOf(ctx, p.node, 'export');
    const bindings = new Map<string, Binding[]>();
    const residue: Node[] = [];
    for (const s of p.node.specifiers ?? []) {
      const name = s.local?.name ?? s.local?.value;
      const exported = s.exported?.name ?? s.exported?.value ?? name;
      const route = routeSymbol(name, modulePath, ctx.side);
      if (!route.target) {
        residue.push(s);
        ctx.mark(p.node, 'TODO', 'removed-symbol', `${name}: ${route.removed}`);
        continue;
      }
      const list = bindings.get(route.target) ?? [];
      // Re-exported under the name the importers of this module know.
      list.push({
        v2Name: route.v2Name,
        local: exported,
        typeOnly: decl.typeOnly || s.exportKind === 'type',
        sourceLocal: ''
      });
      bindings.set(route.target, list);
    }
    declarations.push({ decl, bindings, residue, modulePath });
  });
  root.find(j.ExportAllDeclaration).forEach((p: ASTPath<any>) => {
    const modulePath = sdkModulePath(p.node.source.value, ctx.options);
    if (modulePath === undefined) return;
    const target = preferredEntry(modulePath, ctx.side);
    if (target) ctx.edits.push(specifierEdit(ctx, p.node.source, target));
    else
      ctx.mark(
        p.node,
        'TODO',
        'removed-module',
        factsOf(modulePath)?.removed ?? `${p.node.source.value} has no v2 counterpart`
      );
  });
  return () => emit(ctx, declarations);
}

/** Records what later passes need to know about a routed symbol (by the local name the source uses). */
function note(ctx: SurfaceContext, route: Route, local: string): void {
  if (route.name === 'RequestHandlerExtra') ctx.contextTypes.add(local);
  if (route.name === 'ErrorCode') ctx.errorCode = local;
}

function declarationOf(ctx: SurfaceContext, node: Node, kind: 'import' | 'export'): Declaration {
  const typeOnly = kind === 'import' ? node.importKind === 'type' : node.exportKind === 'type';
  const text = ctx.src.slice(node.start, node.end);
  const specs: Node[] = node.specifiers ?? [];
  if (!text.slice(0, text.indexOf('}') + 1).includes('\n') || specs.length === 0) return { node, kind, typeOnly };
  const first = specs[0];
  const lineStart = ctx.src.lastIndexOf('\n', first.start - 1) + 1;
  const indent = /^[ \t]*/.exec(ctx.src.slice(lineStart))![0];
  const afterLast = ctx.src.slice(specs[specs.length - 1].end, node.end);
  return { node, kind, typeOnly, multiline: { indent, trailingComma: /^\s*,/.test(afterLast) } };
}

function specifierEdit(ctx: SurfaceContext, source: Node, target: string) {
  return { start: source.start, end: source.end, text: `${ctx.quote}${target}${ctx.quote}` };
}

/** Writes each target's declaration where the first declaration needing it stood; the others go. */
function emit(
  ctx: SurfaceContext,
  found: { decl: Declaration; bindings: Map<string, Binding[]>; residue: Node[]; modulePath: string }[]
): void {
  const unused = unusedNow(ctx);
  for (const f of found) {
    for (const [target, bindings] of f.bindings) {
      const left = bindings.filter(b => !unused.has(b.sourceLocal));
      if (left.length) f.bindings.set(target, left);
      else f.bindings.delete(target);
    }
  }
  const placed = new Map<string, { bindings: Binding[]; decl: Declaration }>();
  const texts: { decl: Declaration; targets: string[]; residue: Node[] }[] = [];
  for (const f of found) {
    const targets: string[] = [];
    for (const [target, bindings] of f.bindings) {
      const key = `${f.decl.kind}:${f.decl.typeOnly}:${target}`;
      const existing = placed.get(key);
      if (existing) existing.bindings.push(...bindings);
      else {
        placed.set(key, { bindings: [...bindings], decl: f.decl });
        targets.push(target);
      }
    }
    texts.push({ decl: f.decl, targets, residue: f.residue });
  }
  for (const { decl, targets, residue } of texts) {
    const lines: string[] = targets.map(target => {
      const { bindings } = placed.get(`${decl.kind}:${decl.typeOnly}:${target}`)!;
      return declarationText(ctx, decl, target, dedupe(bindings));
    });
    if (residue.length) lines.push(residueText(ctx, decl, residue));
    const node = decl.node;
    if (lines.length === 0) {
      ctx.edits.push(wholeLine(ctx.src, node));
      continue;
    }
    const indent = /^[ \t]*/.exec(ctx.src.slice(ctx.src.lastIndexOf('\n', node.start - 1) + 1))![0];
    ctx.edits.push({ start: node.start, end: node.end, text: lines.join(`\n${indent}`) });
  }
}

/** Imported names every use of which another pass rewrote away. */
function unusedNow(ctx: SurfaceContext): Set<string> {
  const out = new Set<string>();
  if (ctx.dropped.size === 0) return out;
  const uses = new Map<string, number>();
  ctx.root.find(ctx.j.Identifier).forEach((p: ASTPath<any>) => {
    if (ctx.dropped.has(p.node.name) && isReference(p)) uses.set(p.node.name, (uses.get(p.node.name) ?? 0) + 1);
  });
  for (const [name, dropped] of ctx.dropped) if ((uses.get(name) ?? 0) <= dropped) out.add(name);
  return out;
}

function dedupe(bindings: Binding[]): Binding[] {
  const seen = new Set<string>();
  return bindings.filter(b => {
    const key = `${b.v2Name}:${b.local}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function declarationText(ctx: SurfaceContext, decl: Declaration, target: string, bindings: Binding[]): string {
  const items = bindings.map(b => {
    const name = b.v2Name === b.local ? b.v2Name : `${b.v2Name} as ${b.local}`;
    return b.typeOnly && !decl.typeOnly ? `type ${name}` : name;
  });
  const keyword =
    decl.kind === 'import' ? (decl.typeOnly ? 'import type' : 'import') : decl.typeOnly ? 'export type' : 'export';
  const from = `${ctx.quote}${target}${ctx.quote}`;
  const semi = ctx.src.slice(decl.node.start, decl.node.end).trimEnd().endsWith(';') ? ';' : '';
  if (decl.multiline) {
    const { indent, trailingComma } = decl.multiline;
    const outer = indent.slice(0, Math.max(0, indent.length - (indent.includes('\t') ? 1 : 2)));
    return `${keyword} {\n${items.map(i => `${indent}${i}`).join(',\n')}${trailingComma ? ',' : ''}\n${outer}} from ${from}${semi}`;
  }
  return `${keyword} { ${items.join(', ')} } from ${from}${semi}`;
}

/** The specifiers with no v2 home, kept on the v1 module so their uses still have a binding. */
function residueText(ctx: SurfaceContext, decl: Declaration, residue: Node[]): string {
  const node = decl.node;
  const parts = residue.map(s => ctx.src.slice(s.start, s.end));
  const defaults = residue.filter(s => s.type === 'ImportDefaultSpecifier').map(s => ctx.src.slice(s.start, s.end));
  const named = parts.filter((_, i) => residue[i].type !== 'ImportDefaultSpecifier');
  const keyword =
    decl.kind === 'import' ? (decl.typeOnly ? 'import type' : 'import') : decl.typeOnly ? 'export type' : 'export';
  const list = [...defaults, ...(named.length ? [`{ ${named.join(', ')} }`] : [])].join(', ');
  const semi = ctx.src.slice(node.start, node.end).trimEnd().endsWith(';') ? ';' : '';
  return `${keyword} ${list} from ${ctx.src.slice(node.source.start, node.source.end)}${semi}`;
}

function wholeLine(src: string, node: Node) {
  const start = src.lastIndexOf('\n', node.start - 1) + 1;
  const before = src.slice(start, node.start);
  const nl = src.indexOf('\n', node.end);
  const after = src.slice(node.end, nl < 0 ? src.length : nl);
  if (!/^[ \t]*$/.test(before) || !/^[ \t]*$/.test(after)) return { start: node.start, end: node.end, text: '' };
  let end = nl < 0 ? src.length : nl + 1;
  // The file's first line going: the blank line after it would open the file.
  if (start === 0 && /^\r?\n/.test(src.slice(end))) end += src[end] === '\r' ? 2 : 1;
  return { start, end, text: '' };
}

/**
 * `import * as t from '…/types.js'`: the members the file reads decide the entry point; when they need several, one
 * namespace import per entry point (the extra ones named `<t>Core`, …) and the member reads follow.
 */
function rewriteNamespace(ctx: SurfaceContext, p: ASTPath<any>, modulePath: string): void {
  const { j, root } = ctx;
  const ns = p.node.specifiers.find((s: Node) => s.type === 'ImportNamespaceSpecifier').local.name;
  const reads = root
    .find(j.Identifier, { name: ns })
    .filter(
      (r: ASTPath<any>) => r.parent?.node !== p.node.specifiers[0] && r.parent?.node.type !== 'ImportNamespaceSpecifier'
    );
  const byTarget = new Map<string, { member: Node; route: Route }[]>();
  let unrouted = false;
  reads.forEach((r: ASTPath<any>) => {
    const parent = r.parent.node;
    const isMember =
      (parent.type === 'MemberExpression' && parent.object === r.node && !parent.computed) ||
      (parent.type === 'TSQualifiedName' && parent.left === r.node);
    if (!isMember) {
      unrouted = true;
      return;
    }
    const member = parent.type === 'TSQualifiedName' ? parent.right : parent.property;
    const route = routeSymbol(member.name, modulePath, ctx.side);
    if (!route.target) {
      unrouted = true;
      ctx.mark(r, 'TODO', 'removed-symbol', `${member.name}: ${route.removed}`);
      return;
    }
    byTarget.set(route.target, [...(byTarget.get(route.target) ?? []), { member, route }]);
  });
  if (unrouted) {
    // Read whole (handed to an instrumentation of the v1 SDK, `Object.keys(types)`): it stays on the v1 module, and the
    // manifest keeps the v1 SDK for it; names v2 does not have are marked where they are read.
    if (byTarget.size)
      ctx.mark(
        p.node,
        'TODO',
        'namespace-import',
        `${ns} is used whole or for names v2 does not have; import what it is used for by name from the v2 packages`
      );
    return;
  }
  // The file's own side package keeps the namespace's name; the others get a suffix.
  const targets = [...byTarget.keys()].sort(
    (a, b) => Number(b === sidePackage(ctx.side)) - Number(a === sidePackage(ctx.side))
  );
  if (targets.length === 0) {
    const target = preferredEntry(modulePath, ctx.side);
    if (target) ctx.edits.push(specifierEdit(ctx, p.node.source, target));
    return;
  }
  const names = targets.map((t, i) =>
    i === 0
      ? ns
      : `${ns}${t
          .split('/')
          .pop()!
          .replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase())}`
  );
  const keyword = p.node.importKind === 'type' ? 'import type' : 'import';
  const semi = ctx.src.slice(p.node.start, p.node.end).trimEnd().endsWith(';') ? ';' : '';
  ctx.edits.push({
    start: p.node.start,
    end: p.node.end,
    text: targets.map((t, i) => `${keyword} * as ${names[i]} from ${ctx.quote}${t}${ctx.quote}${semi}`).join('\n')
  });
  targets.forEach((t, i) => {
    for (const { member, route } of byTarget.get(t)!) {
      if (route.v2Name !== member.name) ctx.edits.push({ start: member.start, end: member.end, text: route.v2Name });
      if (i > 0) {
        const objectEnd = member.start - 1; // the `.` before the member
        const objectStart = objectEnd - ns.length;
        ctx.edits.push({ start: objectStart, end: objectEnd, text: names[i]! });
      }
    }
  });
}
