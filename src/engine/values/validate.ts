/**
 * The wire rules of AttributeValues, with DynamoDB's messages (as recorded by dynalite, Apache-2.0:
 * validations/index.js validateAttributeValue and checkTypes).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 */
import { EngineError, validation } from '../errors';
import type { AttributeValue, Item } from '../types';
import { formatDecimal, numberError, parseDecimal, type Decimal } from './numbers';

/** DynamoDB supports nested attributes up to 32 levels deep. */
export const MAX_NESTING = 32;

const TYPES = new Set(['S', 'N', 'B', 'BOOL', 'NULL', 'SS', 'NS', 'BS', 'L', 'M']);

/** Defines an own property even for names like "__proto__" (plain assignment would set the prototype). */
export function setOwn<T>(target: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function serialization(message: string): EngineError {
  return new EngineError('SerializationException', message);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') throw serialization((v ? 'TRUE_VALUE' : 'FALSE_VALUE') + ' cannot be converted to String');
  if (typeof v === 'number') throw serialization((v % 1 === 0 ? 'NUMBER_VALUE' : 'DECIMAL_VALUE') + ' cannot be converted to String');
  if (Array.isArray(v)) throw serialization('Unrecognized collection type class java.lang.String');
  throw serialization('Start of structure or map found where not expected');
}

function checkBlob(v: unknown): string {
  if (typeof v === 'boolean' || typeof v === 'number') throw serialization('only base-64-encoded strings are convertible to bytes');
  if (Array.isArray(v)) throw serialization('Unrecognized collection type class java.nio.ByteBuffer');
  if (typeof v !== 'string') throw serialization('Start of structure or map found where not expected');
  if (v.length % 4) throw serialization('Base64 encoded length is expected a multiple of 4 bytes but found: ' + v.length);
  if (Buffer.from(v, 'base64').toString('base64') !== v) throw serialization('Invalid last non-pad Base64 character dectected');
  return v;
}

function checkBoolean(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') throw serialization((v % 1 === 0 ? 'NUMBER_VALUE' : 'DECIMAL_VALUE') + ' cannot be converted to Boolean');
  if (typeof v === 'string') {
    const u = v.toUpperCase();
    if (u === 'TRUE' || u === '1' || u === 'YES') return true;
    if (u === 'FALSE' || u === '0' || u === 'NO') return false;
    throw serialization('Unexpected token received from parser');
  }
  if (Array.isArray(v)) throw serialization('Unrecognized collection type class java.lang.Boolean');
  throw serialization('Start of structure or map found where not expected');
}

function checkList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v !== 'object' || v === null) throw serialization('Unexpected field type');
  throw serialization('Start of structure or map found where not expected');
}

/**
 * Wire shape (JSON types) of one AttributeValue: returns a copy holding only known, non-null type keys;
 * throws SerializationException as DynamoDB's request layer does.
 */
function shape(value: unknown): Record<string, unknown> {
  if (!isRecord(value)) {
    if (Array.isArray(value)) throw serialization('Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue');
    throw serialization('Unexpected value type in payload');
  }
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    if (!TYPES.has(key) || v === null || v === undefined) continue;
    switch (key) {
      case 'S':
      case 'N':
        setOwn(out, key, checkString(v));
        break;
      case 'B':
        setOwn(out, key, checkBlob(v));
        break;
      case 'BOOL':
      case 'NULL':
        setOwn(out, key, checkBoolean(v));
        break;
      case 'SS':
      case 'NS':
        setOwn(out, key, checkList(v).map(checkString));
        break;
      case 'BS':
        setOwn(out, key, checkList(v).map(checkBlob));
        break;
      case 'L':
        setOwn(out, key, checkList(v));
        break;
      case 'M':
        if (typeof v !== 'object') throw serialization('Unexpected field type');
        if (Array.isArray(v)) {
          throw serialization('Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>');
        }
        setOwn(out, key, v);
        break;
    }
  }
  return out;
}

function valueStr(data: unknown): string {
  if (data === null || data === undefined) return 'null';
  if (Array.isArray(data)) return '[' + data.map(valueStr).join(', ') + ']';
  return typeof data === 'object' ? JSON.stringify(data) : String(data);
}

function hasDuplicate(values: string[]): boolean {
  return new Set(values).size !== values.length;
}

interface Checked {
  error?: string;
  value?: AttributeValue;
}

function check(raw: unknown, depth: number): Checked {
  const value = shape(raw);
  const types = Object.keys(value);
  if (types.length === 0) return { error: 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes' };
  let result: AttributeValue | undefined;
  for (const type of types) {
    const v = value[type];
    switch (type) {
      case 'S':
        result = { S: v as string };
        break;
      case 'B':
        result = { B: v as string };
        break;
      case 'BOOL':
        result = { BOOL: v as boolean };
        break;
      case 'N': {
        const message = numberError(v);
        if (message) return { error: message };
        result = { N: formatDecimal(parseDecimal(v as string) as Decimal) };
        break;
      }
      case 'NULL':
        if (!v) return { error: 'One or more parameter values were invalid: Null attribute value types must have the value of true' };
        result = { NULL: true };
        break;
      case 'SS': {
        const ss = v as string[];
        if (!ss.length) return { error: 'One or more parameter values were invalid: An string set  may not be empty' };
        if (hasDuplicate(ss)) {
          return { error: 'One or more parameter values were invalid: Input collection ' + valueStr(ss) + ' contains duplicates.' };
        }
        result = { SS: [...ss] };
        break;
      }
      case 'NS': {
        const ns = v as string[];
        if (!ns.length) return { error: 'One or more parameter values were invalid: An number set  may not be empty' };
        const normalised: string[] = [];
        for (const n of ns) {
          const message = numberError(n);
          if (message) return { error: message };
          normalised.push(formatDecimal(parseDecimal(n) as Decimal));
        }
        if (hasDuplicate(normalised)) return { error: 'Input collection contains duplicates' };
        result = { NS: normalised };
        break;
      }
      case 'BS': {
        const bs = v as string[];
        if (!bs.length) return { error: 'One or more parameter values were invalid: Binary sets should not be empty' };
        if (hasDuplicate(bs)) {
          return { error: 'One or more parameter values were invalid: Input collection ' + valueStr(bs) + 'of type BS contains duplicates.' };
        }
        result = { BS: [...bs] };
        break;
      }
      case 'M': {
        if (depth >= MAX_NESTING) return { error: 'Nesting Levels have exceeded supported limits' };
        const m = v as Record<string, unknown>;
        const out: Record<string, AttributeValue> = {};
        for (const k of Object.keys(m)) {
          const c = check(m[k], depth + 1);
          if (c.error !== undefined) return c;
          setOwn(out, k, c.value as AttributeValue);
        }
        result = { M: out };
        break;
      }
      case 'L': {
        if (depth >= MAX_NESTING) return { error: 'Nesting Levels have exceeded supported limits' };
        const out: AttributeValue[] = [];
        for (const child of v as unknown[]) {
          const c = check(child, depth + 1);
          if (c.error !== undefined) return c;
          out.push(c.value as AttributeValue);
        }
        result = { L: out };
        break;
      }
    }
  }
  if (types.length > 1) {
    return { error: 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes' };
  }
  return { value: result as AttributeValue };
}

/**
 * DynamoDB's ValidationException message for an invalid AttributeValue, or undefined when valid.
 * Wire-shape errors (a number where a string belongs...) throw SerializationException instead.
 */
export function attributeValueError(value: unknown): string | undefined {
  return check(value, 0).error;
}

/** Returns a normalised copy (N/NS in DynamoDB's output form); throws ValidationException with DynamoDB's message. */
export function validateAttributeValue(value: unknown): AttributeValue {
  const c = check(value, 0);
  if (c.error !== undefined) throw validation(c.error);
  return c.value as AttributeValue;
}

/** Validates every attribute of an item (no key-schema rules: those belong to the operation); returns a normalised copy. */
export function validateItem(item: unknown): Item {
  if (!isRecord(item)) throw serialization('Start of structure or map found where not expected');
  const out: Item = {};
  for (const name of Object.keys(item)) {
    if (item[name] === null || item[name] === undefined) continue;
    setOwn(out, name, validateAttributeValue(item[name]));
  }
  return out;
}
