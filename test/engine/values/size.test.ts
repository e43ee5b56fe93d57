/**
 * Item size rules, "DynamoDB item sizes and formats":
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
import type { Item } from '../../../src/engine/types';
import { attributeSize, itemSize, numberSize } from '../../../src/engine/values';

describe('item size', () => {
  it('strings: UTF-8 bytes of the name plus UTF-8 bytes of the value', () => {
    expect(itemSize({ name: { S: 'abc' } })).toBe(4 + 3);
    expect(itemSize({ é: { S: '😀' } })).toBe(2 + 4);
    expect(itemSize({ a: { S: '' } })).toBe(1);
  });

  it('binary: raw bytes, not base64 characters', () => {
    expect(attributeSize({ B: Buffer.from([1, 2, 3, 4, 5]).toString('base64') })).toBe(5);
  });

  it('null and boolean: 1 byte', () => {
    expect(itemSize({ a: { NULL: true }, b: { BOOL: false } })).toBe(1 + 1 + 1 + 1);
  });

  it('numbers: about 1 byte per two significant digits plus 1; leading/trailing zeros trimmed', () => {
    expect(numberSize('1')).toBe(2);
    expect(numberSize('12')).toBe(2);
    expect(numberSize('123')).toBe(3);
    expect(numberSize('1200')).toBe(numberSize('12'));
    expect(numberSize('0.0012')).toBe(numberSize('12'));
    expect(numberSize('-12')).toBe(numberSize('12') + 1);
    expect(numberSize('12345678901234567890123456789012345678')).toBe(20);
    // Digit pairs align on the exponent (dynalite's measurement against DynamoDB): 1.2 spans two pairs.
    expect(numberSize('1.2')).toBe(3);
    expect(numberSize('0')).toBe(1);
  });

  it('lists and maps: 3 bytes of overhead plus 1 byte per element plus the elements', () => {
    expect(attributeSize({ L: [] })).toBe(3);
    expect(attributeSize({ M: {} })).toBe(3);
    expect(attributeSize({ L: [{ S: 'ab' }, { BOOL: true }] })).toBe(3 + (1 + 2) + (1 + 1));
    expect(attributeSize({ M: { k: { S: 'ab' }, kk: { NULL: true } } })).toBe(3 + (1 + 1 + 2) + (1 + 2 + 1));
  });

  it('sets: the sum of their elements', () => {
    expect(attributeSize({ SS: ['a', 'bc'] })).toBe(3);
    expect(attributeSize({ NS: ['1', '12'] })).toBe(4);
    expect(attributeSize({ BS: ['AQ==', 'AQI='] })).toBe(3);
  });

  it('an item is the sum of its attributes', () => {
    const item: Item = { pk: { S: 'USER#1' }, n: { N: '42' }, tags: { SS: ['x'] }, doc: { M: { a: { L: [{ N: '1' }] } } } };
    expect(itemSize(item)).toBe(2 + 6 + (1 + 2) + (4 + 1) + (3 + 3 + (1 + 1 + (3 + 1 + 2))));
  });
});
