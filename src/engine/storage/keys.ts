/**
 * Key encodings of the store. Scan order and parallel-scan segments follow dynalite (Apache-2.0,
 * db/index.js): partitions are ordered by the first six hex digits of md5('Outliers' + key bytes),
 * then by the key; segment s of T covers the 4096 three-hex-digit buckets
 * [ceil(4096 s / T), ceil(4096 (s+1) / T) - 1]. Numbers enter the hash in DynamoDB's binary form.
 */
import { createHash } from 'node:crypto';
import type { AttributeValue, ScalarAttributeType } from '../types';

/** Sign, significant digits and exponent of a decimal string (value = 0.d1d2... x 10^(exp+1)), as big.js. */
export interface Decimal {
  negative: boolean;
  digits: number[];
  /** Exponent of the first significant digit (big.js's e): 123 -> 2, 0.05 -> -2. */
  exp: number;
}

export function parseDecimal(text: string): Decimal {
  let s = text.trim();
  let negative = false;
  if (s.startsWith('-')) {
    negative = true;
    s = s.slice(1);
  } else if (s.startsWith('+')) s = s.slice(1);
  let e = 0;
  const ei = s.search(/[eE]/);
  if (ei >= 0) {
    e = Number(s.slice(ei + 1));
    s = s.slice(0, ei);
  }
  const dot = s.indexOf('.');
  let intPart = dot >= 0 ? s.slice(0, dot) : s;
  const frac = dot >= 0 ? s.slice(dot + 1) : '';
  if (intPart === '') intPart = '0';
  const all = intPart + frac;
  let first = 0;
  while (first < all.length && all[first] === '0') first++;
  if (first === all.length) return { negative: false, digits: [0], exp: 0 };
  let last = all.length - 1;
  while (last > first && all[last] === '0') last--;
  const digits = [...all.slice(first, last + 1)].map(Number);
  const exp = intPart.length - 1 - first + e;
  return { negative, digits, exp };
}

/** Dynalite's numToBuffer: DynamoDB's binary number form, hashed for the partition prefix. */
function numToBuffer(num: string): Buffer {
  const d = parseDecimal(num);
  if (d.digits.length === 1 && d.digits[0] === 0) return Buffer.from([0x80]);
  const scale = d.negative ? -1 : 1;
  const mantissa = d.digits;
  const exponent = d.exp + 1;
  const appendZero = exponent % 2 ? 1 : 0;
  const lenNoExp = Math.floor((mantissa.length + appendZero + 1) / 2);
  let bytes: number[];
  if (lenNoExp < 20 && scale === -1) {
    bytes = new Array<number>(lenNoExp + 2).fill(0);
    bytes[lenNoExp + 1] = 102;
  } else bytes = new Array<number>(lenNoExp + 1).fill(0);
  bytes[0] = Math.floor((exponent + appendZero) / 2) - 64;
  if (scale === -1) bytes[0] = bytes[0] ^ 0xffffffff;
  let appendedZero = false;
  for (let mi = 0; mi < mantissa.length; mi++) {
    const bi = Math.floor((mi + appendZero) / 2) + 1;
    if (appendZero && !mi && !appendedZero) {
      bytes[bi] = 0;
      appendedZero = true;
      mi--;
    } else if ((mi + appendZero) % 2 === 0) bytes[bi] = (mantissa[mi] as number) * 10;
    else bytes[bi] = (bytes[bi] as number) + (mantissa[mi] as number);
    if ((mi + appendZero) % 2 || mi === mantissa.length - 1) {
      if (scale === -1) bytes[bi] = 101 - (bytes[bi] as number);
      else bytes[bi] = (bytes[bi] as number) + 1;
    }
  }
  return Buffer.from(bytes.map((b) => b & 0xff));
}

function keyBytes(value: string, type: ScalarAttributeType): Buffer {
  if (type === 'S') return Buffer.from(value, 'utf8');
  if (type === 'N') return numToBuffer(value);
  return Buffer.from(value, 'base64');
}

/** Six hex digits of md5('Outliers' + hash key [+ range key]), as dynalite orders and segments a scan. */
export function hashPrefix(hash: string, hashType: ScalarAttributeType, range?: string, rangeType?: ScalarAttributeType): string {
  const h = createHash('md5').update('Outliers').update(keyBytes(hash, hashType));
  if (range !== undefined && rangeType !== undefined) h.update(keyBytes(range, rangeType));
  return h.digest('hex').slice(0, 6);
}

/**
 * A string whose code-point order is the key order: S as is (UTF-8 byte order = code-point order),
 * B as hex of its bytes, N as dynalite's lexicographic number form.
 */
export function sortable(value: string, type: ScalarAttributeType): string {
  if (type === 'S') return value;
  if (type === 'B') return Buffer.from(value, 'base64').toString('hex');
  return lexiNumber(value);
}

function lexiNumber(value: string): string {
  const d = parseDecimal(value);
  if (d.digits.length === 1 && d.digits[0] === 0) return '1' + '00' + '0';
  if (!d.negative) return '1' + (130 + d.exp).toString(16).padStart(2, '0') + d.digits.join('');
  // Negative: exponent mirrored, digits as 10 - m (m = mantissa in [1, 10)), so larger magnitudes sort first.
  const exp = 125 - d.exp;
  // 10 - m with m = d1.d2d3..., computed on digit strings.
  const n = d.digits.length;
  const m = d.digits.slice();
  // ten = 10 followed by n-1 zeros, as digits of length n+1: subtract m (n digits, aligned after the first).
  const ten = [1, ...new Array<number>(n).fill(0)];
  const sub = [0, ...m];
  const out = new Array<number>(n + 1).fill(0);
  let borrow = 0;
  for (let i = n; i >= 0; i--) {
    let v = (ten[i] as number) - (sub[i] as number) - borrow;
    borrow = 0;
    if (v < 0) {
      v += 10;
      borrow = 1;
    }
    out[i] = v;
  }
  let str = out.join('').replace(/^0/, '');
  str = str.replace(/0+$/, '');
  return '0' + exp.toString(16).padStart(2, '0') + str;
}

/** Code-point order of two JS strings (UTF-16 code-unit order differs above U+FFFF). */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (D800-DFFF) encode code points above FFFF: move them above E000-FFFF.
    if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
    if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

/** The scalar string of a key value of the given type (undefined when the value is of another type). */
export function scalarOf(value: AttributeValue | undefined, type: ScalarAttributeType): string | undefined {
  if (!value) return undefined;
  const v = (value as Record<string, unknown>)[type];
  return typeof v === 'string' ? v : undefined;
}

/** Canonical form of a key value for Map lookups (numbers normalised). */
export function canonical(value: string, type: ScalarAttributeType): string {
  if (type === 'N') return lexiNumber(value);
  return value;
}
