/**
 * Transactions, written from AWS's documentation (dynalite has none):
 * - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html
 *   (all or nothing; up to 100 actions on distinct items; one item once; 4 MB in all; idempotency)
 * - https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 *   (ClientRequestToken valid 10 minutes; other parameters with the same token:
 *   IdempotentParameterMismatchException)
 * - https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_CancellationReason.html
 *   (reasons ordered as the request's actions; "None" where nothing failed)
 * - https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html
 *   (responses in request order; an item not found has no Item)
 */
import { GetItemCommand, TransactGetItemsCommand, TransactWriteItemsCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { createTable, engineUnderTest, rejection } from './support';

const T = 'tx_table';

async function setup(clock?: () => number) {
  const e = engineUnderTest(clock ? { clock } : {});
  await createTable(e.client, T);
  await e.client.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: T, Item: { pk: { S: 'a' }, sk: { S: '1' }, v: { N: '1' } } } }] }));
  return e;
}

const put = (pk: string, extra: Record<string, { S: string } | { N: string }> = {}): TransactWriteItem =>
  ({ Put: { TableName: T, Item: { pk: { S: pk }, sk: { S: '1' }, ...extra } } });

describe('TransactWriteItems (transaction-apis.html, API_TransactWriteItems.html)', () => {
  test('all or nothing: one failed condition cancels every action; reasons in request order, with the item for ALL_OLD', async () => {
    const { client } = await setup();
    const err = await rejection(client.send(new TransactWriteItemsCommand({
      TransactItems: [
        put('b'),
        { Update: { TableName: T, Key: { pk: { S: 'a' }, sk: { S: '1' } }, UpdateExpression: 'SET v = :two', ConditionExpression: 'v = :two', ExpressionAttributeValues: { ':two': { N: '2' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
        { ConditionCheck: { TableName: T, Key: { pk: { S: 'c' }, sk: { S: '1' } }, ConditionExpression: 'attribute_not_exists(pk)' } },
      ],
    })));
    expect(err.name).toBe('TransactionCanceledException');
    const reasons = err.CancellationReasons as Array<{ Code?: string; Item?: unknown }>;
    expect(reasons.map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed', 'None']);
    expect(reasons[1]?.Item).toEqual({ pk: { S: 'a' }, sk: { S: '1' }, v: { N: '1' } });
    expect(reasons[0]?.Item).toBeUndefined();
    // Nothing applied: b absent, a unchanged.
    expect((await client.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'b' }, sk: { S: '1' } } }))).Item).toBeUndefined();
    expect((await client.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'a' }, sk: { S: '1' } } }))).Item?.v).toEqual({ N: '1' });
  });

  test('two actions on the same item are refused (ValidationException) and nothing is written', async () => {
    const { client } = await setup();
    const err = await rejection(client.send(new TransactWriteItemsCommand({
      TransactItems: [put('b'), { ConditionCheck: { TableName: T, Key: { pk: { S: 'b' }, sk: { S: '1' } }, ConditionExpression: 'attribute_not_exists(pk)' } }],
    })));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toMatch(/multiple operations on one item/);
    expect((await client.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'b' }, sk: { S: '1' } } }))).Item).toBeUndefined();
  });

  test('100 actions are accepted, 101 refused', async () => {
    const { client } = await setup();
    const many = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => put(`${prefix}${i}`));
    await client.send(new TransactWriteItemsCommand({ TransactItems: many(100, 'ok') }));
    expect((await client.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'ok99' }, sk: { S: '1' } } }))).Item).toBeDefined();
    const err = await rejection(client.send(new TransactWriteItemsCommand({ TransactItems: many(101, 'no') })));
    expect(err.name).toBe('ValidationException');
    expect((await client.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'no0' }, sk: { S: '1' } } }))).Item).toBeUndefined();
  });

  test('the items of a transaction may total 4 MB, not more: 10 items of 399 KB pass, 11 are refused and nothing is written', async () => {
    const { client } = await setup();
    const big = (prefix: string, n: number) => Array.from({ length: n }, (_, i): TransactWriteItem =>
      ({ Put: { TableName: T, Item: { pk: { S: `${prefix}${i}` }, sk: { S: '1' }, d: { S: 'x'.repeat(399 * 1024) } } } }));
    await client.send(new TransactWriteItemsCommand({ TransactItems: big('fits', 10) }));
    expect((await client.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'fits9' }, sk: { S: '1' } } }))).Item).toBeDefined();
    const err = await rejection(client.send(new TransactWriteItemsCommand({ TransactItems: big('over', 11) })));
    expect(err.name).toBe('ValidationException');
    expect((await client.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'over0' }, sk: { S: '1' } } }))).Item).toBeUndefined();
  });

  test('ClientRequestToken: the same request twice within 10 minutes applies once; other parameters: IdempotentParameterMismatchException; after 10 minutes: a new request', async () => {
    let now = Date.UTC(2026, 11, 4, 12);
    const { client } = await setup(() => now);
    const add = (token: string, by = '1') => new TransactWriteItemsCommand({
      ClientRequestToken: token,
      TransactItems: [{ Update: { TableName: T, Key: { pk: { S: 'a' }, sk: { S: '1' } }, UpdateExpression: 'ADD v :by', ExpressionAttributeValues: { ':by': { N: by } } } }],
    });
    const v = async () => (await client.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'a' }, sk: { S: '1' } }, ConsistentRead: true }))).Item?.v;
    await client.send(add('token-1'));
    await client.send(add('token-1'));
    expect(await v()).toEqual({ N: '2' });
    const err = await rejection(client.send(add('token-1', '5')));
    expect(err.name).toBe('IdempotentParameterMismatchException');
    expect(await v()).toEqual({ N: '2' });
    now += 10 * 60 * 1000 + 1;
    await client.send(add('token-1'));
    expect(await v()).toEqual({ N: '3' });
  });
});

describe('TransactGetItems (API_TransactGetItems.html)', () => {
  test('responses in request order; a missing item has no Item', async () => {
    const { client } = await setup();
    await client.send(new TransactWriteItemsCommand({ TransactItems: [put('b', { v: { N: '7' } })] }));
    const out = await client.send(new TransactGetItemsCommand({
      TransactItems: ['b', 'missing', 'a'].map((pk) => ({ Get: { TableName: T, Key: { pk: { S: pk }, sk: { S: '1' } } } })),
    }));
    expect(out.Responses?.map((r) => r.Item?.pk?.S)).toEqual(['b', undefined, 'a']);
  });
});
