import { randomUUID } from 'node:crypto';
import { BatchGetItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, TransactWriteItemsCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { createEngine, type Engine } from '../../src/engine';
import { daxClient, embeddedClientConfig, ensureTable, modelTable, RequestRecorder } from '../../src/toolkit';
import { simulateDax, type SimulatedDax } from '../../src/toolkit/testing';
import { libraryModel } from '../fixtures/library-model';

/* The simulated DAX at the request level: batch gets, transactions, update return values, options. */
let engine: Engine;
let direct: DynamoDBClient;
let recorder: RequestRecorder;
let dax: SimulatedDax;
let viaDax: DynamoDBClient;
let tableName: string;
let now = 0;
beforeAll(async () => {
  engine = createEngine();
  direct = new DynamoDBClient(embeddedClientConfig(engine));
  tableName = `dax-sim-${randomUUID().slice(0, 8)}`;
  await ensureTable(direct, modelTable(libraryModel, tableName));
  recorder = RequestRecorder.attach(direct);
  dax = simulateDax(direct, { itemTtlMs: 1_000, queryTtlMs: 1_000, now: () => now });
  viaDax = daxClient(dax);
  for (const id of ['a', 'b']) await direct.send(new PutItemCommand({ TableName: tableName, Item: { part: { S: id }, sort: { S: 's' }, v: { N: '1' } } }));
});
afterAll(async () => {
  viaDax.destroy();
  direct.destroy();
  await engine.close();
});
beforeEach(() => {
  now += 10_000;
  dax.reset();
  recorder.clear();
});

const key = (id: string) => ({ part: { S: id }, sort: { S: 's' } });

describe('BatchGetItem through the item cache', () => {
  it('fetches only the misses, caches found items and missing keys, and answers a repeat from the cache', async () => {
    const first = await viaDax.send(new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: [key('a'), key('b'), key('missing')] } } }));
    expect(first.Responses?.[tableName]?.map((i) => i.part?.S).sort()).toEqual(['a', 'b']);
    expect(recorder.requests().map((r) => r.operation)).toEqual(['BatchGetItem']);
    recorder.clear();
    const again = await viaDax.send(new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: [key('a'), key('missing'), key('b')] } } }));
    expect(again.Responses?.[tableName]?.map((i) => i.part?.S).sort()).toEqual(['a', 'b']);
    expect(recorder.requests()).toEqual([]); // all hits, the missing key a negative entry
    expect(dax.stats().itemCache).toEqual({ hits: 3, misses: 3 });
    // A GetItem of a key the batch cached is a hit too: one item cache.
    await viaDax.send(new GetItemCommand({ TableName: tableName, Key: key('a') }));
    expect(recorder.requests()).toEqual([]);
  });

  it('a strongly consistent batch passes through, caching nothing', async () => {
    await viaDax.send(new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: [key('a')], ConsistentRead: true } } }));
    await viaDax.send(new GetItemCommand({ TableName: tableName, Key: key('a') }));
    // The GetItem after it is a miss: the strong batch left nothing in the cache.
    expect(recorder.requests().map((r) => r.operation)).toEqual(['BatchGetItem', 'GetItem']);
    expect(dax.stats()).toMatchObject({ passedThrough: 1, itemCache: { hits: 0, misses: 1 } });
  });
});

describe('writes through DAX', () => {
  it('TransactWriteItems: the item cache is refilled with a TransactGetItems of the written items (extra reads), so the next get is a hit', async () => {
    await viaDax.send(new GetItemCommand({ TableName: tableName, Key: key('a') }));
    recorder.clear();
    await viaDax.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { Update: { TableName: tableName, Key: key('a'), UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } } },
          { Put: { TableName: tableName, Item: { ...key('c'), v: { N: '3' } } } },
        ],
      }),
    );
    // (DescribeTable once per table: the simulation learns the key attributes to key a Put's item, as DAX does.)
    expect(recorder.requests().map((r) => r.operation).filter((o) => o !== 'DescribeTable')).toEqual(['TransactWriteItems', 'TransactGetItems']);
    recorder.clear();
    expect((await viaDax.send(new GetItemCommand({ TableName: tableName, Key: key('a') }))).Item?.v).toEqual({ N: '2' });
    expect((await viaDax.send(new GetItemCommand({ TableName: tableName, Key: key('c') }))).Item?.v).toEqual({ N: '3' });
    expect(recorder.requests()).toEqual([]);
  });

  it('UpdateItem returns what the caller asked for; an old image drops the entry so the next read fetches the new item', async () => {
    const none = await viaDax.send(new UpdateItemCommand({ TableName: tableName, Key: key('b'), UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '5' } } }));
    expect(none.Attributes).toBeUndefined();
    const old = await viaDax.send(new UpdateItemCommand({ TableName: tableName, Key: key('b'), UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '6' } }, ReturnValues: 'ALL_OLD' }));
    expect(old.Attributes?.v).toEqual({ N: '5' });
    recorder.clear();
    expect((await viaDax.send(new GetItemCommand({ TableName: tableName, Key: key('b') }))).Item?.v).toEqual({ N: '6' });
    expect(recorder.requests().map((r) => r.operation)).toEqual(['GetItem']);
  });
});

describe('options', () => {
  it.each([[{ itemTtlMs: -1 }], [{ queryTtlMs: Number.NaN }], [{ itemTtlMs: Number.POSITIVE_INFINITY }]])('refuses %j, naming the option', (options) => {
    expect(() => simulateDax(direct, options)).toThrow(/simulateDax: (itemTtlMs|queryTtlMs) must be a number of milliseconds >= 0/);
  });
});
