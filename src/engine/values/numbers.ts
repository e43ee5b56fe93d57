/**
 * DynamoDB's Number type: up to 38 significant digits, magnitude 1E-130 .. 9.99..E+125, exact decimal
 * arithmetic (BigInt on scaled integers, never floats). Messages follow DynamoDB as recorded by
 * dynalite (Apache-2.0, validations/index.js checkNum).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 */
import { validation } from '../errors';

/** A parsed decimal: sign, significant digits (no leading/trailing zeros; '' for zero), exponent of the first digit. */
export interface Decimal {
  negative: boolean;
  digits: string;
  exponent: number;
}

export const MAX_SIGNIFICANT_DIGITS = 38;
export const MAX_EXPONENT = 125;
export const MIN_EXPONENT = -130;

// The accepted syntax (Java BigDecimal as constrained by DynamoDB; dynalite accepts the same set).
const NUMERIC = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a number's text without range checks; undefined when it is not a number. */
export function parseDecimal(text: string): Decimal | undefined {
  if (!NUMERIC.test(text)) return undefined;
  let rest = text;
  const negative = rest.startsWith('-');
  if (negative) rest = rest.slice(1);
  let exp10 = 0;
  const ePos = rest.search(/[eE]/);
  if (ePos >= 0) {
    const expText = rest.slice(ePos + 1);
    rest = rest.slice(0, ePos);
    const n = Number(expText);
    // A huge exponent only matters if the mantissa is not zero; clamp so it still fails the range check.
    exp10 = Number.isSafeInteger(n) ? n : n > 0 ? 1e15 : -1e15;
  }
  const dot = rest.indexOf('.');
  const intPart = dot >= 0 ? rest.slice(0, dot) : rest;
  const fracPart = dot >= 0 ? rest.slice(dot + 1) : '';
  let all = intPart + fracPart;
  // exponent of the first character of `all` before stripping leading zeros
  let exponent = intPart.length - 1 + exp10;
  let lead = 0;
  while (lead < all.length && all[lead] === '0') lead++;
  all = all.slice(lead);
  exponent -= lead;
  let end = all.length;
  while (end > 0 && all[end - 1] === '0') end--;
  all = all.slice(0, end);
  if (all === '') return { negative: false, digits: '', exponent: 0 };
  return { negative, digits: all, exponent };
}

/** DynamoDB's message when the decimal is out of range, or undefined. */
export function rangeError(d: Decimal): string | undefined {
  if (d.digits === '') return undefined;
  if (d.exponent > MAX_EXPONENT) {
    return 'Number overflow. Attempting to store a number with magnitude larger than supported range';
  }
  if (d.exponent < MIN_EXPONENT) {
    return 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
  }
  if (d.digits.length > MAX_SIGNIFICANT_DIGITS) {
    return 'Attempting to store more than 38 significant digits in a Number';
  }
  return undefined;
}

/** Plain (non-exponent) text, as DynamoDB returns numbers: "1E+2" -> "100", "0.50" -> "0.5", "-0" -> "0". */
export function formatDecimal(d: Decimal): string {
  if (d.digits === '') return '0';
  const { digits, exponent } = d;
  let body: string;
  if (exponent >= digits.length - 1) body = digits + '0'.repeat(exponent - (digits.length - 1));
  else if (exponent >= 0) body = digits.slice(0, exponent + 1) + '.' + digits.slice(exponent + 1);
  else body = '0.' + '0'.repeat(-exponent - 1) + digits;
  return (d.negative ? '-' : '') + body;
}

/** DynamoDB's message for an invalid N string, or undefined when it is valid. */
export function numberError(text: unknown): string | undefined {
  if (typeof text !== 'string' || text === '') return 'The parameter cannot be converted to a numeric value';
  const d = parseDecimal(text);
  if (!d) return 'The parameter cannot be converted to a numeric value: ' + text;
  return rangeError(d);
}

/** Normalises a DynamoDB N string; throws ValidationException with DynamoDB's message. */
export function normalizeNumber(text: string): string {
  const message = numberError(text);
  if (message !== undefined) throw validation(message);
  return formatDecimal(parseDecimal(text) as Decimal);
}

interface Scaled {
  int: bigint;
  scale: number; // value = int * 10^-scale
}

function toScaled(d: Decimal): Scaled {
  if (d.digits === '') return { int: 0n, scale: 0 };
  const int = BigInt(d.digits) * (d.negative ? -1n : 1n);
  return { int, scale: d.digits.length - 1 - d.exponent };
}

function fromScaled(s: Scaled): Decimal {
  if (s.int === 0n) return { negative: false, digits: '', exponent: 0 };
  const negative = s.int < 0n;
  const abs = (negative ? -s.int : s.int).toString();
  const trimmed = abs.replace(/0+$/, '');
  return { negative, digits: trimmed, exponent: abs.length - 1 - s.scale };
}

function align(a: Scaled, b: Scaled): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.int * 10n ** BigInt(scale - a.scale), b.int * 10n ** BigInt(scale - b.scale), scale];
}

function parseOrThrow(text: string): Decimal {
  const message = numberError(text);
  if (message !== undefined) throw validation(message);
  return parseDecimal(text) as Decimal;
}

function arith(a: string, b: string, sign: 1n | -1n): string {
  const [x, y, scale] = align(toScaled(parseOrThrow(a)), toScaled(parseOrThrow(b)));
  const result = fromScaled({ int: x + sign * y, scale });
  // The result is stored, so it must fit DynamoDB's Number range like any stored number.
  const message = rangeError(result);
  if (message !== undefined) throw validation(message);
  return formatDecimal(result);
}

/** Exact a + b of two N strings, normalised; throws ValidationException if the result is out of range. */
export function addNumbers(a: string, b: string): string {
  return arith(a, b, 1n);
}

/** Exact a - b of two N strings, normalised; throws ValidationException if the result is out of range. */
export function subtractNumbers(a: string, b: string): string {
  return arith(a, b, -1n);
}

/** Numeric order of two N strings: negative, 0 or positive. */
export function compareNumbers(a: string, b: string): number {
  const da = parseOrThrow(a);
  const db = parseOrThrow(b);
  const sa = da.digits === '' ? 0 : da.negative ? -1 : 1;
  const sb = db.digits === '' ? 0 : db.negative ? -1 : 1;
  if (sa !== sb) return sa < sb ? -1 : 1;
  if (sa === 0) return 0;
  // Same sign: compare magnitudes by exponent, then digits.
  let mag: number;
  if (da.exponent !== db.exponent) mag = da.exponent < db.exponent ? -1 : 1;
  else {
    const len = Math.max(da.digits.length, db.digits.length);
    const x = da.digits.padEnd(len, '0');
    const y = db.digits.padEnd(len, '0');
    mag = x === y ? 0 : x < y ? -1 : 1;
  }
  // Equal negatives must give 0, not -0 (-1 × 0): a caller may test the result with Object.is.
  return mag === 0 ? 0 : sa * mag;
}
