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
    ['non-string values', encodeCursor('listOrdersForUser', { ...key, sk: 5 }), /invalid key value/],
  ])('refuses %s', (_label, cursor, message) => {
    expect(() => decodeCursor(cursor, scope)).toThrow(CursorError);
    expect(() => decodeCursor(cursor, scope)).toThrow(message);
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
