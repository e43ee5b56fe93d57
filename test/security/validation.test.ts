import { ValidationError } from '../../src/toolkit';
import type { Services } from '../../src/reference';
import { checkInvariants } from '../support/invariants';
import { createModelFixture, type ModelFixture } from '../support/model-fixture';

/*
 * Bad input at the service boundary: a ValidationError that names the field and the rule, and not
 * a single request sent (so nothing can have been written).
 */
let f: ModelFixture;
beforeAll(async () => {
  f = await createModelFixture('validation');
});
afterEach(async () => {
  expect(await checkInvariants(f.client, f.tableName)).toEqual([]);
});
afterAll(() => f.close());

const ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
type Call = (s: Services) => Promise<unknown>;
const cases: [string, Call, string, string | RegExp][] = [
  ['unknown field', (s) => s.createUser({ email: 'a@b.io', name: 'A', isAdmin: true } as never), 'isAdmin', 'is not a known field'],
  ['unknown option', (s) => s.getUserById(ID, { consitent: true } as never), 'consitent', 'is not a known field'],
  ['wrong type', (s) => s.createUser({ email: 'a@b.io', name: 42 } as never), 'name', 'must be a string'],
  ['missing field', (s) => s.createUser({ email: 'a@b.io' } as never), 'name', 'must be a string'],
  ['control characters', (s) => s.createUser({ email: 'a@b.io', name: 'evil\u0000name' }), 'name', 'must not contain control characters'],
  ['zero-width characters', (s) => s.createUser({ email: 'a@b.io', name: 'in\u200bvisible' }), 'name', 'must not contain control characters'],
  ['too long', (s) => s.createUser({ email: 'a@b.io', name: 'x'.repeat(201) }), 'name', 'must be at most 200 characters'],
  ['blank', (s) => s.createUser({ email: 'a@b.io', name: '   ' }), 'name', 'must not be empty'],
  ['email too long for a key', (s) => s.createUser({ email: `${'a'.repeat(250)}@b.io`, name: 'A' }), 'email', 'must be at most 254 characters'],
  ['email with a delimiter-free but invalid shape', (s) => s.getUserByEmail('a@@b.io'), 'email', 'is not an email address'],
  ['id that is not ours', (s) => s.getUserById('../../etc/passwd'), 'userId', 'must be a user id (26-character ULID)'],
  ['id with a key delimiter', (s) => s.getOrganization(`${ID.slice(0, 25)}#`), 'orgId', 'must be a organization id (26-character ULID)'],
  ['lowercase id', (s) => s.getOrderWithItems(ID.toLowerCase()), 'orderId', 'must be a order id (26-character ULID)'],
  ['unknown status', (s) => s.listUsersByStatus('banned' as never), 'status', 'must be one of active, suspended, deactivated'],
  ['limit 0', (s) => s.listOrdersForUser(ID, { limit: 0 }), 'limit', 'must be at least 1'],
  ['limit 101', (s) => s.listOrdersForUser(ID, { limit: 101 }), 'limit', 'must be at most 100'],
  ['fractional limit', (s) => s.listUserOrganizations(ID, { limit: 2.5 }), 'limit', 'must be a whole number'],
  ['cursor of the wrong type', (s) => s.listOrdersForUser(ID, { cursor: 5 as never }), 'cursor', 'must be a string'],
  ['unparseable date', (s) => s.listOrdersForUser(ID, { from: 'yesterday' }), 'from', 'must be an ISO-8601 timestamp'],
  ['role', (s) => s.addMember(ID, ID, 'superuser' as never), 'role', 'must be one of owner, admin, member'],
  ['plan', (s) => s.createOrganization({ name: 'X', ownerUserId: ID, plan: 'gold' as never }), 'plan', 'must be one of free, pro, enterprise'],
  ['huge price', (s) => s.placeOrder(ID, { currency: 'USD', items: [{ sku: 'A', name: 'A', quantity: 1, unitPriceCents: 1e12 }] }), 'items.0.unitPriceCents', 'must be at most 100000000'],
  ['huge quantity', (s) => s.placeOrder(ID, { currency: 'USD', items: [{ sku: 'A', name: 'A', quantity: 1e6, unitPriceCents: 1 }] }), 'items.0.quantity', 'must be at most 10000'],
  ['idempotency key with a delimiter', (s) => s.placeOrder(ID, { currency: 'USD', items: [{ sku: 'A', name: 'A', quantity: 1, unitPriceCents: 1 }], idempotencyKey: 'a#b' }), 'idempotencyKey', /^must be 1-128 letters/],
  ['unknown item field', (s) => s.placeOrder(ID, { currency: 'USD', items: [{ sku: 'A', name: 'A', quantity: 1, unitPriceCents: 1, discount: 5 } as never] }), 'items.0.discount', 'is not a known field'],
  ['ttl not a number', (s) => s.createSession(ID, { ttlSeconds: '3600' as never }), 'ttlSeconds', 'must be a number'],
  ['user agent too long', (s) => s.createSession(ID, { ttlSeconds: 600, userAgent: 'x'.repeat(513) }), 'userAgent', 'must be at most 512 characters'],
  ['expected version 0', (s) => s.updateUserProfile(ID, { name: 'A' }, { expectedVersion: 0 }), 'options.expectedVersion', 'must be at least 1'],
  ['createdFrom after createdTo (once sent, and the raw ValidationException came back)', (s) => s.listUsersByStatus('active', { createdFrom: '2024-02-01T00:00:00Z', createdTo: '2024-01-01T00:00:00Z' }), 'createdFrom', 'must not be after createdTo (2024-01-01T00:00:00.000Z)'],
  ['NaN', (s) => s.listOrdersForUser(ID, { limit: NaN }), 'limit', 'must be a finite number'],
  ['Infinity', (s) => s.createSession(ID, { ttlSeconds: Infinity }), 'ttlSeconds', 'must be a finite number'],
  ['2^53', (s) => s.updateUserProfile(ID, { name: 'A' }, { expectedVersion: 2 ** 53 }), 'options.expectedVersion', 'must be at most 9007199254740991'],
  ['1e300', (s) => s.placeOrder(ID, { currency: 'USD', items: [{ sku: 'A', name: 'A', quantity: 1e300, unitPriceCents: 1 }] }), 'items.0.quantity', 'must be at most 10000'],
  ['a year-10000 Date', (s) => s.listOrdersForUser(ID, { from: new Date('2024-01-01T00:00:00Z'), to: new Date(Date.UTC(10000, 0, 1)) }), 'to', 'must be a date between the years 0 and 9999'],
  ['Hangul filler alone', (s) => s.createUser({ email: 'a@b.io', name: '\u3164' }), 'name', 'must contain a visible character'],
  ['combining marks alone', (s) => s.createUser({ email: 'a@b.io', name: '\u0301\u0308' }), 'name', 'must contain a visible character'],
  ['profile change of an unknown field', (s) => s.updateUserProfile(ID, { name: 'A', email: 'x@y.io' } as never), 'changes.email', 'is not a known field'],
];

describe('names with letters that are not blank are accepted', () => {
  it.each([['Hangul', '\u1100\u1161'], ['accented', 'Zoe\u0301'], ['CJK', '山田']])('%s', async (label, name) => {
    const user = await f.services.createUser({ email: `ok-${label.toLowerCase()}@example.com`, name });
    expect(user.name).toBe(name);
  });
});

describe('bad input gets a ValidationError naming field and rule, and nothing is sent', () => {
  it.each(cases)('%s', async (_label, call, field, rule) => {
    const { result, requests } = await f.requestsOf(() => call(f.services).catch((e: unknown) => e));
    expect(result).toBeInstanceOf(ValidationError);
    const error = result as ValidationError;
    expect(error.code).toBe('VALIDATION');
    expect(error.field).toBe(field);
    if (typeof rule === 'string') expect(error.rule).toBe(rule);
    else expect(error.rule).toMatch(rule);
    expect(error.message.startsWith(`${field}: `)).toBe(true);
    expect(error.message).not.toMatch(/: null /); // NaN and Infinity are shown as themselves
    expect(requests).toHaveLength(0);
  });
});
