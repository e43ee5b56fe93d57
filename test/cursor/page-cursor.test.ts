import { CursorError, decodeCursor, encodeCursor, type CursorScope } from '../../src/toolkit';

const scope: CursorScope = {
  pattern: 'listOrdersForUser',
  keyFields: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
  partition: { field: 'gsi1pk', value: '$app#userId_A' },
  range: { field: 'gsi1sk', from: '$account#order_1#createdAt_0', to: '$account#order_1#createdAt_9' },
};
const key = { pk: '$app#orderId_1', sk: '$orderDetails#order_1', gsi1pk: '$app#userId_A', gsi1sk: '$account#order_1#createdAt_2026' };

describe('page cursors', () => {
  it('round-trip inside their own listing', () => {
    expect(decodeCursor(encodeCursor('listOrdersForUser', key), scope)).toEqual(key);
  });

  it.each([
    ['garbage', 'not a cursor!', /malformed/],
    ['truncated', encodeCursor('listOrdersForUser', key).slice(0, 20), /malformed/],
    ['another listing', encodeCursor('listUsersByStatus', key), /belongs to another listing/],
    ['another partition (another user)', encodeCursor('listOrdersForUser', { ...key, gsi1pk: '$app#userId_B' }), /another partition/],
    ['outside the range', encodeCursor('listOrdersForUser', { ...key, gsi1sk: '$account#session_1#x' }), /outside this listing's range/],
    ['extra key fields', encodeCursor('listOrdersForUser', { ...key, extra: 'x' }), /does not match this listing's keys/],
    ['values that are neither strings nor numbers', encodeCursor('listOrdersForUser', { ...key, sk: true }), /invalid key value/],
    ['a number where the range is of strings', encodeCursor('listOrdersForUser', { ...key, gsi1sk: 5 }), /outside this listing's range/],
  ])('refuses %s', (_label, cursor, message) => {
    expect(() => decodeCursor(cursor, scope)).toThrow(CursorError);
    expect(() => decodeCursor(cursor, scope)).toThrow(message);
  });
});

describe('page cursor ranges, in DynamoDB\'s order', () => {
  // DynamoDB orders strings by UTF-8 bytes: '\uffff' (EF BF BF) < '😀' (F0 9F 98 80), while
  // JavaScript's < says the opposite (UTF-16: 0xFFFF > 0xD83D).
  // https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html (ScanIndexForward)
  const utf8: CursorScope = { pattern: 'p', keyFields: ['pk', 'sk'], partition: { field: 'pk', value: 'x' }, range: { field: 'sk', from: 'a', to: '\ud83d\ude00' } };
  it('accepts a key inside a BETWEEN up to 😀 by UTF-8 bytes, and refuses one after it', () => {
    expect(decodeCursor(encodeCursor('p', { pk: 'x', sk: '\uffff' }), utf8)).toEqual({ pk: 'x', sk: '\uffff' });
    expect(() => decodeCursor(encodeCursor('p', { pk: 'x', sk: '\ud83d\ude01' }), utf8)).toThrow(/outside this listing's range/);
  });
  it('compares number keys by value', () => {
    const numeric: CursorScope = { pattern: 'p', keyFields: ['pk', 'sk'], partition: { field: 'pk', value: 'x' }, range: { field: 'sk', from: -15, to: 25 } };
    expect(decodeCursor(encodeCursor('p', { pk: 'x', sk: 5 }), numeric)).toEqual({ pk: 'x', sk: 5 });
    expect(() => decodeCursor(encodeCursor('p', { pk: 'x', sk: 100 }), numeric)).toThrow(/outside this listing's range/);
    expect(() => decodeCursor(encodeCursor('p', { pk: 'x', sk: '5' }), numeric)).toThrow(/outside this listing's range/);
  });
});

describe('signed page cursors', () => {
  const secret = 's3cret';
  it('round-trip with the same secret and refuse any edit, a missing signature or another secret', () => {
    const cursor = encodeCursor('listOrdersForUser', key, secret);
    expect(decodeCursor(cursor, scope, secret)).toEqual(key);
    const [payload, signature] = cursor.split('.') as [string, string];
    const edited = Buffer.from(Buffer.from(payload, 'base64url').toString('utf8').replace('2026', '2025')).toString('base64url');
    expect(() => decodeCursor(`${edited}.${signature}`, scope, secret)).toThrow(/altered/);
    expect(() => decodeCursor(payload, scope, secret)).toThrow(/altered/);
    expect(() => decodeCursor(cursor, scope, 'other')).toThrow(/altered/);
  });
});
