import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Entity as TbEntity, GetItemCommand, item, number, QueryCommand, string, Table as TbTable } from 'dynamodb-toolbox';
import { Table as OneTable } from 'dynamodb-onetable';
import { createModel, MAX_TIME, MIN_TIME } from '../src/reference';

/** The libraries measured beside single-table-kit, each as its users call it by default. */
export const PEERS = ['ElectroDB .go()', 'dynamodb-toolbox', 'OneTable'] as const;
export type PeerName = (typeof PEERS)[number];

export type Side = (i: number) => Promise<unknown>;

/** The ids a pattern's calls rotate over (the same for every contender). */
export interface PatternIds {
  user: (i: number) => string;
  email: (i: number) => string;
  org: (i: number) => string;
  order: (i: number) => string;
  pageUser: (i: number) => string;
  bigOrg: (i: number) => string;
  sessionUser: (i: number) => string;
}

const userPk = (id: string) => `$app#userId_${id}`;

/**
 * dynamodb-toolbox v2 modelling the reference items with the keys ElectroDB writes. The entity
 * attribute is saved as ElectroDB's `__edb_e__` (its values are the same entity names), and
 * timestamps are off (ElectroDB's items have none), so toolbox reads the seeded items as they are.
 */
function toolbox(doc: DynamoDBDocumentClient, name: string) {
  const key = (n: string) => ({ name: n, type: 'string' as const });
  const table = new TbTable({
    name,
    documentClient: doc,
    partitionKey: key('pk'),
    sortKey: key('sk'),
    indexes: {
      gsi1: { type: 'global', partitionKey: key('gsi1pk'), sortKey: key('gsi1sk') },
      gsi2: { type: 'global', partitionKey: key('gsi2pk'), sortKey: key('gsi2sk') },
      gsi3: { type: 'global', partitionKey: key('gsi3pk'), sortKey: key('gsi3sk') },
    },
    entityAttributeSavedAs: '__edb_e__',
  });
  const user = new TbEntity({
    name: 'user',
    table,
    timestamps: false,
    schema: item({
      userId: string().key(),
      email: string(),
      name: string(),
      status: string().enum('active', 'suspended', 'deactivated'),
      createdAt: string(),
      updatedAt: string(),
      version: number(),
      statusShard: string(),
    }),
    computeKey: ({ userId }) => ({ pk: userPk(userId), sk: '$userData#user_1' }),
  });
  const organization = new TbEntity({
    name: 'organization',
    table,
    timestamps: false,
    schema: item({
      orgId: string().key(),
      name: string(),
      plan: string().enum('free', 'pro', 'enterprise'),
      memberCount: number(),
      ownerCount: number(),
      createdAt: string(),
      updatedAt: string(),
    }),
    computeKey: ({ orgId }) => ({ pk: `$app#orgId_${orgId}`, sk: '$organization#organization_1' }),
  });
  const membership = new TbEntity({
    name: 'membership',
    table,
    timestamps: false,
    schema: item({
      orgId: string().key(),
      userId: string().key(),
      role: string().enum('owner', 'admin', 'member'),
      orgName: string(),
      userName: string(),
      joinedAt: string(),
    }),
    computeKey: ({ orgId, userId }) => ({ pk: `$app#orgId_${orgId}`, sk: `$organization#membership_1#userId_${userId}` }),
  });
  const order = new TbEntity({
    name: 'order',
    table,
    timestamps: false,
    schema: item({
      orderId: string().key(),
      userId: string(),
      status: string().enum('pending', 'paid', 'shipped', 'delivered', 'cancelled'),
      currency: string(),
      totalCents: number(),
      itemCount: number(),
      createdAt: string(),
      updatedAt: string(),
      idempotencyKey: string().optional(),
    }),
    computeKey: ({ orderId }) => ({ pk: `$app#orderId_${orderId}`, sk: '$orderDetails#order_1' }),
  });
  const orderItem = new TbEntity({
    name: 'orderItem',
    table,
    timestamps: false,
    schema: item({ orderId: string().key(), sku: string().key(), name: string(), quantity: number(), unitPriceCents: number() }),
    computeKey: ({ orderId, sku }) => ({ pk: `$app#orderId_${orderId}`, sk: `$orderDetails#orderItem_1#sku_${sku}` }),
  });
  return { table, user, organization, membership, order, orderItem };
}

/** OneTable modelling the same items: key templates that produce ElectroDB's key strings, `__edb_e__` as its type field. */
function onetable(client: DynamoDBClient, name: string) {
  const S = { type: String, required: true } as const;
  const N = { type: Number, required: true } as const;
  const schema = {
    format: 'onetable:1.1.0',
    version: '0.0.1',
    indexes: {
      primary: { hash: 'pk', sort: 'sk' },
      gsi1: { hash: 'gsi1pk', sort: 'gsi1sk', project: 'all' },
      gsi2: { hash: 'gsi2pk', sort: 'gsi2sk', project: 'all' },
      gsi3: { hash: 'gsi3pk', sort: 'gsi3sk', project: 'all' },
    },
    params: { typeField: '__edb_e__', timestamps: false },
    models: {
      user: {
        pk: { type: String, value: '$app#userId_${userId}' },
        sk: { type: String, value: '$userData#user_1' },
        gsi2pk: { type: String, value: '$app#email_${email}' },
        gsi2sk: { type: String, value: '$user_1' },
        userId: S, email: S, name: S, status: S, createdAt: S, updatedAt: S, version: N, statusShard: S,
      },
      organization: {
        pk: { type: String, value: '$app#orgId_${orgId}' },
        sk: { type: String, value: '$organization#organization_1' },
        orgId: S, name: S, plan: S, memberCount: N, ownerCount: N, createdAt: S, updatedAt: S,
      },
      membership: {
        pk: { type: String, value: '$app#orgId_${orgId}' },
        sk: { type: String, value: '$organization#membership_1#userId_${userId}' },
        gsi1pk: { type: String, value: '$app#userId_${userId}' },
        gsi1sk: { type: String, value: '$membership_1#orgId_${orgId}' },
        gsi2pk: { type: String, value: '$app#orgId_${orgId}' },
        gsi2sk: { type: String, value: '$membership_1#role_${role}#userId_${userId}' },
        orgId: S, userId: S, role: S, orgName: S, userName: S, joinedAt: S,
      },
      order: {
        pk: { type: String, value: '$app#orderId_${orderId}' },
        sk: { type: String, value: '$orderDetails#order_1' },
        gsi1pk: { type: String, value: '$app#userId_${userId}' },
        gsi1sk: { type: String, value: '$account#order_1#createdAt_${createdAt}' },
        orderId: S, userId: S, status: S, currency: S, totalCents: N, itemCount: N, createdAt: S, updatedAt: S, idempotencyKey: { type: String },
      },
      orderItem: {
        pk: { type: String, value: '$app#orderId_${orderId}' },
        sk: { type: String, value: '$orderDetails#orderItem_1#sku_${sku}' },
        orderId: S, sku: S, name: S, quantity: N, unitPriceCents: N,
      },
    },
  } as const;
  const table = new OneTable({ client, name, schema, partial: false });
  return {
    table,
    User: table.getModel('user'),
    Organization: table.getModel('organization'),
    Membership: table.getModel('membership'),
    Order: table.getModel('order'),
  };
}

/**
 * The peers' sides per pattern, on the given client (the benchmark passes the same DynamoDBClient
 * and DocumentClient the kit's services use). ElectroDB `.go()` covers every read pattern;
 * dynamodb-toolbox and OneTable cover the patterns that show each shape (GetItem, one Query page,
 * a 25-item page, a collection).
 */
export function createPeerSides(client: DynamoDBClient, doc: DynamoDBDocumentClient, tableName: string, ids: PatternIds, shards: number): Map<string, Partial<Record<PeerName, Side>>> {
  const edb = createModel(doc, tableName);
  const { user, membership, order, organization, session } = edb.entities;
  const tb = toolbox(doc, tableName);
  const ot = onetable(client, tableName);
  const now = () => Math.floor(Date.now() / 1000);
  const between = (prefix: string) => ({ between: [`${prefix}${MIN_TIME}`, `${prefix}${MAX_TIME}`] as [string, string] });
  const sides = new Map<string, Partial<Record<PeerName, Side>>>();
  sides.set('getUserById', {
    'ElectroDB .go()': (i) => user.get({ userId: ids.user(i) }).go(),
    'dynamodb-toolbox': (i) => tb.user.build(GetItemCommand).key({ userId: ids.user(i) }).send(),
    OneTable: (i) => ot.User.get({ userId: ids.user(i) }),
  });
  sides.set('getUserByEmail', {
    'ElectroDB .go()': (i) => user.query.byEmail({ email: ids.email(i) }).go({ limit: 1 }),
    'dynamodb-toolbox': (i) => tb.table.build(QueryCommand).entities(tb.user).query({ index: 'gsi2', partition: `$app#email_${ids.email(i)}`, range: { eq: '$user_1' } }).options({ limit: 1 }).send(),
    OneTable: (i) => ot.User.find({ email: ids.email(i) }, { index: 'gsi2', limit: 1 }),
  });
  sides.set('listUsersByStatus', {
    'ElectroDB .go()': async () => {
      const pages = await Promise.all(
        Array.from({ length: shards }, (_, shard) =>
          user.query.byStatus({ status: 'active', statusShard: String(shard) }).between({ createdAt: MIN_TIME }, { createdAt: MAX_TIME }).go({ order: 'desc', limit: 25 }),
        ),
      );
      return pages
        .flatMap((p) => p.data)
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.userId < b.userId ? 1 : -1))
        .slice(0, 25);
    },
  });
  sides.set('getUserAccount', {
    // The same three requests as the service: the user, then its orders and its live sessions.
    'ElectroDB .go()': async (i) => {
      const userId = ids.pageUser(i);
      const found = await user.get({ userId }).go();
      if (!found.data) return null;
      const t = now();
      const since = new Date((t - 90 * 24 * 3600) * 1000).toISOString();
      const [orders, sessions] = await Promise.all([
        order.query.byUser({ userId }).go({ order: 'desc', limit: 50 }),
        session.query.account({ userId }).gte({ createdAt: since }).where((a, { gt }) => gt(a.expiresAt, t)).go({ order: 'desc' }),
      ]);
      return { user: found.data, orders: orders.data, sessions: sessions.data.slice(0, 50) };
    },
  });
  sides.set('getOrganization', {
    'ElectroDB .go()': (i) => organization.get({ orgId: ids.org(i) }).go(),
    'dynamodb-toolbox': (i) => tb.organization.build(GetItemCommand).key({ orgId: ids.org(i) }).send(),
    OneTable: (i) => ot.Organization.get({ orgId: ids.org(i) }),
  });
  // The PartiQL pattern's ElectroDB twin: the same item by the same key, with a GetItem.
  sides.set('getOrganizationWithPartiql', {
    'ElectroDB .go()': (i) => organization.get({ orgId: ids.org(i) }).go(),
  });
  sides.set('listOrganizationMembers', {
    'ElectroDB .go()': (i) => membership.query.byRole({ orgId: ids.bigOrg(i) }).go({ limit: 25 }),
    'dynamodb-toolbox': (i) =>
      tb.table.build(QueryCommand).entities(tb.membership).query({ index: 'gsi2', partition: `$app#orgId_${ids.bigOrg(i)}`, range: { beginsWith: '$membership_1#role_' } }).options({ limit: 25 }).send(),
    OneTable: (i) => ot.Membership.find({ orgId: ids.bigOrg(i), gsi2sk: { begins_with: '$membership_1#role_' } }, { index: 'gsi2', limit: 25 }),
  });
  sides.set('listUserOrganizations', {
    'ElectroDB .go()': (i) => membership.query.byUser({ userId: ids.pageUser(i) }).go({ limit: 25 }),
    'dynamodb-toolbox': (i) =>
      tb.table.build(QueryCommand).entities(tb.membership).query({ index: 'gsi1', partition: userPk(ids.pageUser(i)), range: { beginsWith: '$membership_1#orgId_' } }).options({ limit: 25 }).send(),
    OneTable: (i) => ot.Membership.find({ userId: ids.pageUser(i), gsi1sk: { begins_with: '$membership_1#orgId_' } }, { index: 'gsi1', limit: 25 }),
  });
  sides.set('getOrganizationWithMembers', {
    'ElectroDB .go()': (i) => edb.collections.organization({ orgId: ids.bigOrg(i) }).go({ order: 'desc', limit: 26 }),
  });
  sides.set('getOrderWithItems', {
    'ElectroDB .go()': (i) => edb.collections.orderDetails({ orderId: ids.order(i) }).go({ pages: 'all' }),
    'dynamodb-toolbox': (i) =>
      tb.table.build(QueryCommand).entities(tb.order, tb.orderItem).query({ partition: `$app#orderId_${ids.order(i)}`, range: { beginsWith: '$orderDetails' } }).options({ maxPages: Infinity }).send(),
    OneTable: (i) => ot.table.fetch(['order', 'orderItem'], { pk: `$app#orderId_${ids.order(i)}` }),
  });
  sides.set('listOrdersForUser', {
    'ElectroDB .go()': (i) => order.query.byUser({ userId: ids.pageUser(i) }).between({ createdAt: MIN_TIME }, { createdAt: MAX_TIME }).go({ order: 'desc', limit: 25 }),
    'dynamodb-toolbox': (i) =>
      tb.table.build(QueryCommand).entities(tb.order).query({ index: 'gsi1', partition: userPk(ids.pageUser(i)), range: between('$account#order_1#createdAt_') }).options({ limit: 25, reverse: true }).send(),
    OneTable: (i) => ot.Order.find({ userId: ids.pageUser(i), gsi1sk: between('$account#order_1#createdAt_') }, { index: 'gsi1', limit: 25, reverse: true }),
  });
  sides.set('listOrdersByStatus', {
    'ElectroDB .go()': () => order.query.byStatus({ status: 'pending' }).between({ createdAt: MIN_TIME }, { createdAt: MAX_TIME }).go({ order: 'desc', limit: 25 }),
  });
  sides.set('listActiveSessions', {
    'ElectroDB .go()': (i) => {
      const t = now();
      return edb.entities.session.query.session({ userId: ids.sessionUser(i) }).where((a, { gt }) => gt(a.expiresAt, t)).go({ order: 'desc', pages: 'all' });
    },
  });
  return sides;
}

// Key attributes, ElectroDB's markers and the reference model's internal bookkeeping (a user's
// ownershipEpoch and membershipCount, a membership's userVersion), which its services do not return.
const KEY_ATTRIBUTE = /^(pk|sk|PK|SK|GSI\d(PK|SK)|gsi\d(pk|sk)|__edb_[ev]__|ownershipEpoch|membershipCount|userVersion)$/;
const ENVELOPE = new Set(['$metadata', 'LastEvaluatedKey', 'ConsumedCapacity', 'Count', 'ScannedCount', 'cursor', 'next', 'prev']);

/**
 * The items a result holds, whatever its shape (an item, a list, a page, ElectroDB's `{ data }`,
 * toolbox's `{ Item }` / `{ Items }`, a collection grouped by entity), each as canonical JSON of
 * its own attributes (keys and entity markers dropped), sorted: the multiset every contender of
 * a pattern must agree on.
 */
export function itemsOf(result: unknown): string[] {
  const out: string[] = [];
  const visit = (x: unknown) => {
    if (x === null || x === undefined || typeof x !== 'object') return;
    if (Array.isArray(x)) {
      for (const v of x) visit(v);
      return;
    }
    const entries = Object.entries(x as Record<string, unknown>).filter(([k]) => !ENVELOPE.has(k));
    if (entries.every(([, v]) => v === null || typeof v !== 'object')) {
      const own = entries.filter(([k, v]) => v !== undefined && !KEY_ATTRIBUTE.test(k)).sort(([a], [b]) => (a < b ? -1 : 1));
      if (own.length > 0) out.push(JSON.stringify(Object.fromEntries(own)));
      return;
    }
    for (const [, v] of entries) visit(v);
  };
  visit(result);
  return out.sort();
}
