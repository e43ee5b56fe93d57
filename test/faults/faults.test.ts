import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from '../../src/toolkit';
import { batchWriteAll, type WriteRequest } from '../../src/toolkit';
import { BatchIncompleteError } from '../../src/toolkit';
import { FaultInjector } from '../../src/toolkit';
import { checkInvariants } from '../support/invariants';
import { createModelFixture, type ModelFixture } from '../support/model-fixture';

/*
 * Faults no DynamoDB engine produces on demand: 5xx answers, connection resets, lost responses,
 * and batches where nothing is ever processed, injected with SDK middleware (FaultInjector) around
 * the engine; every test ends with the table's invariants. Throttling, transaction conflicts and
 * unprocessed batch items come from the engine itself: test/faults/engine-faults.test.ts.
 */
let f: ModelFixture;
let faults: FaultInjector;
beforeAll(async () => {
  f = await createModelFixture('faults');
  faults = FaultInjector.attach(f.client);
});
beforeEach(() => faults.clear());
afterEach(async () => {
  faults.clear();
  expect(await checkInvariants(f.client, f.tableName)).toEqual([]);
});
afterAll(() => f.close());

let seq = 0;
const email = () => `fault-${(seq += 1)}-${Date.now()}@example.com`;
const order = { currency: 'EUR', items: [{ sku: 'F-1', name: 'Fault', quantity: 2, unitPriceCents: 150 }] };
const count = (fault: string) => faults.injected().filter((x) => x.fault === fault).length;

describe('transient faults are retried', () => {
  it('HTTP 500 twice and a connection reset on reads and writes: retried by the SDK', async () => {
    const user = await f.services.createUser({ email: email(), name: 'Flaky' });
    faults.inject({ fault: 'internalServerError', operation: 'GetItem', times: 2 });
    expect((await f.services.getUserById(user.userId))?.userId).toBe(user.userId);
    faults.inject({ fault: 'connectionReset', operation: 'UpdateItem', times: 1 });
    expect((await f.services.updateUserProfile(user.userId, { name: 'Still here' })).version).toBe(2);
    expect(count('internalServerError')).toBe(2);
    expect(count('connectionReset')).toBe(1);
  });
});

describe('retried writes are never applied twice', () => {
  it('a transaction whose answer was lost is re-sent with the same ClientRequestToken and applied once', async () => {
    faults.inject({ fault: 'responseLost', operation: 'TransactWriteItems', times: 1 });
    const address = email();
    const user = await f.services.createUser({ email: address, name: 'Once' });
    expect(count('responseLost')).toBe(1);
    expect((await f.services.getUserByEmail(address))?.userId).toBe(user.userId);

    faults.inject({ fault: 'responseLost', operation: 'TransactWriteItems', times: 1 });
    const placed = await f.services.placeOrder(user.userId, { ...order, idempotencyKey: 'lost-answer' });
    const orders = (await f.services.listOrdersForUser(user.userId)).items;
    expect(orders.map((o) => o.orderId)).toEqual([placed.order.orderId]);
  });
});

describe('batches left partly unprocessed', () => {
  const doc = () => DynamoDBDocumentClient.from(f.client);
  const fast = { baseDelayMs: 2, maxDelayMs: 20, concurrency: 8 };

  it('a bulk load of 10,000 items with 30% of every batch unprocessed ends with all 10,000 items', async () => {
    faults.inject({ fault: 'unprocessed', operation: 'BatchWriteItem', fraction: 0.3, times: 'always' });
    const requests: WriteRequest[] = Array.from({ length: 10_000 }, (_, i) => ({ PutRequest: { Item: { pk: `bulk#${i % 100}`, sk: `item#${i}`, n: i } } }));
    let reported = 0;
    await batchWriteAll(doc(), f.tableName, requests, { ...fast, onProgress: ({ done }) => (reported = done) });
    expect(reported).toBe(10_000);
    const held = faults.injected().filter((x) => x.fault === 'unprocessed').reduce((s, x) => s + (x.heldBack ?? 0), 0);
    expect(held).toBeGreaterThan(3000); // 30% of the first round alone
    faults.clear();
    let stored = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await doc().send(new ScanCommand({ TableName: f.tableName, Select: 'COUNT', FilterExpression: 'begins_with(pk, :b)', ExpressionAttributeValues: { ':b': 'bulk#' }, ExclusiveStartKey: start }));
      stored += out.Count ?? 0;
      start = out.LastEvaluatedKey;
    } while (start);
    expect(stored).toBe(10_000);
  }, 120_000);

  it('batchGetAll with 30% of keys unprocessed returns every item exactly once', async () => {
    faults.inject({ fault: 'unprocessed', operation: 'BatchGetItem', fraction: 0.3, times: 'always' });
    const keys = Array.from({ length: 250 }, (_, i) => ({ pk: `bulk#${i % 100}`, sk: `item#${i}` }));
    const items = await batchGetAll(doc(), f.tableName, keys, fast);
    expect(items).toHaveLength(250);
    expect(new Set(items.map((i) => i.sk)).size).toBe(250);
    expect(count('unprocessed')).toBeGreaterThan(3);
  });

  it('gives up with BatchIncompleteError (code UNAVAILABLE) when nothing is ever processed', async () => {
    faults.inject({ fault: 'unprocessed', operation: 'BatchWriteItem', fraction: 1, times: 'always' });
    const error = await batchWriteAll(doc(), f.tableName, [{ PutRequest: { Item: { pk: 'never', sk: '1' } } }], { ...fast, maxAttempts: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchIncompleteError);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', unprocessed: 1, total: 1, attempts: 3 });
  });
});
