// Property tests of every payload schema in catalog.ts (STYLE: "a schema
// validates payloads at runtime at every boundary", "evolve payloads
// additively"): for each event and each request and response,
// - arbitrary JSON, alone or grafted anywhere into a valid payload, makes
//   safeParse answer success or a validation failure, never throw;
// - a valid payload, generated from the schema itself, survives a trip
//   through JSON (as it travels over NATS) and parses to the same value;
// - an unknown extra field is accepted and dropped (additive evolution).
// Run count and seed: FUZZ_RUNS, FUZZ_SEED (tools/fuzz/src/property-settings.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { Events, Notices, Requests } from './catalog';

/** The parts of a zod 4 schema definition this generator reads. */
interface SchemaDef {
  type: string;
  checks?: Array<{ _zod: { def: CheckDef } }>;
  format?: string;
  values?: unknown[];
  entries?: Record<string, string>;
  element?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  items?: z.ZodType[];
  getter?: () => z.ZodType;
}
interface CheckDef {
  check: string;
  minimum?: number;
  maximum?: number;
  value?: number;
  inclusive?: boolean;
  format?: string;
  pattern?: RegExp;
}

const defOf = (schema: z.ZodType): SchemaDef => (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
const checksOf = (def: SchemaDef): CheckDef[] => (def.checks ?? []).map((c) => c._zod.def);

/** Host-name-like text, for patterns fast-check cannot generate from (look-behind). */
const dnsName = fc.array(fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/), { minLength: 2, maxLength: 4 }).map((labels) => labels.join('.'));

function stringArbitrary(schema: z.ZodType, def: SchemaDef): fc.Arbitrary<string> {
  const checks = checksOf(def);
  const min = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
  const max = Math.min(checks.find((c) => c.check === 'max_length')?.maximum ?? 40, min + 40);
  const pattern = checks.find((c) => c.format === 'regex')?.pattern;
  let base: fc.Arbitrary<string>;
  if (def.format === 'datetime') {
    base = fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());
  } else if (pattern !== undefined) {
    try {
      base = fc.stringMatching(pattern);
    } catch {
      base = dnsName;
    }
  } else {
    base = fc.string({ unit: 'grapheme', minLength: min, maxLength: max });
  }
  return base.filter((s) => schema.safeParse(s).success);
}

function numberArbitrary(def: SchemaDef): fc.Arbitrary<number> {
  const checks = checksOf(def);
  const integer = checks.some((c) => c.check === 'number_format');
  const low = checks.find((c) => c.check === 'greater_than');
  const high = checks.find((c) => c.check === 'less_than');
  const min = low?.value === undefined ? undefined : low.value + (low.inclusive ? 0 : 1);
  const max = high?.value === undefined ? undefined : high.value - (high.inclusive ? 0 : 1);
  if (integer) return fc.integer({ min: Math.max(min ?? -1e9, Number.MIN_SAFE_INTEGER), max: Math.min(max ?? 1e9, Number.MAX_SAFE_INTEGER) });
  // JSON has no -0: it comes back as 0
  return fc.double({ noNaN: true, noDefaultInfinity: true, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) }).map((x) => (x === 0 ? 0 : x));
}

/** Valid values of `schema`, built from its definition. */
function arbitraryFor(schema: z.ZodType): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return stringArbitrary(schema, def);
    case 'number':
      return numberArbitrary(def);
    case 'boolean':
      return fc.boolean();
    case 'literal':
      return fc.constantFrom(...(def.values ?? []));
    case 'enum':
      return fc.constantFrom(...Object.values(def.entries ?? {}));
    case 'array': {
      const checks = checksOf(def);
      const minLength = checks.find((c) => c.check === 'min_length')?.minimum ?? 0;
      const maxLength = Math.min(checks.find((c) => c.check === 'max_length')?.maximum ?? minLength + 3, minLength + 3);
      return fc.array(arbitraryFor(def.element as z.ZodType), { minLength, maxLength });
    }
    case 'optional':
    case 'default':
      return arbitraryFor(def.innerType as z.ZodType);
    case 'nullable':
      return fc.option(arbitraryFor(def.innerType as z.ZodType), { nil: null });
    case 'union':
      // a recursive schema (SEARCH keys) ends: past the depth only its first option (a leaf) is taken
      return fc.oneof({ depthIdentifier: 'schema', maxDepth: 3 }, ...(def.options ?? []).map(arbitraryFor));
    case 'tuple':
      return fc.tuple(...(def.items ?? []).map(arbitraryFor));
    case 'lazy':
      // built when generating, not before: the schema refers to itself
      return fc.constant(null).chain(() => arbitraryFor((def.getter as () => z.ZodType)()));
    case 'record':
      return fc.dictionary(arbitraryFor(def.keyType as z.ZodType) as fc.Arbitrary<string>, arbitraryFor(def.valueType as z.ZodType), { maxKeys: 3 });
    case 'object': {
      const shape = def.shape ?? {};
      const arbitraries = Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, arbitraryFor(value)]));
      const requiredKeys = Object.keys(shape).filter((key) => !['optional', 'default'].includes(defOf(shape[key] as z.ZodType).type));
      return fc.record(arbitraries, { requiredKeys });
    }
    default:
      throw new Error(`catalog.fuzz.spec.ts: no generator for zod type ${def.type}`);
  }
}

/** Every payload schema of the catalog, by a readable name. */
const schemas: Array<[string, z.ZodType]> = [
  ...Object.entries(Events).map(([name, event]): [string, z.ZodType] => [`event ${name}`, event.schema]),
  ...Object.entries(Notices).map(([name, notice]): [string, z.ZodType] => [`notice ${name}`, notice.schema]),
  ...Object.entries(Requests).flatMap(([name, request]): Array<[string, z.ZodType]> => [
    [`request ${name}`, request.request],
    [`response ${name}`, request.response],
  ]),
];

/** Replace the value at the `index`-th node (depth first) of `value` with `graft`. */
function graftAt(value: unknown, index: number, graft: unknown): unknown {
  let remaining = index;
  const walk = (node: unknown): unknown => {
    if (remaining-- === 0) return graft;
    if (Array.isArray(node)) return node.map(walk);
    if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return walk(value);
}

describe('payload schemas of the catalog (fuzz)', () => {
  for (const [name, schema] of schemas) {
    it(`${name}: never throws on arbitrary JSON, round-trips valid payloads through JSON, ignores unknown fields`, () => {
      const extraKey = fc.string({ minLength: 1, maxLength: 12 }).map((k) => `x-${k}`);
      fc.assert(
        fc.property(arbitraryFor(schema), fc.jsonValue({ maxDepth: 3 }), fc.nat(), extraKey, (valid, junk, at, extra) => {
          // Arbitrary JSON, alone and grafted into a valid payload: a verdict, never an exception
          expect(typeof schema.safeParse(junk).success).toBe('boolean');
          expect(typeof schema.safeParse(graftAt(valid, at % 40, junk)).success).toBe('boolean');
          // A valid payload survives the wire
          const parsed = schema.safeParse(valid);
          expect(parsed.error?.issues ?? []).toEqual([]);
          const wire = JSON.parse(JSON.stringify(parsed.data)) as unknown;
          expect(schema.parse(wire)).toEqual(parsed.data);
          // Additive evolution: an unknown field is accepted and dropped
          if (valid !== null && typeof valid === 'object' && !Array.isArray(valid)) {
            const withExtra = schema.safeParse({ ...valid, [extra]: junk });
            expect(withExtra.success).toBe(true);
            expect(Object.keys(withExtra.data as object)).not.toContain(extra);
          }
        }),
      );
    });
  }
});
