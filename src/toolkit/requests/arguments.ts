import type { z } from 'zod';
import { ValidationError, type ValidationIssue } from './errors';

/*
 * The plain path. In a real process zod's check of a read's arguments ({ userId, limit }) cost
 * 30-50 µs per call (measured in process, between SDK calls: its many small closures and objects
 * are cold by then), although a loop of them takes ~1 µs. Most calls are plainly valid: ids that
 * match their pattern, a page size in range, no other field. Those are recognised by a few
 * direct checks derived from the schema (booleans, plain strings, enums, optional and nullable
 * wrappers; a model registers the rest with `plainly`, next to its zod rule) and skip zod.
 * Anything else, every invalid call included, goes through zod, which alone builds the
 * ValidationError. A plain check only accepts what zod accepts unchanged (a property test in
 * test/security/plain-arguments.test.ts holds it to that).
 */
type PlainCheck = (value: unknown) => boolean;
const PLAIN = new WeakMap<object, PlainCheck>();

/**
 * Registers the plain check of a leaf schema, for parseArguments: `check` must return true only
 * for values the schema accepts and returns unchanged (no trim, no default, no transform).
 */
export function plainly<S extends z.ZodType>(schema: S, check: PlainCheck): S {
  PLAIN.set(schema, check);
  return schema;
}

interface ZodDef {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  entries?: Record<string, unknown>;
}
const defOf = (schema: z.ZodType): ZodDef => (schema as unknown as { _zod: { def: ZodDef } })._zod.def;

// A def with exactly these keys and nothing else (no format, coercion, checks, default or catch).
const onlyKeys = (def: ZodDef, keys: readonly string[]) => Object.keys(def).every((k) => keys.includes(k));

/** The plain check of a field schema, or undefined: then the field must be absent for the plain path. */
function leafCheck(schema: z.ZodType): PlainCheck | undefined {
  const registered = PLAIN.get(schema);
  if (registered) return registered;
  const def = defOf(schema);
  if ((def.type === 'optional' || def.type === 'nullable') && def.innerType && onlyKeys(def, ['type', 'innerType'])) {
    const inner = leafCheck(def.innerType);
    if (!inner) return undefined;
    if (def.type === 'nullable') return (v) => v === null || inner(v);
    return isExact(schema) ? inner : (v) => v === undefined || inner(v);
  }
  if (def.type === 'boolean' && onlyKeys(def, ['type', 'error'])) return (v) => typeof v === 'boolean';
  if (def.type === 'string' && onlyKeys(def, ['type', 'error'])) return (v) => typeof v === 'string';
  if (def.type === 'enum' && def.entries && onlyKeys(def, ['type', 'entries', 'error'])) {
    // zod's own set of values: for a numeric TypeScript enum that is the numbers, not the names
    // that the enum object also maps (Priority.High === 1 and Priority[1] === 'High').
    const values = internals(schema).values;
    return values ? (v) => values.has(v) : undefined;
  }
  return undefined;
}

interface ZodInternals {
  values?: Set<unknown>;
  traits?: Set<string>;
}
const internals = (schema: z.ZodType): ZodInternals => (schema as unknown as { _zod: ZodInternals })._zod;
const isOptional = (schema: z.ZodType) => defOf(schema).type === 'optional' && onlyKeys(defOf(schema), ['type', 'innerType']);
// .exactOptional(): the key may be absent, but a present undefined is refused.
const isExact = (schema: z.ZodType) => internals(schema).traits?.has('$ZodExactOptional') === true;
const hasOwn = (o: object, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** The plain check of a strict object schema: every own key known and plainly valid, every required key present. */
function objectCheck(schema: z.ZodType): ((copy: Record<string, unknown>) => boolean) | null {
  const def = defOf(schema);
  // Strict (unknown keys refused) and without object-level checks (.refine on the whole object).
  if (def.type !== 'object' || !def.shape || !def.catchall || defOf(def.catchall).type !== 'never' || !onlyKeys(def, ['type', 'shape', 'catchall', 'error'])) return null;
  const fields = Object.entries(def.shape).map(([key, field]) => ({ key, check: leafCheck(field), optional: isOptional(field), exact: isExact(field) }));
  const known = new Set(fields.map((f) => f.key));
  return (copy) => {
    for (const key in copy) if (!known.has(key)) return false;
    for (const { key, check, optional, exact } of fields) {
      const v = copy[key];
      if (v === undefined && exact && hasOwn(copy, key)) return false;
      if (v === undefined ? !optional : !check || !check(v)) return false;
    }
    return true;
  };
}
const OBJECT_CHECKS = new WeakMap<object, ((copy: Record<string, unknown>) => boolean) | null>();

/**
 * The arguments as the plain path returns them (a copy, checked after copying, so a getter or a
 * later change by the caller cannot swap a value), or undefined when zod must decide.
 */
function plainArguments(schema: z.ZodType, value: unknown): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const proto = Object.getPrototypeOf(value);
  if ((proto !== Object.prototype && proto !== null) || hasOwn(value, '__proto__')) return undefined;
  // The copy below holds only enumerable string keys; zod also reads a non-enumerable own field
  // and drops symbol keys, so such objects are zod's to decide.
  if (Object.getOwnPropertySymbols(value).length > 0) return undefined;
  const names = Object.getOwnPropertyNames(value);
  for (const name of names) if (!Object.prototype.propertyIsEnumerable.call(value, name)) return undefined;
  let check = OBJECT_CHECKS.get(schema);
  if (check === undefined) OBJECT_CHECKS.set(schema, (check = objectCheck(schema)));
  if (!check) return undefined;
  const copy = Object.assign({}, value) as Record<string, unknown>;
  return check(copy) ? copy : undefined;
}

/**
 * Parses the arguments of one call with a zod schema (a strict object for the plain path); any
 * problem becomes a ValidationError naming each field and rule, with what was received.
 */
export function parseArguments<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const plain = plainArguments(schema, value);
  if (plain) return plain as z.output<S>;
  // Without options zod takes its compiled fast path (~0.4 µs instead of ~2.5 µs per call);
  // only a failed value is parsed again, with the inputs reported, to build the error.
  const fast = schema.safeParse(value);
  if (fast.success) return fast.data;
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const issues: ValidationIssue[] = result.error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.map(String).join('.') : '(arguments)';
    if (issue.code === 'unrecognized_keys') {
      return { field: [...issue.path.map(String), ...issue.keys].join('.'), rule: 'is not a known field' };
    }
    return { field, rule: issue.message, received: received((issue as { input?: unknown }).input) };
  });
  throw new ValidationError(issues);
}

/**
 * The arguments of a call that takes an id (or a status) and an options object: the positional
 * argument decides. A field of the options that names a positional argument is refused like any
 * unknown field, so passing a request body or query string as options can never redirect the call
 * to another user's, organization's or order's data.
 */
export function withOptions(positional: Record<string, unknown>, options: unknown): Record<string, unknown> {
  if (options === undefined || options === null) return Object.assign({}, positional);
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw new ValidationError([{ field: 'options', rule: 'must be an object', received: received(options) }]);
  }
  let clashes: string[] | undefined;
  for (const key in positional) if (Object.prototype.hasOwnProperty.call(options, key)) (clashes ??= []).push(key);
  if (clashes) throw new ValidationError(clashes.map((field) => ({ field, rule: 'is not a known field' })));
  // Object.assign, not spread: zod's compiled check read a spread-built object about 5x slower
  // (~2.5 instead of ~0.5 µs). An own "__proto__" key (a JSON body's) would become the copy's
  // prototype under assign, so that input keeps the spread, and zod refuses it as unknown.
  if (Object.prototype.hasOwnProperty.call(options, '__proto__')) return { ...options, ...positional };
  return Object.assign({}, options, positional);
}

function received(value: unknown): string | undefined {
  if (value === undefined) return 'missing:';
  if (typeof value === 'number') return String(value); // JSON would print NaN and Infinity as null
  let text: string;
  try {
    text = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
