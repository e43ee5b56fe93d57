import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { createModel } from '../../src/reference';
import { emailSchema, idempotencyKeySchema, skuSchema, ULID_PATTERN } from '../../src/reference';
import { MAX_TIME, MIN_TIME } from '../../src/reference';

/*
 * Keys cannot be forged: whatever a caller supplies, once it passes validation, two distinct
 * logical items never share a physical key, and no key condition a pattern sends matches an item
 * outside its logical range. Checked on the keys ElectroDB really builds.
 */

const model = createModel(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 't');
const { user, emailClaim, membership, order, orderItem, orderRequest, session } = model.entities;

// Hostile alphabets: delimiters, ElectroDB's own markers, case variants, unicode, prefixes.
const hostile = fc.string({
  unit: fc.constantFrom('a', 'b', 'B', 'o', 'y', '#', '$', '_', '-', '.', '@', 'x', '1', 'é', 'ß', '\u0130', ':', '%', ' ', '\u200b'),
  maxLength: 24,
});
const accepted = <T>(schema: { safeParse: (v: unknown) => { success: boolean; data?: T } }) =>
  hostile.map((raw) => schema.safeParse(raw)).filter((r) => r.success).map((r) => r.data as T);
const emails = fc.tuple(hostile, hostile).map(([l, d]) => `${l}@${d}.io`).map((raw) => emailSchema.safeParse(raw)).filter((r) => r.success).map((r) => r.data as string);
const skus = accepted<string>(skuSchema);
const keys = accepted<string>(idempotencyKeySchema);
const ulid = fc.stringMatching(/^[0-9A-HJKMNP-TV-Z]{26}$/);
/** Two ids that are the same half of the time: collisions hide inside one partition. */
const idPair = ulid.chain((a) => fc.tuple(fc.constant(a), fc.oneof(fc.constant(a), ulid)));
/** Two SKUs that are often case variants or prefixes of each other (A / a / AB). */
const skuPair = skus.chain((a) => fc.tuple(fc.constant(a), fc.oneof(skus, fc.constant(a.toLowerCase()), fc.constant(a.toUpperCase()), fc.constant(`${a}B`))).filter(([, b]) => skuSchema.safeParse(b).success));
const iso = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());

type Item = Record<string, unknown>;
const keyOf = (item: Item, fields: string[]) => fields.map((f) => String(item[f])).join('\u0000');
const PRIMARY = ['pk', 'sk'];

/** Evaluates a KeyConditionExpression as DynamoDB would, on one item's attributes. */
function matches(params: { KeyConditionExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, unknown> }, item: Item): boolean {
  const names = params.ExpressionAttributeNames ?? {};
  const values = params.ExpressionAttributeValues ?? {};
  const attr = (token: string) => item[names[token] ?? token] as string | undefined;
  return (params.KeyConditionExpression ?? '').split(/ and /i).every((clause) => {
    let m = /^(#\w+) = (:\w+)$/.exec(clause.trim());
    if (m) return attr(m[1] as string) === values[m[2] as string];
    m = /^begins_with\((#\w+), (:\w+)\)$/.exec(clause.trim());
    if (m) return (attr(m[1] as string) ?? '\uffff').startsWith(values[m[2] as string] as string);
    m = /^(#\w+) BETWEEN (:\w+)$/.exec(clause.trim());
    throw new Error(`unhandled clause ${clause}`);
  });
}
// "x BETWEEN :a AND :b" is split by the `and` above: evaluate BETWEEN on the whole expression.
function matchesAll(params: Parameters<typeof matches>[0], item: Item): boolean {
  const expr = params.KeyConditionExpression ?? '';
  const between = /(#\w+) BETWEEN (:\w+) AND (:\w+)/.exec(expr);
  if (!between) return matches(params, item);
  const rest = expr.replace(between[0], '').replace(/\s+and\s*$/i, '').replace(/^\s*and\s+/i, '');
  const names = params.ExpressionAttributeNames ?? {};
  const values = params.ExpressionAttributeValues ?? {};
  const v = item[names[between[1] as string] as string] as string | undefined;
  const inRange = v !== undefined && v >= (values[between[2] as string] as string) && v <= (values[between[3] as string] as string);
  return inRange && matches({ ...params, KeyConditionExpression: rest }, item);
}

const runs = { numRuns: 300 };

describe('key composition is injective for every value validation accepts', () => {
  it('the validators reject every key delimiter and control character', () => {
    fc.assert(fc.property(skus, (sku) => !sku.includes('#') && !sku.includes('$')), runs);
    fc.assert(fc.property(keys, (k) => !k.includes('#') && !k.includes('$')), runs);
    fc.assert(fc.property(emails, (e) => e === e.trim().toLowerCase() && ![...e].some((c) => c.charCodeAt(0) < 0x20 || c === '\u200b')), runs);
    expect(ULID_PATTERN.test('01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBe(true);
  });

  it('emailClaim and user-by-email: distinct emails never share a key', () => {
    fc.assert(
      fc.property(emails, emails, (a, b) => {
        fc.pre(a !== b);
        const ka = emailClaim.create({ email: a, userId: 'U', claimedAt: 'T' }).params().Item as Item;
        const kb = emailClaim.create({ email: b, userId: 'U', claimedAt: 'T' }).params().Item as Item;
        return keyOf(ka, PRIMARY) !== keyOf(kb, PRIMARY);
      }),
      runs,
    );
  });

  it('order items: distinct (order, sku) pairs never share a key, case is preserved', () => {
    fc.assert(
      fc.property(idPair, skuPair, ([o1, o2], [s1, s2]) => {
        fc.pre(o1 !== o2 || s1 !== s2);
        const a = orderItem.create({ orderId: o1, sku: s1, name: 'n', quantity: 1, unitPriceCents: 1 }).params().Item as Item;
        const b = orderItem.create({ orderId: o2, sku: s2, name: 'n', quantity: 1, unitPriceCents: 1 }).params().Item as Item;
        return keyOf(a, PRIMARY) !== keyOf(b, PRIMARY);
      }),
      runs,
    );
  });

  it('idempotency records: distinct (user, key) pairs never share a key', () => {
    fc.assert(
      fc.property(idPair, keys, keys, ([u1, u2], k1, k2) => {
        fc.pre(u1 !== u2 || k1 !== k2);
        const a = orderRequest.create({ userId: u1, idempotencyKey: k1, orderId: 'O', createdAt: 'T', expiresAt: 1 }).params().Item as Item;
        const b = orderRequest.create({ userId: u2, idempotencyKey: k2, orderId: 'O', createdAt: 'T', expiresAt: 1 }).params().Item as Item;
        return keyOf(a, PRIMARY) !== keyOf(b, PRIMARY);
      }),
      runs,
    );
  });

  it('no two different entities ever share a primary key', () => {
    fc.assert(
      fc.property(ulid, ulid, emails, skus, keys, (a, b, email, sku, key) => {
        const items = [
          user.create({ userId: a, email, name: 'n', status: 'active', createdAt: 'T', updatedAt: 'T', version: 1, statusShard: '0' }).params().Item,
          emailClaim.create({ email, userId: a, claimedAt: 'T' }).params().Item,
          model.entities.organization.create({ orgId: a, name: 'n', plan: 'free', memberCount: 1, ownerCount: 1, createdAt: 'T', updatedAt: 'T' }).params().Item,
          membership.create({ orgId: a, userId: b, role: 'owner', orgName: 'o', userName: 'u', joinedAt: 'T' }).params().Item,
          order.create({ orderId: a, userId: b, status: 'pending', currency: 'USD', totalCents: 1, itemCount: 1, createdAt: 'T', updatedAt: 'T' }).params().Item,
          orderItem.create({ orderId: a, sku, name: 'n', quantity: 1, unitPriceCents: 1 }).params().Item,
          orderRequest.create({ userId: a, idempotencyKey: key, orderId: b, createdAt: 'T', expiresAt: 1 }).params().Item,
          session.create({ sessionId: b, userId: a, createdAt: 'T', expiresAt: 1 }).params().Item,
        ] as Item[];
        return new Set(items.map((i) => keyOf(i, PRIMARY))).size === items.length;
      }),
      runs,
    );
  });
});

describe('no key condition a pattern sends matches an item outside its logical range', () => {
  it("a user's order listing (gsi1, date range) never matches another user's orders, sessions or memberships", () => {
    fc.assert(
      fc.property(idPair, iso, iso, iso, ([me, other], from, to, at) => {
        fc.pre(from <= to);
        const params = order.query.byUser({ userId: me }).between({ createdAt: from }, { createdAt: to }).params();
        const foreign = [
          order.create({ orderId: 'X', userId: other, status: 'pending', currency: 'USD', totalCents: 1, itemCount: 1, createdAt: at, updatedAt: at }).params().Item,
          session.create({ sessionId: 'S', userId: me, createdAt: at, expiresAt: 1 }).params().Item,
          membership.create({ orgId: other, userId: me, role: 'member', orgName: 'o', userName: 'u', joinedAt: at }).params().Item,
          user.create({ userId: me, email: 'a@b.io', name: 'n', status: 'active', createdAt: at, updatedAt: at, version: 1, statusShard: '0' }).params().Item,
        ] as Item[];
        const mine = order.create({ orderId: 'Y', userId: me, status: 'pending', currency: 'USD', totalCents: 1, itemCount: 1, createdAt: at, updatedAt: at }).params().Item as Item;
        const inRange = at >= from && at <= to;
        return (me === other || !matchesAll(params, foreign[0] as Item)) && foreign.slice(1).every((i) => !matchesAll(params, i)) && matchesAll(params, mine) === inRange;
      }),
      runs,
    );
  });

  it('an order with items never includes another order\'s items (sku prefixes such as A / AB)', () => {
    fc.assert(
      fc.property(idPair, skus, ([mine, other], sku) => {
        fc.pre(mine !== other);
        const params = model.collections.orderDetails({ orderId: mine }).params();
        const theirs = orderItem.create({ orderId: other, sku, name: 'n', quantity: 1, unitPriceCents: 1 }).params().Item as Item;
        const own = orderItem.create({ orderId: mine, sku, name: 'n', quantity: 1, unitPriceCents: 1 }).params().Item as Item;
        return !matchesAll(params, theirs) && matchesAll(params, own);
      }),
      runs,
    );
  });

  it('members of one role never match another role (owner / admin / member), nor another organization', () => {
    const roles = ['owner', 'admin', 'member'] as const;
    fc.assert(
      fc.property(idPair, fc.constantFrom(...roles), fc.constantFrom(...roles), ulid, ([org, otherOrg], asked, actual, userId) => {
        const params = membership.query.byRole({ orgId: org, role: asked }).params();
        const item = membership.create({ orgId: otherOrg, userId, role: actual, orgName: 'o', userName: 'u', joinedAt: 'T' }).params().Item as Item;
        return matchesAll(params, item) === (org === otherOrg && asked === actual);
      }),
      runs,
    );
  });

  it("users by status never match orders by status on the shared gsi3, and the open-ended range covers every timestamp", () => {
    fc.assert(
      fc.property(iso, ulid, (at, id) => {
        const params = user.query.byStatus({ status: 'active', statusShard: '0' }).between({ createdAt: MIN_TIME }, { createdAt: MAX_TIME }).params();
        const u = user.create({ userId: id, email: 'a@b.io', name: 'n', status: 'active', createdAt: at, updatedAt: at, version: 1, statusShard: '0' }).params().Item as Item;
        const o = order.create({ orderId: id, userId: id, status: 'pending', currency: 'USD', totalCents: 1, itemCount: 1, createdAt: at, updatedAt: at }).params().Item as Item;
        return matchesAll(params, u) && !matchesAll(params, o);
      }),
      runs,
    );
  });

  it('a session listing (begins_with on the user partition) never matches the user, its idempotency records or another user', () => {
    fc.assert(
      fc.property(idPair, keys, ([me, other], key) => {
        const params = session.query.session({ userId: me }).params();
        const notSessions = [
          user.create({ userId: me, email: 'a@b.io', name: 'n', status: 'active', createdAt: 'T', updatedAt: 'T', version: 1, statusShard: '0' }).params().Item,
          orderRequest.create({ userId: me, idempotencyKey: key, orderId: 'O', createdAt: 'T', expiresAt: 1 }).params().Item,
        ] as Item[];
        const theirs = session.create({ sessionId: 'S', userId: other, createdAt: 'T', expiresAt: 1 }).params().Item as Item;
        return notSessions.every((i) => !matchesAll(params, i)) && (me === other || !matchesAll(params, theirs));
      }),
      runs,
    );
  });
});
