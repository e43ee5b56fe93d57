import fc from 'fast-check';
import { z } from 'zod';
import { parseArguments, plainly, ValidationError, withOptions } from '../../src/toolkit';
import { emailSchema, LIMITS, ULID_PATTERN } from '../../src/reference';

/*
 * parseArguments skips zod for plainly valid arguments. The plain path may only accept what zod
 * accepts, and must return exactly what zod returns; everything else must get zod's answer
 * (the same ValidationError). Checked against zod itself over hostile and valid inputs alike.
 */
enum Priority {
  Low,
  High,
}
enum Level {
  One = 1,
  Two = 2,
}
enum Color {
  Red = 'red',
  Blue = 'BLUE',
}

const ulid = plainly(z.string().regex(ULID_PATTERN, 'must be an id'), (v) => typeof v === 'string' && ULID_PATTERN.test(v));
const limit = plainly(
  z.number().superRefine((v, ctx) => {
    if (!Number.isInteger(v) || v < 1 || v > 100) ctx.addIssue({ code: 'custom', message: 'must be a whole number from 1 to 100' });
  }),
  (v) => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 100,
);
const schemas = {
  read: z.strictObject({ userId: ulid, limit: limit.optional(), cursor: z.string().nullable().optional(), consistent: z.boolean().optional() }),
  byEmail: z.strictObject({ email: emailSchema }),
  listing: z.strictObject({ status: z.enum(['active', 'suspended']), from: z.iso.datetime().optional(), role: z.enum(['owner', 'member']).optional() }),
  // Not strict: zod strips unknown keys, so the plain path must not apply at all.
  loose: z.object({ userId: ulid }),
  // A rule on the whole object: only zod can apply it.
  refined: z.strictObject({ userId: ulid, limit: limit.optional() }).refine((a) => a.limit !== 25, { message: 'must not be 25', path: ['limit'] }),
  // A numeric TypeScript enum maps its names too (Priority[1] === 'High'): zod takes the numbers only.
  numericEnum: z.strictObject({ userId: ulid, priority: z.enum(Priority), level: z.nativeEnum(Level).optional() }),
  stringEnum: z.strictObject({ userId: ulid, color: z.enum(Color).optional() }),
  // The key may be absent, an explicit undefined is refused.
  exact: z.strictObject({ userId: ulid, consistent: z.boolean().exactOptional(), cursor: z.string().nullable().exactOptional() }),
};

const validId = fc.stringMatching(ULID_PATTERN);
const value = fc.oneof(
  validId,
  fc.constantFrom('active', 'suspended', 'owner', 'member', 'a@b.co', ' A@B.CO ', 'x'.repeat(300), '', '2026-01-01T00:00:00Z', 'not a date'),
  fc.constantFrom('Low', 'High', 'One', 'Two', 'Red', 'red', 'Blue', 'BLUE', '0', '1', 0, 1, 2, 3),
  fc.string(),
  fc.integer({ min: -5, max: 150 }),
  fc.constantFrom(0, 1, 25, 100, 101, 1.5, Number.NaN, Number.POSITIVE_INFINITY, -0, 2 ** 53),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(validId, { maxLength: 2 }),
  fc.object({ maxDepth: 1 }),
);
const key = fc.constantFrom('userId', 'limit', 'cursor', 'consistent', 'email', 'status', 'from', 'role', 'priority', 'level', 'color', 'extra', '__proto__', 'constructor', 'toString');
const args = fc.dictionary(key, value, { maxKeys: 5 });
// Mostly valid calls, so the plain path is taken often and its edges (25, 100, 101, null) are hit.
const nearlyValid = fc.record(
  {
    userId: validId,
    limit: fc.constantFrom(undefined, 1, 25, 100, 101, 0, 2.5),
    cursor: fc.constantFrom(undefined, null, 'abc', 3),
    consistent: fc.constantFrom(undefined, true, false, 'yes'),
    email: fc.constantFrom('a@b.co', 'A@b.co', ' a@b.co'),
    status: fc.constantFrom('active', 'gone'),
  },
  { requiredKeys: ['userId'] },
);
const fromJson = fc.oneof(args, nearlyValid).map((a) => JSON.parse(JSON.stringify(a)) as unknown);
// Nearly valid calls of the enum and exactOptional schemas (no stray keys, so the plain path is tried).
const nearlyValidEnums = fc.oneof(
  fc.record({ userId: validId, priority: fc.constantFrom(0, 1, 2, 'Low', 'High', '1'), level: fc.constantFrom(undefined, 1, 2, 'One', 'Two') }, { requiredKeys: ['userId', 'priority'] }),
  fc.record({ userId: validId, color: fc.constantFrom(undefined, 'red', 'BLUE', 'Red', 'Blue') }, { requiredKeys: ['userId'] }),
  fc.record({ userId: validId, consistent: fc.constantFrom(undefined, true, false), cursor: fc.constantFrom(undefined, null, 'abc') }, { requiredKeys: ['userId'] }),
);
// Own fields that Object.assign and for..in do not see: non-enumerable fields and symbol keys.
const hidden = fc
  .tuple(fc.oneof(args, nearlyValid, nearlyValidEnums), fc.constantFrom('limit', 'priority', 'consistent', 'extra', 'userId'), value, fc.boolean())
  .map(([a, name, v, symbol]) => {
    const out = Object.assign({}, a) as Record<string | symbol, unknown>;
    if (symbol) out[Symbol(name)] = v;
    else Object.defineProperty(out, name, { value: v, enumerable: false, configurable: true, writable: true });
    return out as unknown;
  });

function zodAnswer(schema: z.ZodType, input: unknown): { ok: true; value: unknown } | { ok: false } {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false };
}

function ours(schema: z.ZodType, input: unknown): { ok: true; value: unknown } | { ok: false; error: unknown } {
  try {
    return { ok: true, value: parseArguments(schema, input) };
  } catch (error) {
    return { ok: false, error };
  }
}

describe('parseArguments', () => {
  it('accepts exactly what zod accepts and returns what zod returns, for any arguments', () => {
    fc.assert(
      fc.property(fc.constantFrom(...(Object.keys(schemas) as (keyof typeof schemas)[])), fc.oneof(args, nearlyValid, nearlyValidEnums, fromJson, hidden), (name, input) => {
        const schema = schemas[name];
        const expected = zodAnswer(schema, input);
        const got = ours(schema, input);
        expect(got.ok).toBe(expected.ok);
        if (got.ok && expected.ok) {
          expect(got.value).toStrictEqual(expected.value);
          // The same own keys, symbols included (in any order: zod orders them as its shape).
          const keys = (o: unknown) => Reflect.ownKeys(o as object).map(String).sort();
          expect(keys(got.value)).toEqual(keys(expected.value));
          expect(Object.getPrototypeOf(got.value)).toBe(Object.getPrototypeOf(expected.value));
        }
        if (!got.ok) expect(got.error).toBeInstanceOf(ValidationError);
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses the name of a numeric enum member, as zod does, and takes its number', () => {
    expect(() => parseArguments(schemas.numericEnum, { userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', priority: 'High' })).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'priority' }));
    expect(parseArguments(schemas.numericEnum, { userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', priority: Priority.High })).toEqual({ userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', priority: 1 });
  });

  it('refuses an explicit undefined for an .exactOptional() field, and a hidden or symbol field changes nothing', () => {
    expect(() => parseArguments(schemas.exact, { userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', consistent: undefined })).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'consistent' }));
    const hiddenLimit = Object.defineProperty({ userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }, 'limit', { value: 1000, enumerable: false });
    expect(() => parseArguments(schemas.read, hiddenLimit)).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'limit' }));
    const tagged = { userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', [Symbol('tenant')]: 'other' };
    expect(Object.getOwnPropertySymbols(parseArguments(schemas.read, tagged))).toEqual([]);
  });

  it('returns a copy of plainly valid arguments, so a later change by the caller changes nothing', () => {
    const input = { userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', limit: 25 };
    const parsed = parseArguments(schemas.read, input);
    input.userId = 'changed';
    expect(parsed).toEqual({ userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', limit: 25 });
  });

  it('checks the value it returns: a getter cannot pass one value to the check and another to the call', () => {
    let reads = 0;
    const input = {
      get userId() {
        reads += 1;
        return reads === 1 ? '01ARZ3NDEKTSV4RRFFQ69G5FAV' : 'x#other-tenant';
      },
    };
    const outcome = ours(schemas.read, input);
    if (outcome.ok) expect((outcome.value as { userId: string }).userId).toMatch(ULID_PATTERN);
  });

  it('never lets an own "__proto__" from a JSON body become the prototype of the arguments', () => {
    const input = JSON.parse('{"userId": "01ARZ3NDEKTSV4RRFFQ69G5FAV", "__proto__": {"consistent": true, "limit": 0}}') as unknown;
    expect(() => parseArguments(schemas.read, input)).toThrow(expect.objectContaining({ code: 'VALIDATION', field: '__proto__' }));
    expect(() => parseArguments(schemas.read, withOptions({ userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }, input))).toThrow(expect.objectContaining({ code: 'VALIDATION' }));
  });

  it('leaves a rule on the whole object to zod', () => {
    expect(() => parseArguments(schemas.refined, { userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', limit: 25 })).toThrow(expect.objectContaining({ code: 'VALIDATION', field: 'limit', rule: 'must not be 25' }));
  });

  it('names the field and the rule of every invalid call', () => {
    expect(() => parseArguments(schemas.read, { userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', limit: LIMITS.pageSize.max + 1 })).toThrow(
      expect.objectContaining({ code: 'VALIDATION', field: 'limit', rule: 'must be a whole number from 1 to 100' }),
    );
    expect(() => parseArguments(schemas.read, { userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', extra: 1 })).toThrow(expect.objectContaining({ field: 'extra', rule: 'is not a known field' }));
  });
});
