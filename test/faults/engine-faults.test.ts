import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createEngine, type Engine, type Item } from '../../src/engine';
import { UnavailableError, batchGetAll, batchWriteAll, type WriteRequest } from '../../src/toolkit';
import { checkInvariants, readAll } from '../support/invariants';
import { createModelFixture, type ModelFixture } from '../support/model-fixture';

/*
 * Throttling, transaction conflicts and unprocessed batch items as DynamoDB itself produces them:
 * the engine raises them (ProvisionedThroughputExceededException, TransactionCanceledException with
 * reasons ThrottlingError / TransactionConflict, UnprocessedItems), the SDK applies its own retries,
 * the toolkit and services theirs. Time is the engine's own clock: it moves only when a test moves it
 * (here, during the SDK's retry backoff, through a middleware), so every outcome is deterministic.
 * Faults no engine produces (lost responses, connection resets, 5xx) stay with FaultInjector
 * (test/faults/faults.test.ts).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Programming.Errors.html#Programming.Errors.RetryAndBackoff
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling
 */
let now = Date.parse('2026-03-01T00:00:00.000Z');
let engine: Engine;
let f: ModelFixture;
/** Called on every attempt the SDK sends (inside its retry loop), with the operation name. */
let onAttempt: (operation: string, attempt: number) => void = () => undefined;
const attempts: string[] = [];

beforeAll(async () => {
  engine = createEngine({ clock: () => now, seed: 42 });
  f = await createModelFixture('engine-faults', { engine });
  f.client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? '').replace(/Command$/, '');
      attempts.push(operation);
      onAttempt(operation, attempts.filter((o) => o === operation).length);
      return next(args);
    },
    // finalizeRequest runs inside the SDK's retry loop: once per attempt.
    { step: 'finalizeRequest', priority: 'low', name: 'e6AttemptObserver' },
  );
});
beforeEach(() => {
  attempts.length = 0;
  onAttempt = () => undefined;
});
afterEach(async () => {
  engine.faults.clear();
  now += 60_000; // every bucket full again
  expect(await checkInvariants(f.client, f.tableName)).toEqual([]);
});
afterAll(async () => {
  await f.close();
  await engine.close();
});

let seq = 0;
const email = () => `engine-fault-${(seq += 1)}@example.com`;
const order = { currency: 'EUR', items: [{ sku: 'F-1', name: 'Fault', quantity: 2, unitPriceCents: 150 }] };
const count = (operation: string) => attempts.filter((o) => o === operation).length;

/** The stored key of a user item (engine AttributeValues). */
async function userKey(userId: string): Promise<Item> {
  const user = ((await readAll(f.client, f.tableName)).get('user') ?? []).find((u) => u.userId === userId);
  if (!user) throw new Error(`no user ${userId}`);
  return { pk: { S: String(user.pk) }, sk: { S: String(user.sk) } };
}

/** Throttling on with a partition limit of 1 write unit per second, and the user's partition drained by one write. */
async function drainUserPartition(userId: string): Promise<void> {
  engine.faults.set({ throttling: { partitionWriteUnitsPerSecond: 1, partitionReadUnitsPerSecond: 1_000_000 } });
  // Debt mode, as DynamoDB admits: a write is let in while the balance is positive, then debited.
  await f.services.setUserStatus(userId, 'suspended');
  await f.services.setUserStatus(userId, 'active').catch(() => undefined);
  const { pk } = await userKey(userId);
  expect(engine.faults.throughputBalance(f.tableName, 'write', { partitionKey: pk })).toBeLessThanOrEqual(0);
}

describe('throttling from the engine (a hot partition, on its clock)', () => {
  it('a throttled UpdateItem is retried by the SDK itself; when a second passes during its backoff, the write lands once', async () => {
    const user = await f.services.createUser({ email: email(), name: 'Throttled' });
    await drainUserPartition(user.userId);
    const version = (await f.services.getUserById(user.userId, { consistent: true }))!.version;
    const throttledBefore = engine.faults.counters.throttled;
    attempts.length = 0;
    onAttempt = (operation, attempt) => {
      if (operation === 'UpdateItem' && attempt === 2) now += 1_000; // the partition refills during the backoff
    };
    const renamed = await f.services.updateUserProfile(user.userId, { name: 'Landed' });
    expect(engine.faults.counters.throttled - throttledBefore).toBe(1);
    expect(count('UpdateItem')).toBe(2); // the engine's refusal, then the SDK's retry
    expect(renamed).toMatchObject({ name: 'Landed', version: version + 1 });
  });

  it('a partition that stays throttled: the SDK gives up after its attempts, the caller gets UNAVAILABLE, nothing is written', async () => {
    const user = await f.services.createUser({ email: email(), name: 'Hot' });
    await drainUserPartition(user.userId);
    const before = await f.services.getUserById(user.userId, { consistent: true });
    attempts.length = 0;
    const error = await f.services.updateUserProfile(user.userId, { name: 'Never' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(count('UpdateItem')).toBeGreaterThan(1); // the SDK retried the engine's refusals
    engine.faults.clear();
    expect(await f.services.getUserById(user.userId, { consistent: true })).toEqual(before);
  });

  it('a transaction on a throttled partition is cancelled (reason ThrottlingError), which the SDK does not retry: the service retries it, then UNAVAILABLE with nothing written', async () => {
    const user = await f.services.createUser({ email: email(), name: 'Throttled buyer' });
    await drainUserPartition(user.userId);
    attempts.length = 0;
    await expect(f.services.placeOrder(user.userId, order)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(count('TransactWriteItems')).toBe(5); // transactWrite's attempts, one SDK attempt each
    engine.faults.clear();
    expect((await f.services.listOrdersForUser(user.userId)).items).toEqual([]);
  });
});

describe('transaction conflicts from the engine (an item held by another transaction)', () => {
  it('a transient conflict on the user (held for two attempts) is retried by the service: one order', async () => {
    const user = await f.services.createUser({ email: email(), name: 'Conflicted' });
    engine.faults.holdItems([{ tableName: f.tableName, key: await userKey(user.userId) }], 60_000);
    attempts.length = 0;
    onAttempt = (operation, attempt) => {
      if (operation === 'TransactWriteItems' && attempt === 3) engine.faults.releaseItems(); // the other transaction finished
    };
    const placed = await f.services.placeOrder(user.userId, order);
    expect(count('TransactWriteItems')).toBe(3);
    expect(engine.faults.counters.transactionConflicts).toBeGreaterThanOrEqual(2);
    expect((await f.services.listOrdersForUser(user.userId)).items.map((o) => o.orderId)).toEqual([placed.order.orderId]);
  });

  it('endless conflicts end in UNAVAILABLE after the service retries, nothing written', async () => {
    const user = await f.services.createUser({ email: email(), name: 'Contended' });
    engine.faults.holdItems([{ tableName: f.tableName, key: await userKey(user.userId) }], 60_000);
    attempts.length = 0;
    await expect(f.services.createSession(user.userId, { ttlSeconds: 600 })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(count('TransactWriteItems')).toBe(5);
    engine.faults.clear();
    expect(await f.services.listActiveSessions(user.userId)).toEqual([]);
  });

  it('a single write on a held item gets TransactionConflictException; the service reports UNAVAILABLE and the user is unchanged', async () => {
    const user = await f.services.createUser({ email: email(), name: 'Held' });
    engine.faults.holdItems([{ tableName: f.tableName, key: await userKey(user.userId) }], 60_000);
    const error = await f.services.updateUserProfile(user.userId, { name: 'Blocked' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAVAILABLE' });
    engine.faults.clear();
    expect(await f.services.getUserById(user.userId, { consistent: true })).toEqual(user);
  });
});

describe('batches left partly unprocessed by the engine (UnprocessedItems / UnprocessedKeys)', () => {
  const doc = () => DynamoDBDocumentClient.from(f.client);
  const fast = { baseDelayMs: 2, maxDelayMs: 20, concurrency: 8 };

  it('a bulk load of 2,000 items with 30% of every batch unprocessed ends with all of them, each read back once', async () => {
    engine.faults.set({ unprocessed: { share: 0.3 } });
    const keys = Array.from({ length: 2_000 }, (_, i) => ({ pk: `bulk#${i % 100}`, sk: `item#${i}` }));
    const requests: WriteRequest[] = keys.map((k, n) => ({ PutRequest: { Item: { ...k, n } } }));
    await batchWriteAll(doc(), f.tableName, requests, fast);
    expect(engine.faults.counters.unprocessed).toBeGreaterThan(500);
    const items = await batchGetAll(doc(), f.tableName, keys, fast);
    expect(new Set(items.map((i) => i.sk)).size).toBe(2_000);
    expect(items).toHaveLength(2_000);
    engine.faults.clear();
    await batchWriteAll(doc(), f.tableName, keys.map((Key) => ({ DeleteRequest: { Key } })), fast);
  }, 60_000);

  it('deleteUser completes although its batch deletes come back partly unprocessed', async () => {
    const user = await f.services.createUser({ email: email(), name: 'Leaving' });
    for (let i = 0; i < 30; i += 1) await f.services.createSession(user.userId, { ttlSeconds: 600 });
    engine.faults.set({ unprocessed: { share: 0.3 } });
    const before = engine.faults.counters.unprocessed;
    await f.services.deleteUser(user.userId);
    expect(engine.faults.counters.unprocessed).toBeGreaterThan(before);
    engine.faults.clear();
    expect(await f.services.listActiveSessions(user.userId)).toEqual([]);
    expect(await f.services.getUserById(user.userId, { consistent: true })).toBeNull();
  });
});
