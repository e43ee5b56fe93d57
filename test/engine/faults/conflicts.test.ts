/**
 * Transaction conflicts on demand, through the AWS SDK v3 in process, following
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-conflict-handling :
 * a PutItem/UpdateItem/DeleteItem on an item an ongoing transaction holds fails with
 * TransactionConflictException; a TransactWriteItems or TransactGetItems including such an item is
 * canceled (TransactionCanceledException, reason TransactionConflict); the SDK retries neither.
 */
import {
  BatchWriteItemCommand,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { createTable, engineUnderTest, rejection, type EngineUnderTest } from '../docs/support';

const T = 'conflicts';
const NOW = Date.UTC(2026, 11, 4, 12);
const key = (pk: string) => ({ pk: { S: pk }, sk: { S: '1' } });

async function setup(options: Parameters<typeof engineUnderTest>[0] = {}): Promise<{ e: EngineUnderTest; clock: { now: number } }> {
  const clock = { now: NOW };
  const e = engineUnderTest({ clock: () => clock.now, ...options });
  await createTable(e.client, T);
  return { e, clock };
}

const get = async (e: EngineUnderTest, pk: string) => (await e.client.send(new GetItemCommand({ TableName: T, Key: key(pk), ConsistentRead: true }))).Item;
const putAction = (pk: string, v: string): TransactWriteItem => ({ Put: { TableName: T, Item: { ...key(pk), v: { S: v } } } });

describe('held items (engine.faults.holdItems)', () => {
  test('single-item writes on a held item fail with TransactionConflictException, unretried and unapplied; reads are not blocked', async () => {
    const { e, clock } = await setup();
    await e.client.send(new PutItemCommand({ TableName: T, Item: { ...key('a'), v: { S: 'before' } } }));
    e.engine.faults.holdItems([{ tableName: T, key: { sk: { S: '1' }, pk: { S: 'a' } } }], 100);
    for (const send of [
      () => e.client.send(new PutItemCommand({ TableName: T, Item: { ...key('a'), v: { S: 'after' } } })),
      () => e.client.send(new UpdateItemCommand({ TableName: T, Key: key('a'), UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { S: 'after' } } })),
      () => e.client.send(new DeleteItemCommand({ TableName: T, Key: key('a') })),
    ]) {
      const err = await rejection(send());
      expect(err.name).toBe('TransactionConflictException');
      expect(err.message).toBe('Transaction is ongoing for the item');
      expect((err.$metadata as { attempts: number }).attempts).toBe(1);
    }
    expect(await get(e, 'a')).toEqual({ ...key('a'), v: { S: 'before' } });
    // Another item is free.
    await expect(e.client.send(new PutItemCommand({ TableName: T, Item: key('b') }))).resolves.toBeDefined();
    // The hold ends with the engine clock.
    clock.now += 100;
    await e.client.send(new PutItemCommand({ TableName: T, Item: { ...key('a'), v: { S: 'after' } } }));
    expect(await get(e, 'a')).toEqual({ ...key('a'), v: { S: 'after' } });
  });

  test('a transaction including a held item is canceled with positional reasons; nothing of it is applied', async () => {
    const { e } = await setup();
    e.engine.faults.holdItems([{ tableName: T, key: key('held') }], 1000);
    const err = await rejection(e.client.send(new TransactWriteItemsCommand({ TransactItems: [putAction('free', '1'), putAction('held', '1'), putAction('other', '1')] })));
    expect(err.name).toBe('TransactionCanceledException');
    expect(err.CancellationReasons).toEqual([
      { Code: 'None' },
      { Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' },
      { Code: 'None' },
    ]);
    expect(err.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [None, TransactionConflict, None]');
    expect(await get(e, 'free')).toBeUndefined();
    const read = await rejection(e.client.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: T, Key: key('held') } }] })));
    expect(read.CancellationReasons).toEqual([{ Code: 'TransactionConflict', Message: 'Transaction is ongoing for the item' }]);
    // BatchWriteItem leaves the held item unprocessed and writes the rest.
    const batch = await e.client.send(new BatchWriteItemCommand({ RequestItems: { [T]: [{ PutRequest: { Item: key('held') } }, { PutRequest: { Item: key('free') } }] } }));
    expect(batch.UnprocessedItems).toEqual({ [T]: [{ PutRequest: { Item: key('held') } }] });
    expect(await get(e, 'free')).toEqual(key('free'));
    e.engine.faults.releaseItems();
    await expect(e.client.send(new TransactWriteItemsCommand({ TransactItems: [putAction('held', '2')] }))).resolves.toBeDefined();
  });

  test('bad holdItems arguments are refused, naming the field', async () => {
    const { e } = await setup();
    expect(() => e.engine.faults.holdItems([{ tableName: T, key: key('a') }], -1)).toThrow(/holdItems\.ms/);
    expect(() => e.engine.faults.holdItems([null as unknown as { tableName: string; key: Record<string, never> }], 10)).toThrow(/holdItems\.items\[0\]/);
  });
});

describe('overlapping transactions (transactionConflicts mode)', () => {
  test('windowMs: a committed transaction keeps its items in flight; a second one on the same item within the window conflicts', async () => {
    const { e, clock } = await setup({ faults: { transactionConflicts: { windowMs: 50 } } });
    await e.client.send(new TransactWriteItemsCommand({ TransactItems: [putAction('a', '1'), putAction('b', '1')] }));
    clock.now += 49;
    const err = await rejection(e.client.send(new TransactWriteItemsCommand({ TransactItems: [putAction('c', '2'), putAction('b', '2')] })));
    expect((err.CancellationReasons as Array<{ Code: string }>).map((r) => r.Code)).toEqual(['None', 'TransactionConflict']);
    expect((await rejection(e.client.send(new PutItemCommand({ TableName: T, Item: key('a') })))).name).toBe('TransactionConflictException');
    clock.now += 1;
    await e.client.send(new TransactWriteItemsCommand({ TransactItems: [putAction('c', '2'), putAction('b', '2')] }));
    expect(await get(e, 'b')).toEqual({ ...key('b'), v: { S: '2' } });
  });

  test('probability: conflicts are drawn per item from the seed, the same for the same seed', async () => {
    const outcomes = async (seed: number) => {
      const { e } = await setup({ seed, faults: { transactionConflicts: { probability: 0.3 } } });
      const out: string[] = [];
      for (let i = 0; i < 40; i++) {
        try {
          await e.client.send(new TransactWriteItemsCommand({ TransactItems: [putAction('x' + i, '1'), putAction('y' + i, '1')] }));
          out.push('ok');
        } catch (err) {
          out.push(((err as { CancellationReasons: Array<{ Code: string }> }).CancellationReasons).map((r) => r.Code[0]).join(''));
        }
      }
      return { out, counted: e.engine.faults.counters.transactionConflicts };
    };
    const a = await outcomes(7);
    const b = await outcomes(7);
    const c = await outcomes(8);
    expect(a.out).toEqual(b.out);
    expect(a.out).not.toEqual(c.out);
    const canceled = a.out.filter((o) => o !== 'ok').length;
    // P(no conflict) = 0.7^2 = 0.49 per transaction.
    expect(canceled).toBeGreaterThan(8);
    expect(canceled).toBeLessThan(32);
    expect(a.counted).toBe(canceled);
  });

  test('set/clear at run time; invalid options change nothing', async () => {
    const { e } = await setup();
    e.engine.faults.set({ transactionConflicts: { probability: 1 } });
    expect((await rejection(e.client.send(new TransactWriteItemsCommand({ TransactItems: [putAction('a', '1')] })))).name).toBe('TransactionCanceledException');
    // Bad input still gets its own answer: two actions on one item are refused, not "conflicting".
    expect((await rejection(e.client.send(new TransactWriteItemsCommand({ TransactItems: [putAction('a', '1'), putAction('a', '2')] })))).name).toBe('ValidationException');
    expect(() => e.engine.faults.set({ transactionConflicts: { probability: 1.5 } })).toThrow(/transactionConflicts\.probability/);
    expect(() => e.engine.faults.set({ throttling: true, unprocessed: { share: 0.5, count: 2 } })).toThrow(/unprocessed/);
    // The failed set did not turn throttling on.
    expect(e.engine.faults.settings.throttling).toBeNull();
    expect(() => e.engine.faults.set({ transactionConflict: {} } as never)).toThrow(/unknown option "transactionConflict"/);
    e.engine.faults.clear();
    await expect(e.client.send(new TransactWriteItemsCommand({ TransactItems: [putAction('a', '1')] }))).resolves.toBeDefined();
  });
});
