/**
 * AttributeValue wire rules, "Supported data types and naming rules":
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
 * (sets may not be empty, set elements are unique, empty strings/binaries are allowed outside keys,
 * nesting up to 32 levels). Messages are DynamoDB's, as recorded by dynalite.
 */
import { EngineError } from '../../../src/engine/errors';
import { attributeValueError, validateAttributeValue, validateItem } from '../../../src/engine/values';

function thrown(f: () => unknown): EngineError {
  try {
    f();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('validateAttributeValue', () => {
  it.each<[unknown, string]>([
    [{}, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
    [{ X: 'a' }, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
    [{ S: 'a', N: '1' }, 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes'],
    [{ SS: [] }, 'One or more parameter values were invalid: An string set  may not be empty'],
    [{ NS: [] }, 'One or more parameter values were invalid: An number set  may not be empty'],
    [{ BS: [] }, 'One or more parameter values were invalid: Binary sets should not be empty'],
    [{ SS: ['a', 'a'] }, 'One or more parameter values were invalid: Input collection [a, a] contains duplicates.'],
    [{ NS: ['1', '1.0'] }, 'Input collection contains duplicates'],
    [{ BS: ['AQ==', 'AQ=='] }, 'One or more parameter values were invalid: Input collection [AQ==, AQ==]of type BS contains duplicates.'],
    [{ NULL: false }, 'One or more parameter values were invalid: Null attribute value types must have the value of true'],
    [{ N: 'x' }, 'The parameter cannot be converted to a numeric value: x'],
    [{ NS: ['1', '1E+200'] }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    [{ L: [{ S: 'ok' }, { SS: [] }] }, 'One or more parameter values were invalid: An string set  may not be empty'],
    [{ M: { a: { M: { b: { N: '' } } } } }, 'The parameter cannot be converted to a numeric value'],
  ])('%j is refused', (value, message) => {
    expect(attributeValueError(value)).toBe(message);
    const e = thrown(() => validateAttributeValue(value));
    expect(e.type).toBe('ValidationException');
    expect(e.message).toBe(message);
  });

  it('accepts empty strings and binaries (non-key attributes) and normalises numbers', () => {
    expect(validateAttributeValue({ S: '' })).toEqual({ S: '' });
    expect(validateAttributeValue({ B: '' })).toEqual({ B: '' });
    expect(validateAttributeValue({ M: { n: { N: '1.50' }, s: { NS: ['1E+1', '02'] } } })).toEqual({ M: { n: { N: '1.5' }, s: { NS: ['10', '2'] } } });
  });

  it('allows 32 levels of nesting and refuses 33', () => {
    const nest = (levels: number): unknown => {
      let v: unknown = { S: 'leaf' };
      for (let i = 0; i < levels; i++) v = i % 2 ? { L: [v] } : { M: { k: v } };
      return v;
    };
    expect(attributeValueError(nest(32))).toBeUndefined();
    expect(attributeValueError(nest(33))).toBe('Nesting Levels have exceeded supported limits');
  });

  it('refuses wrong JSON types as SerializationException (request layer), before any ValidationException', () => {
    expect(thrown(() => validateAttributeValue({ S: 5 })).type).toBe('SerializationException');
    expect(thrown(() => validateAttributeValue({ S: 5 })).message).toBe('NUMBER_VALUE cannot be converted to String');
    expect(thrown(() => validateAttributeValue({ N: 1.5 })).message).toBe('DECIMAL_VALUE cannot be converted to String');
    expect(thrown(() => validateAttributeValue({ B: 'abc' })).message).toBe('Base64 encoded length is expected a multiple of 4 bytes but found: 3');
    expect(thrown(() => validateAttributeValue({ SS: 'a' })).type).toBe('SerializationException');
    expect(thrown(() => validateAttributeValue({ M: [] })).type).toBe('SerializationException');
    expect(thrown(() => validateAttributeValue('x')).type).toBe('SerializationException');
  });

  it('keeps hostile attribute names as plain own properties', () => {
    const item = validateItem(JSON.parse('{"__proto__":{"S":"p"},"constructor":{"N":"1"},"${x}":{"S":"\\"q"}}'));
    expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
    expect(Object.keys(item)).toEqual(['__proto__', 'constructor', '${x}']);
    expect(Object.getOwnPropertyDescriptor(item, '__proto__')?.value).toEqual({ S: 'p' });
    const m = validateAttributeValue(JSON.parse('{"M":{"__proto__":{"S":"p"}}}')) as { M: Record<string, unknown> };
    expect(Object.keys(m.M)).toEqual(['__proto__']);
  });

  it('does not mutate its input', () => {
    const input = { N: '1.50' };
    validateAttributeValue(input);
    expect(input).toEqual({ N: '1.50' });
  });
});
