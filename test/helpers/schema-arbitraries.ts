/**
 * fast-check arbitraries for tool arguments: shaped by a JSON Schema so valid objects occur, with noise at every
 * level (and values right at each bound) so near misses occur too.
 */
import fc from 'fast-check';

/** Argument objects built from the names and values the schema talks about, nested, plus arbitrary JSON. */
export function argumentsFor(schema: object): fc.Arbitrary<unknown> {
  const names = new Set<string>();
  const strings = new Set<string>(['', 'x', 'ABC-1234', 'someone']);
  JSON.stringify(schema, (key, value) => {
    if (key === 'properties' || key === 'dependentRequired' || key === 'dependencies' || key === 'dependentSchemas')
      Object.keys(value).forEach(k => names.add(k));
    if (key === 'required' && Array.isArray(value)) value.forEach(v => names.add(v));
    return value;
  });
  // A schema that names no property still gets objects with some key.
  if (names.size === 0) names.add('x');
  const { value } = fc.letrec(tie => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.constantFrom(...strings),
      fc.integer({ min: -2, max: 3 }),
      fc.double({ min: -2, max: 3, noNaN: true }),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...names), tie('value'), { maxKeys: names.size })
    )
  }));
  return fc.oneof(
    { weight: 4, arbitrary: conforming(schema, schema, 0) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...names), value, { maxKeys: names.size }) },
    { weight: 1, arbitrary: fc.jsonValue() }
  );
}

/**
 * Values shaped by the (draft) schema itself, so that valid arguments actually occur: each property optional,
 * patterns honoured by fc.stringMatching, with a little noise at every level so near-misses occur too.
 */
function conforming(s: any, root: any, depth: number): fc.Arbitrary<unknown> {
  const noise = fc.oneof(fc.constantFrom('', 'x', 0, 1, -1, 2.5, true, null), fc.jsonValue({ maxDepth: 1 }));
  if (depth > 6 || typeof s !== 'object' || s === null) return noise;
  if (typeof s.$ref === 'string') return conforming(resolve(root, s.$ref), root, depth + 1);
  let shaped: fc.Arbitrary<unknown> = noise;
  if (Array.isArray(s.enum)) shaped = fc.constantFrom(...s.enum);
  else if (s.type === 'object' || s.properties) {
    const fields = Object.fromEntries(
      Object.entries(s.properties ?? {}).map(([k, v]) => [k, conforming(v, root, depth + 1)])
    );
    const record = fc.record(fields, { requiredKeys: [] });
    // Now and then one key the schema does not name, so additionalProperties / propertyNames rules are exercised.
    const extra = fc
      .tuple(record, fc.constantFrom('extra', 'x'), noise)
      .map(([o, k, v]) => ({ ...(o as object), [k]: v }));
    shaped = fc.oneof({ weight: 4, arbitrary: record }, { weight: 1, arbitrary: extra });
  } else if (s.type === 'array' && Array.isArray(s.items)) {
    const tuple = fc.tuple(...s.items.map((i: unknown) => conforming(i, root, depth + 1)));
    shaped = fc.oneof(
      tuple,
      fc.tuple(tuple, noise).map(([t, extra]) => [...t, extra])
    );
  } else if (s.type === 'array') shaped = fc.array(conforming(s.items ?? true, root, depth + 1), { maxLength: 3 });
  else if (s.type === 'string')
    shaped = s.pattern ? fc.oneof(fc.stringMatching(new RegExp(s.pattern)), lengths(s)) : lengths(s);
  else if (s.type === 'integer') shaped = fc.oneof(fc.integer({ min: -2, max: 5 }), nearBounds(s).map(Math.round));
  else if (s.type === 'number') shaped = fc.oneof(fc.double({ min: -2, max: 5, noNaN: true }), nearBounds(s));
  else if (s.type === 'boolean') shaped = fc.boolean();
  return fc.oneof({ weight: 8, arbitrary: shaped }, { weight: 1, arbitrary: noise });
}

/** Numbers on, just inside and just outside each bound the schema names. */
function nearBounds(s: any): fc.Arbitrary<number> {
  const bounds = [s.minimum, s.maximum, s.exclusiveMinimum, s.exclusiveMaximum].filter(
    (b): b is number => typeof b === 'number'
  );
  const around = bounds.flatMap(b => [b, b - 1, b + 1, b - 0.5, b + 0.5]);
  return around.length ? fc.constantFrom(...around) : fc.integer({ min: -2, max: 5 });
}

/** Strings short, long, and right at minLength / maxLength and one past them. */
function lengths(s: any): fc.Arbitrary<string> {
  const edges = [s.minLength, s.maxLength]
    .filter((n): n is number => typeof n === 'number')
    .flatMap(n => [n - 1, n, n + 1])
    .filter(n => n >= 0);
  const sized = edges.length
    ? fc.constantFrom(...edges).chain(n => fc.string({ minLength: n, maxLength: n }))
    : fc.string({ maxLength: 4 });
  return fc.oneof(fc.string({ maxLength: 4 }), sized);
}

function resolve(root: any, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((node: any, part) => node?.[part], root);
}
