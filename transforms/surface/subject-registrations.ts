/**
 * Where the arguments of a v1 registration went in its v2 form, read from the modules a test imports (its subjects):
 * `.tool(name, description, shape, callback)` became `registerTool(name, { description, inputSchema:
 * z.object(shape) }, callback)`, so a test double's `args[2]` is now `args[1].inputSchema.shape`. A position is known
 * only when every registration of that kind in the subjects puts the same thing there. The subjects are read as they
 * are on disk: v1 text on a first run (a run writes after every file is rewritten), this rewrite's own v2 form on a
 * later one, which says the same (its config keys in v1's order, the shape wrapped in `z.object`).
 */
import type { JSCodeshift } from 'jscodeshift';
import { isFunction, moduleConstants, propertyNamed } from '../kit/ast.js';
import { parseFresh } from '../kit/parse.js';
import { readProjectModule } from '../kit/project-modules.js';
import { legacyShape, registerOf } from './registration-shapes.js';

type Node = any;

/** Where a v1 argument is in the v2 call: the argument's index, then the path into it (`.description`). */
export interface V2Place {
  index: number;
  path: string;
}

const SCHEMA_KEY: Record<string, string> = { tool: 'inputSchema', prompt: 'argsSchema' };
/** Parsed subject modules: path → kind → the places of each registration's arguments. */
const perModule = new Map<string, Map<string, V2Place[][]>>();

/** v1 position → v2 place, over every registration of `kind` in the relative modules `imports` name; undefined when
 * they hold none. A position two registrations disagree on is left out. */
export function subjectPlaces(
  j: JSCodeshift,
  file: string,
  imports: string[],
  kind: string
): Map<number, V2Place> | undefined {
  const calls: V2Place[][] = [];
  for (const specifier of imports) {
    const subject = readProjectModule(file, specifier);
    if (subject) calls.push(...registrationsIn(j, subject.path, subject.text).get(kind)!);
  }
  if (!calls.length) return undefined;
  const places = new Map<number, V2Place>();
  const disputed = new Set<number>();
  for (const call of calls)
    call.forEach((place, position) => {
      const known = places.get(position);
      if (known && (known.index !== place.index || known.path !== place.path)) disputed.add(position);
      else places.set(position, place);
    });
  for (const position of disputed) places.delete(position);
  return places;
}

function registrationsIn(j: JSCodeshift, file: string, text: string): Map<string, V2Place[][]> {
  let kinds = perModule.get(file);
  if (kinds) return kinds;
  kinds = new Map(['tool', 'prompt', 'resource'].map(k => [k, []]));
  perModule.set(file, kinds);
  if (!/\.(?:tool|prompt|resource|registerTool|registerPrompt|registerResource)\s*\(/.test(text)) return kinds;
  let root;
  try {
    root = parseFresh(j, file, text);
  } catch {
    return kinds; // a subject that does not parse says nothing
  }
  const constants = moduleConstants(root.get().node.program);
  root.find(j.CallExpression, { callee: { type: 'MemberExpression' } }).forEach(p => {
    const method = (p.node.callee as Node).property?.name;
    for (const [kind, calls] of kinds!) {
      const places =
        method === kind
          ? v1Places(kind, p.node.arguments, constants)
          : method === registerOf(kind)
            ? v2Places(kind, p.node.arguments)
            : undefined;
      if (places) calls.push(places);
    }
  });
  return kinds;
}

/** A v1 call's arguments, each with the place the rewrite gives it (registrations.ts writes the config). */
function v1Places(kind: string, args: Node[], constants: ReadonlyMap<string, Node>): V2Place[] | undefined {
  const shape = legacyShape(kind, args, constants);
  if (!shape) return undefined;
  if (kind === 'resource') {
    // `.resource(name, uri, callback)` gains an empty metadata object before the callback.
    return args.map((a, i) => ({ index: a === shape.callback ? 3 : i, path: '' }));
  }
  return args.map(a => {
    if (a === shape.name) return { index: 0, path: '' };
    if (a === shape.callback) return { index: 2, path: '' };
    if (a === shape.description) return { index: 1, path: '.description' };
    // v1 took raw shapes only; v2 holds `z.object(shape)`, whose `.shape` is the one the test built its double with.
    if (a === shape.schema) return { index: 1, path: `.${SCHEMA_KEY[kind]}.shape` };
    return { index: 1, path: '.annotations' };
  });
}

/** A call in the v2 form this rewrite writes, read back into v1 positions; undefined for any other v2 call. */
function v2Places(kind: string, args: Node[]): V2Place[] | undefined {
  if (kind === 'resource') {
    if (args.length !== 4 || !isFunction(args[3])) return undefined;
    const noMetadata = args[2]?.type === 'ObjectExpression' && args[2].properties.length === 0;
    const places = [0, 1, 2, 3].map(index => ({ index, path: '' }));
    return noMetadata ? [places[0]!, places[1]!, places[3]!] : places;
  }
  const [, config, callback] = args;
  if (args.length !== 3 || config?.type !== 'ObjectExpression' || !isFunction(callback)) return undefined;
  const keys = ['description', SCHEMA_KEY[kind]!, 'annotations'];
  const names = config.properties.map((p: Node) => p.key?.name ?? p.key?.value);
  // Only the keys the rewrite writes, in its order, with the schema as it wraps it.
  if (names.some((n: string) => !keys.includes(n))) return undefined;
  if (names.join() !== keys.filter(k => names.includes(k)).join()) return undefined;
  const schema = propertyNamed(config, SCHEMA_KEY[kind]!)?.value;
  if (schema && !(schema.type === 'CallExpression' && schema.callee?.property?.name === 'object')) return undefined;
  return [
    { index: 0, path: '' },
    ...names.map((n: string) => ({ index: 1, path: n === SCHEMA_KEY[kind] ? `.${n}.shape` : `.${n}` })),
    { index: 2, path: '' }
  ];
}
