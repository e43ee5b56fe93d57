import { randomUUID } from 'node:crypto';
import { DynamoDBClient, PutItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createEngine, type Engine } from '../../src/engine';
import { daxClient, embeddedClientConfig, ensureTable, modelTable, RequestRecorder } from '../../src/toolkit';
import { simulateDax, type SimulatedDax } from '../../src/toolkit/testing';
import { referenceModel, type Services } from '../../src/reference';
import { libraryModel, type LibraryServices } from '../fixtures/library-model';

/*
 * Each way DAX serves stale data, shown on the reference model and on the library model through
 * their own services: `cached` runs through daxClient(simulateDax(engine client)), `plain` writes
 * straight to the engine (a write that bypasses DAX, as another service or a Lambda does). The
 * TTLs run on a test clock; the item TTL (1 s) is shorter than the query TTL (5 s) so each cache's
 * own expiry shows. Sources: docs/dax.md (the DynamoDB Developer Guide's DAX pages).
 */
const ITEM_TTL = 1_000;
const QUERY_TTL = 5_000;

interface World<S> {
  engine: Engine;
  direct: DynamoDBClient;
  viaDax: DynamoDBClient;
  dax: SimulatedDax;
  recorder: RequestRecorder;
  plain: S;
  cached: S;
  tableName: string;
  tick(ms: number): void;
  close(): Promise<void>;
}

async function world<S>(model: { services(input: { client: DynamoDBClient; tableName: string }): S; entities: unknown; table?: unknown }, build: typeof modelTable): Promise<World<S>> {
  const engine = createEngine();
  const direct = new DynamoDBClient(embeddedClientConfig(engine));
  const tableName = `dax-stale-${randomUUID().slice(0, 8)}`;
  await ensureTable(direct, build(model as Parameters<typeof modelTable>[0], tableName));
  let now = Date.parse('2026-06-01T00:00:00Z');
  const dax = simulateDax(direct, { itemTtlMs: ITEM_TTL, queryTtlMs: QUERY_TTL, now: () => now });
  const viaDax = daxClient(dax);
  const recorder = RequestRecorder.attach(direct);
  return {
    engine,
    direct,
    viaDax,
    dax,
    recorder,
    tableName,
    plain: model.services({ client: direct, tableName }),
    cached: model.services({ client: viaDax, tableName }),
    tick: (ms) => {
      now += ms;
    },
    async close() {
      viaDax.destroy();
      direct.destroy();
      await engine.close();
    },
  };
}

describe('the reference model through the simulated DAX', () => {
  let w: World<Services>;
  let userId: string;
  beforeAll(async () => {
    w = await world(referenceModel, modelTable);
    const seed = await referenceModel.seed(w.plain, { size: 6 });
    userId = seed.orders[0]!.order.userId;
  });
  afterAll(() => w.close());
  beforeEach(() => {
    w.tick(60_000); // every entry of the previous case expired
    w.dax.reset();
  });

  it('a write through DAX updates the item cache: the next eventually consistent read sees it at once, no DynamoDB read', async () => {
    expect((await w.cached.getUserById(userId))?.name).toBeDefined(); // cached
    await w.cached.updateUserProfile(userId, { name: 'Through DAX' });
    w.recorder.clear();
    expect((await w.cached.getUserById(userId))?.name).toBe('Through DAX');
    expect(w.recorder.requests()).toEqual([]); // served by the item cache
  });

  it('a write that bypasses DAX leaves the item stale until the item TTL; a strongly consistent read passes through and caches nothing', async () => {
    await w.cached.getUserById(userId);
    await w.plain.updateUserProfile(userId, { name: 'Around DAX' });
    expect((await w.cached.getUserById(userId))?.name).not.toBe('Around DAX'); // stale
    w.recorder.clear();
    expect((await w.cached.getUserById(userId, { consistent: true }))?.name).toBe('Around DAX');
    expect(w.recorder.requests().map((r) => [r.operation, r.consistentRead])).toEqual([['GetItem', true]]); // passed through
    expect((await w.cached.getUserById(userId))?.name).not.toBe('Around DAX'); // the strong read refreshed nothing
    w.tick(ITEM_TTL);
    expect((await w.cached.getUserById(userId))?.name).toBe('Around DAX');
  });

  it('the query cache is not invalidated by a write through DAX: a new order shows only after the query TTL (the item TTL is not enough)', async () => {
    const before = await w.cached.listOrdersForUser(userId, { limit: 25 });
    const placed = await w.cached.placeOrder(userId, { currency: 'USD', items: [{ sku: 'DAX-1', name: 'Cache', quantity: 1, unitPriceCents: 100 }] });
    expect((await w.cached.listOrdersForUser(userId, { limit: 25 })).items).toEqual(before.items);
    w.tick(ITEM_TTL);
    expect((await w.cached.listOrdersForUser(userId, { limit: 25 })).items).toEqual(before.items);
    w.tick(QUERY_TTL - ITEM_TTL);
    const after = await w.cached.listOrdersForUser(userId, { limit: 25 });
    expect(after.items.map((o) => o.orderId)).toContain(placed.order.orderId);
    expect(after.items).toHaveLength(before.items.length + 1);
  });

  it('negative caching in the query cache: an email not found stays not found after the user is created, until the query TTL', async () => {
    const email = `dax-negative-${randomUUID().slice(0, 8)}@example.com`;
    expect(await w.cached.getUserByEmail(email)).toBeNull();
    const created = await w.cached.createUser({ email, name: 'Late' }); // even through DAX
    expect(await w.cached.getUserByEmail(email)).toBeNull();
    w.tick(QUERY_TTL);
    expect((await w.cached.getUserByEmail(email))?.userId).toBe(created.userId);
  });

  it('negative caching in the item cache: a user deleted, read as missing, then restored around DAX stays missing until the item TTL', async () => {
    const user = await w.plain.createUser({ email: `dax-restore-${randomUUID().slice(0, 8)}@example.com`, name: 'Restored' });
    const stored = (await w.direct.send(new ScanCommand({ TableName: w.tableName, ConsistentRead: true }))).Items ?? [];
    const image = stored.find((i) => i.userId?.S === user.userId && i.__edb_e__?.S === 'user') as Record<string, AttributeValue>;
    expect(image).toBeDefined();
    await w.plain.deleteUser(user.userId);
    expect(await w.cached.getUserById(user.userId)).toBeNull(); // a miss, cached as such
    await w.direct.send(new PutItemCommand({ TableName: w.tableName, Item: image })); // restored around DAX
    expect((await w.plain.getUserById(user.userId))?.userId).toBe(user.userId);
    w.recorder.clear();
    expect(await w.cached.getUserById(user.userId)).toBeNull();
    expect(w.recorder.requests()).toEqual([]); // the negative entry answered
    w.tick(ITEM_TTL);
    expect((await w.cached.getUserById(user.userId))?.userId).toBe(user.userId);
  });

  it('counts what each cache served', async () => {
    await w.cached.getUserById(userId);
    await w.cached.getUserById(userId);
    await w.cached.listOrdersForUser(userId, { limit: 5 });
    await w.cached.listOrdersForUser(userId, { limit: 5 });
    await w.cached.getUserById(userId, { consistent: true });
    expect(w.dax.stats()).toMatchObject({ itemCache: { hits: 1, misses: 1 }, queryCache: { hits: 1, misses: 1 }, passedThrough: 1 });
  });
});

describe('the library model through the simulated DAX', () => {
  let w: World<LibraryServices>;
  beforeAll(async () => {
    w = await world(libraryModel, modelTable);
    await libraryModel.seed(w.plain, { size: 3 });
  });
  afterAll(() => w.close());
  beforeEach(() => {
    w.tick(60_000);
    w.dax.reset();
  });

  const loan = (memberId: string, loanId: string) => ({ memberId, loanId, bookId: 'b1', loanedAt: '2026-05-01T00:00:00.000Z', dueAt: '2026-05-15T00:00:00.000Z', branch: 'central' });

  it('negative caching in the item cache: a member not found stays not found after another client adds it, until the item TTL', async () => {
    const id = `m-late-${randomUUID().slice(0, 6)}`;
    expect(await w.cached.getMember(id)).toBeUndefined();
    await w.plain.addMember({ memberId: id, name: 'Late <member>' });
    expect(await w.cached.getMember(id)).toBeUndefined();
    w.tick(ITEM_TTL);
    expect(await w.cached.getMember(id)).toMatchObject({ memberId: id, name: 'Late <member>' });
  });

  it('a write through DAX replaces a negative entry at once', async () => {
    const id = `m-now-${randomUUID().slice(0, 6)}`;
    expect(await w.cached.getMember(id)).toBeUndefined();
    await w.cached.addMember({ memberId: id, name: 'Now' });
    w.recorder.clear();
    expect(await w.cached.getMember(id)).toMatchObject({ memberId: id, name: 'Now' });
    expect(w.recorder.requests()).toEqual([]);
  });

  it('a write that bypasses DAX leaves the item stale until the item TTL', async () => {
    expect((await w.cached.getBook('b2'))?.title).toBe('Book 2');
    // Revised around DAX: the stored item, its title changed, put back by the plain client.
    const stored = (await w.direct.send(new ScanCommand({ TableName: w.tableName, ConsistentRead: true }))).Items ?? [];
    const book = stored.find((i) => i.bookId?.S === 'b2' && i.__edb_e__?.S === 'book') as Record<string, AttributeValue>;
    await w.direct.send(new PutItemCommand({ TableName: w.tableName, Item: { ...book, title: { S: 'Book 2, revised' } } }));
    expect((await w.plain.getBook('b2'))?.title).toBe('Book 2, revised');
    expect((await w.cached.getBook('b2'))?.title).toBe('Book 2');
    w.tick(ITEM_TTL);
    expect((await w.cached.getBook('b2'))?.title).toBe('Book 2, revised');
  });

  it('the query cache is not invalidated by a write through DAX, nor by one around it, until the query TTL', async () => {
    const before = await w.cached.listMemberLoans('m2');
    await w.cached.lendBook(loan('m2', `dax-${randomUUID().slice(0, 6)}`));
    await w.plain.lendBook(loan('m2', `around-${randomUUID().slice(0, 6)}`));
    expect(await w.cached.listMemberLoans('m2')).toEqual(before);
    w.tick(ITEM_TTL);
    expect(await w.cached.listMemberLoans('m2')).toEqual(before);
    w.tick(QUERY_TTL - ITEM_TTL);
    expect(await w.cached.listMemberLoans('m2')).toHaveLength(before.length + 2);
  });

  it('negative caching in the query cache: an empty listing stays empty after a loan is made, until the query TTL', async () => {
    expect(await w.cached.listMemberLoans('m-nobody')).toEqual([]);
    await w.cached.lendBook(loan('m-nobody', 'first'));
    expect(await w.cached.listMemberLoans('m-nobody')).toEqual([]);
    w.tick(QUERY_TTL);
    expect(await w.cached.listMemberLoans('m-nobody')).toHaveLength(1);
  });
});
