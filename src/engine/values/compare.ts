/**
 * Ordering and equality of DynamoDB values.
 * Strings order by their UTF-8 bytes, binaries by unsigned bytes, numbers numerically
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Comparators).
 */
import type { AttributeValue } from '../types';
import { compareNumbers } from './numbers';

/**
 * UTF-8 byte order of two strings. UTF-16 code-unit order equals code-point (hence UTF-8) order except
 * when a surrogate meets a unit >= U+E000, so only that case (and lone surrogates) falls back to bytes.
 */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (!xs && !ys) return x < y ? -1 : 1;
    // From the start of the code point: two pairs that differ only in their low surrogate must be
    // encoded whole (a lone low surrogate would encode as U+FFFD and hide the difference).
    const p = a.charCodeAt(i - 1);
    const start = i > 0 && p >= 0xd800 && p <= 0xdbff ? i - 1 : i;
    return Buffer.compare(Buffer.from(a.slice(start), 'utf8'), Buffer.from(b.slice(start), 'utf8'));
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** Unsigned byte order of two base64 binaries. */
export function compareBinaries(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'base64'), Buffer.from(b, 'base64'));
}

const TYPE_ORDER = ['B', 'BOOL', 'BS', 'L', 'M', 'N', 'NS', 'NULL', 'S', 'SS'];

function tag(v: AttributeValue): string {
  for (const k in v) return k;
  return '';
}

/**
 * Orders two values of the same scalar type (S by UTF-8 bytes, N numerically, B by unsigned bytes):
 * negative, 0 or positive. Values of different types (never compared by DynamoDB) order by type
 * name so that the result is still a total order; other types compare equal when valuesEqual.
 */
export function compareValues(a: AttributeValue, b: AttributeValue): number {
  const ta = tag(a);
  const tb = tag(b);
  if (ta !== tb) return TYPE_ORDER.indexOf(ta) - TYPE_ORDER.indexOf(tb);
  if ('S' in a && 'S' in b) return compareStrings(a.S, b.S);
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  if ('B' in a && 'B' in b) return compareBinaries(a.B, b.B);
  return valuesEqual(a, b) ? 0 : compareStrings(JSON.stringify(a), JSON.stringify(b));
}

function setEqual(a: string[], b: string[], eq: (x: string, y: string) => boolean): boolean {
  if (a.length !== b.length) return false;
  return a.every((x) => b.some((y) => eq(x, y)));
}

const binEq = (x: string, y: string): boolean => compareBinaries(x, y) === 0;
const numEq = (x: string, y: string): boolean => compareNumbers(x, y) === 0;
const strEq = (x: string, y: string): boolean => x === y;

/** Deep equality as DynamoDB's = operator sees it: sets unordered, numbers numerically, binaries by bytes. */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if ('S' in a) return 'S' in b && a.S === b.S;
  if ('N' in a) return 'N' in b && compareNumbers(a.N, b.N) === 0;
  if ('B' in a) return 'B' in b && binEq(a.B, b.B);
  if ('BOOL' in a) return 'BOOL' in b && a.BOOL === b.BOOL;
  if ('NULL' in a) return 'NULL' in b;
  if ('SS' in a) return 'SS' in b && setEqual(a.SS, b.SS, strEq);
  if ('NS' in a) return 'NS' in b && setEqual(a.NS, b.NS, numEq);
  if ('BS' in a) return 'BS' in b && setEqual(a.BS, b.BS, binEq);
  if ('L' in a) {
    if (!('L' in b) || a.L.length !== b.L.length) return false;
    return a.L.every((x, i) => valuesEqual(x, b.L[i] as AttributeValue));
  }
  if ('M' in a) {
    if (!('M' in b)) return false;
    const ka = Object.keys(a.M);
    if (ka.length !== Object.keys(b.M).length) return false;
    return ka.every((k) => {
      const bv = Object.prototype.hasOwnProperty.call(b.M, k) ? b.M[k] : undefined;
      return bv !== undefined && valuesEqual(a.M[k] as AttributeValue, bv);
    });
  }
  return false;
}
