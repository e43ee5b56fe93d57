/**
 * Ordering as DynamoDB compares values ("Condition and filter expressions, operators and functions",
 * Comparison operator and function reference):
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 * Strings compare by UTF-8 bytes, binaries as unsigned bytes, numbers numerically; sets are unordered.
 */
import fc from 'fast-check';
import type { AttributeValue } from '../../../src/engine/types';
import { compareBinaries, compareStrings, compareValues, valuesEqual } from '../../../src/engine/values';

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe('compareValues on S: UTF-8 byte order, not UTF-16', () => {
  it('orders U+FFFF before an astral character (UTF-16 code units would say the opposite)', () => {
    expect('\uFFFF' > '😀').toBe(true); // JavaScript's own order
    expect(compareValues({ S: '\uFFFF' }, { S: '😀' })).toBeLessThan(0);
    expect(compareValues({ S: '😀' }, { S: '\uFFFF' })).toBeGreaterThan(0);
    expect(compareValues({ S: 'a\uE000' }, { S: 'a\uD83D\uDE00' })).toBeLessThan(0);
    // Two characters whose surrogate pairs differ only in the low half (found by the property below on Node 22).
    expect(compareValues({ S: '\uD83D\uDE00' }, { S: '\uD83D\uDC00' })).toBeGreaterThan(0);
    expect(compareValues({ S: 'x\uD83D\uDC00' }, { S: 'x\uD83D\uDE00' })).toBeLessThan(0);
  });

  it('agrees with Buffer.compare of the UTF-8 bytes (property, any code points incl. lone surrogates)', () => {
    const str = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 6 }),
      fc.string({ unit: fc.constantFrom('a', 'b', '\uFFFF', '\uE000', '😀', '\uD800', '\uDC00', 'é', '\u0000'), maxLength: 5 }),
    );
    fc.assert(
      fc.property(str, str, (a, b) => {
        const expected = sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
        expect(sign(compareStrings(a, b))).toBe(expected);
        expect(sign(compareValues({ S: a }, { S: b }))).toBe(expected);
      }),
    );
  });
});

describe('compareValues on B and N', () => {
  it('compares binaries as unsigned bytes of the decoded value', () => {
    const b = (...bytes: number[]): AttributeValue => ({ B: Buffer.from(bytes).toString('base64') });
    expect(compareValues(b(0x7f), b(0x80))).toBeLessThan(0);
    expect(compareValues(b(0xff), b(0x00, 0x00))).toBeGreaterThan(0);
    expect(compareValues(b(1, 2), b(1, 2, 0))).toBeLessThan(0);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), (x, y) => {
        const bx = Buffer.from(x).toString('base64');
        const by = Buffer.from(y).toString('base64');
        expect(sign(compareBinaries(bx, by))).toBe(sign(Buffer.compare(Buffer.from(x), Buffer.from(y))));
      }),
    );
  });

  it('compares numbers numerically, not as text', () => {
    expect(compareValues({ N: '10' }, { N: '9' })).toBeGreaterThan(0);
    expect(compareValues({ N: '-10' }, { N: '-9' })).toBeLessThan(0);
    expect(compareValues({ N: '1.0' }, { N: '1' })).toBe(0);
    expect(compareValues({ N: '1E+2' }, { N: '99.99' })).toBeGreaterThan(0);
  });
});

describe('valuesEqual', () => {
  it.each<[AttributeValue, AttributeValue, boolean]>([
    [{ SS: ['a', 'b'] }, { SS: ['b', 'a'] }, true],
    [{ SS: ['a', 'b'] }, { SS: ['a'] }, false],
    [{ NS: ['1', '2.0'] }, { NS: ['2', '1'] }, true],
    [{ N: '1' }, { S: '1' }, false],
    [{ L: [{ S: 'a' }, { N: '1' }] }, { L: [{ N: '1' }, { S: 'a' }] }, false],
    [{ M: { a: { N: '1' }, b: { NULL: true } } }, { M: { b: { NULL: true }, a: { N: '1.00' } } }, true],
    [{ M: { a: { N: '1' } } }, { M: { a: { N: '1' }, b: { N: '1' } } }, false],
    [{ BOOL: true }, { BOOL: false }, false],
    [{ NULL: true }, { NULL: true }, true],
    [{ B: 'AQI=' }, { B: 'AQI=' }, true],
    [{ BS: ['AQ==', 'Ag=='] }, { BS: ['Ag==', 'AQ=='] }, true],
  ])('%j vs %j -> %s', (a, b, expected) => {
    expect(valuesEqual(a, b)).toBe(expected);
    expect(valuesEqual(b, a)).toBe(expected);
  });

  it('does not see inherited properties as map entries', () => {
    expect(valuesEqual({ M: {} }, { M: JSON.parse('{"__proto__":{"N":"1"}}') as Record<string, AttributeValue> })).toBe(false);
    expect(valuesEqual({ M: { toString: { N: '1' } } }, { M: { constructor: { N: '1' } } })).toBe(false);
  });
});
