/**
 * Item size by DynamoDB's rules, "DynamoDB item sizes and formats":
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 * Strings: UTF-8 bytes. Binary: raw bytes. Null/Boolean: 1 byte. List/Map: 3 bytes + 1 byte per element
 * + the elements (map keys count their UTF-8 bytes). Sets: the sum of their elements.
 * Numbers: the guide gives "approximately 1 byte per two significant digits + 1"; we use the exact
 * rule dynalite measured against DynamoDB's consumed capacity (base-100 digits aligned on the
 * exponent, + 1 byte, + 1 for a negative number).
 */
import type { AttributeValue, Item } from '../types';
import { parseDecimal } from './numbers';

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');
const rawBytes = (b64: string): number => Buffer.from(b64, 'base64').length;

/** Bytes of one stored number. */
export function numberSize(text: string): number {
  const d = parseDecimal(text);
  if (!d || d.digits === '') return 1;
  const n = d.digits.length;
  // Digits pack two per byte aligned on even exponents: an even count on an even exponent needs one more.
  const pairs = Math.ceil(n / 2) + (n % 2 === 0 && d.exponent % 2 === 0 ? 1 : 0);
  return 1 + pairs + (d.negative ? 1 : 0);
}

/** Bytes of one attribute value (without its name). */
export function attributeSize(value: AttributeValue): number {
  if ('S' in value) return utf8(value.S);
  if ('N' in value) return numberSize(value.N);
  if ('B' in value) return rawBytes(value.B);
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return value.SS.reduce((sum, s) => sum + utf8(s), 0);
  if ('NS' in value) return value.NS.reduce((sum, s) => sum + numberSize(s), 0);
  if ('BS' in value) return value.BS.reduce((sum, b) => sum + rawBytes(b), 0);
  if ('L' in value) return value.L.reduce((sum, v) => sum + 1 + attributeSize(v), 3);
  if ('M' in value) {
    let sum = 3;
    for (const [k, v] of Object.entries(value.M)) sum += 1 + utf8(k) + attributeSize(v);
    return sum;
  }
  return 0;
}

/** Bytes of an item: every attribute's UTF-8 name plus its value. */
export function itemSize(item: Item): number {
  let sum = 0;
  for (const [name, value] of Object.entries(item)) sum += utf8(name) + attributeSize(value);
  return sum;
}
