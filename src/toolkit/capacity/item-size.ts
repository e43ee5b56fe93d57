import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** An item in DynamoDB's wire form (what the low-level client sends and returns). */
export type AttributeMap = Record<string, AttributeValue>;

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/**
 * Size of a number as DynamoDB stores it: leading and trailing zeros trimmed, one byte per two
 * significant digits (rounded up) plus one, and one more for a negative number.
 */
export function numberSize(n: string): number {
  const negative = n.trim().startsWith('-');
  const mantissa = n.trim().replace(/^[-+]/, '').split(/[eE]/)[0] ?? '';
  const digits = mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(digits.length, 1) / 2) + 1 + (negative ? 1 : 0);
}

/**
 * Size of one attribute value by DynamoDB's rules (developer guide, "Item sizes and formats"):
 * strings and binaries by their bytes, numbers as above, booleans and null one byte, lists and
 * maps 3 bytes of overhead plus one byte per element plus their elements (map keys included).
 */
export function attributeValueSize(value: AttributeValue): number {
  if (value.S !== undefined) return utf8(value.S);
  if (value.N !== undefined) return numberSize(value.N);
  if (value.B !== undefined) return value.B.byteLength;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.SS !== undefined) return value.SS.reduce((a, s) => a + utf8(s), 0);
  if (value.NS !== undefined) return value.NS.reduce((a, s) => a + numberSize(s), 0);
  if (value.BS !== undefined) return value.BS.reduce((a, b) => a + b.byteLength, 0);
  if (value.L !== undefined) return 3 + value.L.reduce((a, v) => a + 1 + attributeValueSize(v), 0);
  if (value.M !== undefined) return 3 + Object.entries(value.M).reduce((a, [k, v]) => a + 1 + utf8(k) + attributeValueSize(v), 0);
  return 0;
}

/** Size of an item: every attribute's name and value. */
export function itemSize(item: AttributeMap | undefined): number {
  if (!item) return 0;
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += utf8(name) + attributeValueSize(value);
  return bytes;
}
