import { plainly } from '../toolkit';
import { z } from 'zod';
import { MEMBER_ROLES } from '../entities/membership';
import { ORDER_STATUSES } from '../entities/order';
import { ORGANIZATION_PLANS } from '../entities/organization';
import { USER_STATUSES } from '../entities/user';

/*
 * Every value that ends up in a key has a charset without the key delimiters (`#`) or a fixed
 * length, or is the only variable part of its key: that is what keeps key composition injective
 * (see test/security/key-composition.test.ts). Keys are stored with casing 'none', so case is
 * preserved and `ABC` and `abc` SKUs stay distinct.
 */

/** Crockford base32 ULID, as issued by this service. */
export const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
/** SKU: letters, digits, `.`, `_`, `-`; starts with a letter or digit; 1-64 characters. */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Idempotency key: letters, digits, `.`, `_`, `:`, `-`; 1-128 characters. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;
// HTML living standard's email grammar (what browsers accept), lowercase after normalization.
const EMAIL_PATTERN = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const CONTROL_CHARS = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
// What renders as nothing: whitespace, combining marks on their own, and the filler characters
// (Hangul fillers, halfwidth filler, braille blank) that are letters or symbols to Unicode but
// show as blank. A name made only of these is blank to a reader.
const INVISIBLE = /[\p{White_Space}\p{M}\u115F\u1160\u3164\uFFA0\u2800]/gu;

export const LIMITS = {
  nameLength: 200,
  userAgentLength: 512,
  emailLength: 254,
  itemsPerOrder: { min: 1, max: 97 },
  quantity: { min: 1, max: 10_000 },
  unitPriceCents: { min: 0, max: 100_000_000 },
  ttlSeconds: { min: 60, max: 90 * 24 * 3600 },
  pageSize: { min: 1, max: 100, default: 25 },
} as const;

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

const id = (what: string) => plainly(z.string({ error: 'must be a string' }).regex(ULID_PATTERN, `must be a ${what} id (26-character ULID)`), (v) => typeof v === 'string' && ULID_PATTERN.test(v));
export const userIdSchema = id('user');
export const orgIdSchema = id('organization');
export const orderIdSchema = id('order');
export const sessionIdSchema = id('session');

export const emailSchema = plainly(
  z
    .string({ error: 'must be a string' })
    .trim()
    .toLowerCase()
    .max(LIMITS.emailLength, `must be at most ${LIMITS.emailLength} characters`)
    .regex(EMAIL_PATTERN, 'is not an email address'),
  // The pattern admits no whitespace and no capitals: an email it accepts is already normalized.
  (v) => typeof v === 'string' && v.length <= LIMITS.emailLength && EMAIL_PATTERN.test(v),
);

const text = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters')
    .refine((s) => s.length === 0 || s.replace(INVISIBLE, '').length > 0, 'must contain a visible character');

export const nameSchema = text(LIMITS.nameLength);
export const userAgentSchema = text(LIMITS.userAgentLength);

// One message per value, the most telling first: NaN and ±Infinity are not "not a number" to a
// reader, and 2^53 or 1e300 are out of range before they are "not whole".
const int = (min: number, max: number) =>
  plainly(
    z
      .number({ error: (issue) => (typeof issue.input === 'number' ? 'must be a finite number' : 'must be a number') })
      .superRefine((v, ctx) => {
        const message = v < min ? `must be at least ${min}` : v > max ? `must be at most ${max}` : Number.isInteger(v) ? undefined : 'must be a whole number';
        if (message) ctx.addIssue({ code: 'custom', message, input: v });
      }),
    (v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max,
  );

export const limitSchema = int(LIMITS.pageSize.min, LIMITS.pageSize.max).optional();
export const cursorSchema = z.string({ error: 'must be a string' }).nullable().optional();
export const versionSchema = int(1, Number.MAX_SAFE_INTEGER);

/** ISO-8601 timestamp (a Date is accepted too), normalized to UTC with milliseconds like createdAt. */
export const timestampSchema = z
  .union([z.iso.datetime({ offset: true, error: 'must be an ISO-8601 timestamp' }), z.date({ error: 'must be a Date or ISO-8601 timestamp' })], {
    error: 'must be an ISO-8601 timestamp',
  })
  .transform((v) => (v instanceof Date ? v : new Date(v)))
  .refine((d) => !Number.isNaN(d.getTime()), 'must be a valid date')
  // Years past 9999 print as +010000-...: they would sort before every stored timestamp.
  .refine((d) => d.getUTCFullYear() >= 0 && d.getUTCFullYear() <= 9999, 'must be a date between the years 0 and 9999')
  .transform((d) => d.toISOString());

const enumOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `must be one of ${values.join(', ')}` });
export const userStatusSchema = enumOf(USER_STATUSES);
export const planSchema = enumOf(ORGANIZATION_PLANS);
export const roleSchema = enumOf(MEMBER_ROLES);
export const orderStatusSchema = enumOf(ORDER_STATUSES);

export const skuSchema = z.string({ error: 'must be a string' }).regex(SKU_PATTERN, 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit');
export const currencySchema = z
  .string({ error: 'must be a string' })
  .trim()
  .toUpperCase()
  .refine((c) => CURRENCIES.has(c), 'must be a 3-letter ISO 4217 currency code');
export const idempotencyKeySchema = z.string({ error: 'must be a string' }).regex(IDEMPOTENCY_KEY_PATTERN, 'must be 1-128 letters, digits, ".", "_", ":" or "-"');
export const quantitySchema = int(LIMITS.quantity.min, LIMITS.quantity.max);
export const priceSchema = int(LIMITS.unitPriceCents.min, LIMITS.unitPriceCents.max);
export const ttlSecondsSchema = int(LIMITS.ttlSeconds.min, LIMITS.ttlSeconds.max);

export const dateRange = <F extends string, T extends string>(fromKey: F, toKey: T) =>
  ({ [fromKey]: timestampSchema.optional(), [toKey]: timestampSchema.optional() }) as Record<F | T, z.ZodOptional<typeof timestampSchema>>;

/** Options objects reject fields they do not know, so a typo never silently does nothing. */
export const strict = z.strictObject;




/** The key-value rules of one page request shared by every listing. */
export function validatePageOptions() {
  return { limit: limitSchema, cursor: cursorSchema };
}
