import { ExecuteStatementCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { SeedData, Services } from '../src/reference';
import type { FullPageData } from './full-pages';
import type { PatternIds, PeerName, Side } from './peers';

/** One read pattern: the service method and the same request written by hand with the DocumentClient. */
export interface PatternPair {
  pattern: string;
  /** GetItem-based, or one (or a scatter-gather of) Query page(s). */
  shape: 'get' | 'query';
  service: Side;
  hand: Side;
  /** The same pattern through the peer libraries (those that model it), filled in by the benchmark. */
  peers: Partial<Record<PeerName, Side>>;
  /** The reference model, or the user model built on the request helpers (bench/user-model.ts). */
  model: 'reference' | 'user';
}

const at = <T>(list: readonly T[], i: number): T => {
  if (list.length === 0) throw new Error('the seed data has no items for this pattern');
  return list[i % list.length] as T;
};

const FROM = '0000-01-01T00:00:00.000Z';
const TO = '9999-12-31T23:59:59.999Z';

/**
 * The reference model's read patterns as pairs. The hand-written side is what an engineer would
 * write for the same question with the same keys (the key formats of the entities), returning the
 * raw items: no validation, no result shaping, no cursor, no ElectroDB entity filter.
 */
/**
 * The ids every contender's calls rotate over. Paged patterns read the users and organizations
 * seeded with 60 orders / memberships / members (seedFullPages), so their pages are full.
 */
export function patternIds(seed: SeedData, full: FullPageData): PatternIds {
  const users = seed.users;
  const withSessions = [...new Set(seed.sessions.map((s) => s.userId))];
  const orgs = seed.organizations.map((o) => o.organization.orgId);
  const orders = seed.orders.map((o) => o.order.orderId);
  return {
    user: (i) => at(users, i).userId,
    email: (i) => at(users, i).email,
    org: (i) => at(orgs, i),
    order: (i) => at(orders, i),
    pageUser: (i) => at(full.pageUsers, i),
    bigOrg: (i) => at(full.bigOrgs, i),
    sessionUser: (i) => at(withSessions, i),
  };
}

export function createPairs(services: Services, doc: DynamoDBDocumentClient, TableName: string, ids: PatternIds, shards: number): PatternPair[] {
  const user = (id: string) => `$app#userId_${id}`;
  const get = async (pk: string, sk: string) => (await doc.send(new GetCommand({ TableName, Key: { pk, sk } }))).Item ?? null;
  const query = async (input: Omit<QueryCommandInput, 'TableName'>) => (await doc.send(new QueryCommand({ TableName, ...input }))).Items ?? [];

  const pairs: Omit<PatternPair, 'peers' | 'model'>[] = [
    {
      pattern: 'getUserById',
      shape: 'get',
      service: (i) => services.getUserById(ids.user(i)),
      hand: (i) => get(user(ids.user(i)), '$userData#user_1'),
    },
    {
      pattern: 'getUserByEmail',
      shape: 'query',
      service: (i) => services.getUserByEmail(ids.email(i)),
      hand: async (i) => {
        const items = await query({ IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk and gsi2sk = :sk', ExpressionAttributeValues: { ':pk': `$app#email_${ids.email(i)}`, ':sk': '$user_1' }, Limit: 1 });
        return items[0] ?? null;
      },
    },
    {
      pattern: 'listUsersByStatus',
      shape: 'query',
      service: () => services.listUsersByStatus('active', { limit: 25 }),
      hand: async () => {
        const pages = await Promise.all(
          Array.from({ length: shards }, (_, shard) =>
            query({
              IndexName: 'gsi3',
              KeyConditionExpression: 'gsi3pk = :pk and gsi3sk between :from and :to',
              ExpressionAttributeValues: { ':pk': `$app#status_active#statusShard_${shard}`, ':from': `$user_1#createdAt_${FROM}`, ':to': `$user_1#createdAt_${TO}#userId_~` },
              ScanIndexForward: false,
              Limit: 25,
            }),
          ),
        );
        return pages.flat().sort((a, b) => String(b.gsi3sk).localeCompare(String(a.gsi3sk))).slice(0, 25);
      },
    },
    {
      pattern: 'getUserAccount',
      shape: 'query',
      service: (i) => services.getUserAccount(ids.pageUser(i)),
      // The user, then its orders and its live sessions side by side (sessions cannot crowd orders out).
      hand: async (i) => {
        const id = ids.pageUser(i);
        const found = await get(user(id), '$userData#user_1');
        if (!found) return null;
        const nowSeconds = Math.floor(Date.now() / 1000);
        const since = new Date((nowSeconds - 90 * 24 * 3600) * 1000).toISOString();
        const [orders, sessions] = await Promise.all([
          query({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk and begins_with(gsi1sk, :sk)', ExpressionAttributeValues: { ':pk': user(id), ':sk': '$account#order_1' }, ScanIndexForward: false, Limit: 50 }),
          query({
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk and gsi1sk >= :sk',
            FilterExpression: 'expiresAt > :now',
            ExpressionAttributeValues: { ':pk': user(id), ':sk': `$account#session_1#createdAt_${since}`, ':now': nowSeconds },
            ScanIndexForward: false,
          }),
        ]);
        return { user: found, orders, sessions: sessions.slice(0, 50) };
      },
    },
    {
      pattern: 'getOrganization',
      shape: 'get',
      service: (i) => services.getOrganization(ids.org(i)),
      hand: (i) => get(`$app#orgId_${ids.org(i)}`, '$organization#organization_1'),
    },
    {
      pattern: 'getOrganizationWithPartiql',
      shape: 'get',
      service: (i) => services.getOrganizationWithPartiql(ids.org(i)),
      // The same SELECT written by hand: one ExecuteStatement on the full key, values as parameters.
      hand: async (i) =>
        (await doc.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${TableName}" WHERE "pk" = ? AND "sk" = ?`, Parameters: [`$app#orgId_${ids.org(i)}`, '$organization#organization_1'] }))).Items?.[0] ?? null,
    },
    {
      pattern: 'listOrganizationMembers',
      shape: 'query',
      service: (i) => services.listOrganizationMembers(ids.bigOrg(i), { limit: 25 }),
      hand: (i) => query({ IndexName: 'gsi2', KeyConditionExpression: 'gsi2pk = :pk and begins_with(gsi2sk, :sk)', ExpressionAttributeValues: { ':pk': `$app#orgId_${ids.bigOrg(i)}`, ':sk': '$membership_1#role_' }, Limit: 25 }),
    },
    {
      pattern: 'listUserOrganizations',
      shape: 'query',
      service: (i) => services.listUserOrganizations(ids.pageUser(i), { limit: 25 }),
      hand: (i) => query({ IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :pk and begins_with(gsi1sk, :sk)', ExpressionAttributeValues: { ':pk': user(ids.pageUser(i)), ':sk': '$membership_1#orgId_' }, Limit: 25 }),
    },
    {
      pattern: 'getOrganizationWithMembers',
      shape: 'query',
      service: (i) => services.getOrganizationWithMembers(ids.bigOrg(i)),
      hand: (i) => query({ KeyConditionExpression: 'pk = :pk and begins_with(sk, :sk)', ExpressionAttributeValues: { ':pk': `$app#orgId_${ids.bigOrg(i)}`, ':sk': '$organization' }, ScanIndexForward: false, Limit: 26 }),
    },
    {
      pattern: 'getOrderWithItems',
      shape: 'query',
      service: (i) => services.getOrderWithItems(ids.order(i)),
      hand: (i) => query({ KeyConditionExpression: 'pk = :pk and begins_with(sk, :sk)', ExpressionAttributeValues: { ':pk': `$app#orderId_${ids.order(i)}`, ':sk': '$orderDetails' } }),
    },
    {
      pattern: 'listOrdersForUser',
      shape: 'query',
      service: (i) => services.listOrdersForUser(ids.pageUser(i), { limit: 25 }),
      hand: (i) =>
        query({
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk and gsi1sk between :from and :to',
          ExpressionAttributeValues: { ':pk': user(ids.pageUser(i)), ':from': `$account#order_1#createdAt_${FROM}`, ':to': `$account#order_1#createdAt_${TO}` },
          ScanIndexForward: false,
          Limit: 25,
        }),
    },
    {
      pattern: 'listOrdersByStatus',
      shape: 'query',
      service: () => services.listOrdersByStatus('pending', { limit: 25 }),
      hand: () =>
        query({
          IndexName: 'gsi3',
          KeyConditionExpression: 'gsi3pk = :pk and gsi3sk between :from and :to',
          ExpressionAttributeValues: { ':pk': '$app#status_pending', ':from': `$order_1#createdAt_${FROM}`, ':to': `$order_1#createdAt_${TO}` },
          ScanIndexForward: false,
          Limit: 25,
        }),
    },
    {
      pattern: 'listActiveSessions',
      shape: 'query',
      service: (i) => services.listActiveSessions(ids.sessionUser(i)),
      hand: (i) =>
        query({
          KeyConditionExpression: 'pk = :pk and begins_with(sk, :sk)',
          FilterExpression: 'expiresAt > :now',
          ExpressionAttributeValues: { ':pk': user(ids.sessionUser(i)), ':sk': '$userData#session_1#sessionId_', ':now': Math.floor(Date.now() / 1000) },
          ScanIndexForward: false,
        }),
    },
  ];
  return pairs.map((p) => ({ ...p, peers: {}, model: 'reference' as const }));
}
