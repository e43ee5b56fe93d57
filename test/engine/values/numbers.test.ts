/**
 * DynamoDB numbers: "Supported data types and naming rules", Number:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 * (up to 38 digits of precision; positive range 1E-130 to 9.9999999999999999999999999999999999999E+125;
 * leading and trailing zeroes are trimmed). Messages: DynamoDB's, as recorded by dynalite.
 */
import fc from 'fast-check';
import { EngineError } from '../../../src/engine/errors';
import { addNumbers, compareNumbers, normalizeNumber, numberError, subtractNumbers } from '../../../src/engine/values';

const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';
const DIGITS = 'Attempting to store more than 38 significant digits in a Number';

describe('normalizeNumber', () => {
  it.each([
    ['100', '100'],
    ['1E+2', '100'],
    ['1e2', '100'],
    ['0.50', '0.5'],
    ['00012.3400', '12.34'],
    ['-0', '0'],
    ['-0.000', '0'],
    ['0e999999', '0'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['-1.5e3', '-1500'],
    ['1.23E-3', '0.00123'],
    ['12345678901234567890123456789012345678', '12345678901234567890123456789012345678'],
    // trailing zeros are not significant: 38 digits followed by zeros still fit
    ['1234567890123456789012345678901234567800000', '1234567890123456789012345678901234567800000'],
  ])('%s -> %s', (input, expected) => {
    expect(normalizeNumber(input)).toBe(expected);
  });

  it('accepts the documented extremes of the range', () => {
    expect(normalizeNumber('1E-130')).toBe('0.' + '0'.repeat(129) + '1');
    expect(normalizeNumber('-1E-130')).toBe('-0.' + '0'.repeat(129) + '1');
    const max = '9.9999999999999999999999999999999999999E+125';
    expect(normalizeNumber(max)).toBe('9'.repeat(38) + '0'.repeat(126 - 38));
  });

  it.each([
    ['1E+126', OVERFLOW],
    ['-1E+126', OVERFLOW],
    ['1e999999999999999999999', OVERFLOW],
    ['1E-131', UNDERFLOW],
    ['0.1E-130', UNDERFLOW],
    ['123456789012345678901234567890123456789', DIGITS],
    ['1.00000000000000000000000000000000000001', DIGITS],
    ['', 'The parameter cannot be converted to a numeric value'],
    ['abc', 'The parameter cannot be converted to a numeric value: abc'],
    ['1 ', 'The parameter cannot be converted to a numeric value: 1 '],
    ['Infinity', 'The parameter cannot be converted to a numeric value: Infinity'],
    ['NaN', 'The parameter cannot be converted to a numeric value: NaN'],
    ['0x10', 'The parameter cannot be converted to a numeric value: 0x10'],
  ])('%s is refused: %s', (input, message) => {
    expect(numberError(input)).toBe(message);
    let thrown: unknown;
    try {
      normalizeNumber(input);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(EngineError);
    expect((thrown as EngineError).type).toBe('ValidationException');
    expect((thrown as EngineError).message).toBe(message);
  });
});

/** A decimal as (integer, scale): value = int / 10^scale, small enough to stay within DynamoDB's range. */
const decimal = fc
  .record({ int: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), scale: fc.integer({ min: 0, max: 7 }) })
  .map(({ int, scale }) => ({ int, scale, text: toText(int, scale) }));

function toText(int: bigint, scale: number): string {
  const neg = int < 0n;
  const digits = (neg ? -int : int).toString().padStart(scale + 1, '0');
  const body = scale ? digits.slice(0, digits.length - scale) + '.' + digits.slice(digits.length - scale) : digits;
  return (neg ? '-' : '') + body;
}

/** The exact value of a normalised number as a fraction over 10^8. */
function scaled8(text: string): bigint {
  const neg = text.startsWith('-');
  const [i, f = ''] = (neg ? text.slice(1) : text).split('.');
  const v = BigInt((i ?? '0') + f.padEnd(8, '0'));
  return neg ? -v : v;
}

describe('exact arithmetic (property: agrees with BigInt on scaled integers)', () => {
  it('add', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const expected = a.int * 10n ** BigInt(8 - a.scale) + b.int * 10n ** BigInt(8 - b.scale);
        expect(scaled8(addNumbers(a.text, b.text))).toBe(expected);
      }),
    );
  });

  it('subtract', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const expected = a.int * 10n ** BigInt(8 - a.scale) - b.int * 10n ** BigInt(8 - b.scale);
        expect(scaled8(subtractNumbers(a.text, b.text))).toBe(expected);
      }),
    );
  });

  it('compare', () => {
    // Found by this property (seed -869786542): equal negative numbers compared as -0.
    expect(Object.is(compareNumbers('-1.7', '-1.7'), 0)).toBe(true);
    expect(Object.is(compareNumbers('-1.70', '-17E-1'), 0)).toBe(true);
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const x = a.int * 10n ** BigInt(8 - a.scale);
        const y = b.int * 10n ** BigInt(8 - b.scale);
        expect(Math.sign(compareNumbers(a.text, b.text))).toBe(x < y ? -1 : x > y ? 1 : 0);
      }),
    );
  });

  it('results are normalised (no exponent, no useless zeros, no -0)', () => {
    fc.assert(
      fc.property(decimal, decimal, (a, b) => {
        const r = addNumbers(a.text, b.text);
        expect(r).toBe(normalizeNumber(r));
        expect(r).not.toMatch(/e|^-0$|\.\d*0$|^-?0\d/i);
      }),
    );
  });

  it('is exact where floats are not', () => {
    expect(addNumbers('0.1', '0.2')).toBe('0.3');
    expect(subtractNumbers('1', '1.000')).toBe('0');
    expect(addNumbers('99999999999999999999999999999999999999', '-1')).toBe('99999999999999999999999999999999999998');
  });

  it('refuses a result DynamoDB cannot store', () => {
    expect(() => addNumbers('9.9999999999999999999999999999999999999E+125', '1E+125')).toThrow(OVERFLOW);
    expect(() => addNumbers('99999999999999999999999999999999999999', '1E-10')).toThrow(DIGITS);
  });
});
