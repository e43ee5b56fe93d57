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
import { CreateTableCommand, GetItemCommand, TransactGetItemsCommand, TransactWriteItemsCommand, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import { createTable, engineUnderTest, rejection, type EngineUnderTest } from './support';

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

  describe('the 4 MB limit, by DynamoDB item sizes (API_TransactWriteItems: "The aggregate size of the items in the transaction cannot exceed 4 MB")', () => {
    const MB4 = 4 * 1024 * 1024;
    const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');
    /** An item of exactly `bytes` by DynamoDB's rules: names + string values (UTF-8 bytes). */
    const sized = (keys: Record<string, string>, bytes: number, attr = 'd'): Record<string, { S: string }> => {
      const base = Object.entries(keys).reduce((n, [k, v]) => n + utf8(k) + utf8(v), 0) + utf8(attr);
      const out: Record<string, { S: string }> = {};
      for (const [k, v] of Object.entries(keys)) out[k] = { S: v };
      out[attr] = { S: 'x'.repeat(bytes - base) };
      return out;
    };
    const get = async (client: EngineUnderTest['client'], pk: string, table = T) =>
      (await client.send(new GetItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: '1' } }, ConsistentRead: true }))).Item;
    const refusal = (err: Error) => {
      expect(err.name).toBe('ValidationException');
      expect(err.message).toMatch(/aggregate size of the items in the transaction exceeds 4 MB/);
    };

    test('100 puts totalling exactly 4 MB pass (conditions and expression values do not count); one byte more is refused and nothing is written', async () => {
      const { client } = await setup();
      // 96 items of 41,943 bytes and 4 of 41,944: 4,194,304 bytes.
      const batch = (prefix: string, extra: number) => Array.from({ length: 100 }, (_, i): TransactWriteItem => ({
        Put: {
          TableName: T,
          Item: sized({ pk: `${prefix}${String(i).padStart(2, '0')}`, sk: '1' }, 41943 + (i < 4 ? 1 : 0) + (i === 99 ? extra : 0)),
          ConditionExpression: 'attribute_not_exists(pk) AND NOT contains(#d, :long)',
          ExpressionAttributeNames: { '#d': 'd' },
          ExpressionAttributeValues: { ':long': { S: 'y'.repeat(2000) } },
        },
      }));
      await client.send(new TransactWriteItemsCommand({ TransactItems: batch('in', 0) }));
      expect(await get(client, 'in99')).toBeDefined();
      refusal(await rejection(client.send(new TransactWriteItemsCommand({ TransactItems: batch('ov', 1) }))));
      expect(await get(client, 'ov00')).toBeUndefined();
      expect(await get(client, 'ov99')).toBeUndefined();
    });

    test('11 items of 381,300 bytes pass, of 381,301 are refused (4,194,311 bytes)', async () => {
      const { client } = await setup();
      const eleven = (prefix: string, bytes: number) => Array.from({ length: 11 }, (_, i): TransactWriteItem =>
        ({ Put: { TableName: T, Item: sized({ pk: `${prefix}${i}`, sk: '1' }, bytes) } }));
      expect(11 * 381300).toBeLessThanOrEqual(MB4);
      await client.send(new TransactWriteItemsCommand({ TransactItems: eleven('a', 381300) }));
      expect(await get(client, 'a10')).toBeDefined();
      refusal(await rejection(client.send(new TransactWriteItemsCommand({ TransactItems: eleven('b', 381301) }))));
      expect(await get(client, 'b0')).toBeUndefined();
    });

    test('Update, Delete, ConditionCheck and a replacing Put count their item (the larger of before and after); a refused transaction changes nothing', async () => {
      const { client } = await setup();
      const keys = Array.from({ length: 11 }, (_, i) => `big${i}`);
      // Eleven stored items of 381,301 bytes (4,194,311 in all), written in two transactions.
      for (const part of [keys.slice(0, 6), keys.slice(6)]) {
        await client.send(new TransactWriteItemsCommand({ TransactItems: part.map((pk): TransactWriteItem => ({ Put: { TableName: T, Item: sized({ pk, sk: '1' }, 381301) } })) }));
      }
      const key = (pk: string) => ({ pk: { S: pk }, sk: { S: '1' } });
      const shrink = keys.map((pk): TransactWriteItem => ({ Update: { TableName: T, Key: key(pk), UpdateExpression: 'REMOVE d' } }));
      refusal(await rejection(client.send(new TransactWriteItemsCommand({ TransactItems: shrink }))));
      const deletes = keys.map((pk): TransactWriteItem => ({ Delete: { TableName: T, Key: key(pk) } }));
      refusal(await rejection(client.send(new TransactWriteItemsCommand({ TransactItems: deletes }))));
      const checks = keys.map((pk): TransactWriteItem => ({ ConditionCheck: { TableName: T, Key: key(pk), ConditionExpression: 'attribute_exists(pk)' } }));
      refusal(await rejection(client.send(new TransactWriteItemsCommand({ TransactItems: checks }))));
      // A Put counts the larger of its item and the one it replaces.
      const replace = keys.map((pk): TransactWriteItem => ({ Put: { TableName: T, Item: { ...key(pk), small: { S: 'yes' } } } }));
      refusal(await rejection(client.send(new TransactWriteItemsCommand({ TransactItems: replace }))));
      for (const pk of keys) expect((await get(client, pk))?.d?.S?.length).toBeGreaterThan(380000);
      // Ten of them fit, with a small put beside.
      await client.send(new TransactWriteItemsCommand({ TransactItems: [...checks.slice(0, 10), put('small')] }));
      await client.send(new TransactWriteItemsCommand({ TransactItems: shrink.slice(0, 10) }));
      expect((await get(client, 'big0'))?.d).toBeUndefined();
      // Growing updates count the item after the update: eleven small items grown past 4 MB in all.
      const grow = Array.from({ length: 11 }, (_, i): TransactWriteItem => ({
        Update: { TableName: T, Key: key(`g${i}`), UpdateExpression: 'SET d = :d', ExpressionAttributeValues: { ':d': { S: 'x'.repeat(381295) } } },
      }));
      refusal(await rejection(client.send(new TransactWriteItemsCommand({ TransactItems: grow }))));
      expect(await get(client, 'g0')).toBeUndefined();
    });

    test('any key schema: hostile attribute names count their UTF-8 bytes', async () => {
      const e = engineUnderTest();
      const H = 'ключ "#x.[0]';
      await e.client.send(new CreateTableCommand({ TableName: 'hostile_tx', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: H, AttributeType: 'S' }], KeySchema: [{ AttributeName: H, KeyType: 'HASH' }] }));
      const eleven = (prefix: string, last: number) => Array.from({ length: 11 }, (_, i): TransactWriteItem =>
        ({ Put: { TableName: 'hostile_tx', Item: sized({ [H]: `${prefix}${i}` }, i === 10 ? last : 381300, 'данные') } }));
      // 10 x 381,300 + 381,304 = 4,194,304 bytes: exactly 4 MB, with multi-byte names and keys.
      await e.client.send(new TransactWriteItemsCommand({ TransactItems: eleven('é', 381304) }));
      refusal(await rejection(e.client.send(new TransactWriteItemsCommand({ TransactItems: eleven('ü', 381305) }))));
      const at = async (k: string) => (await e.client.send(new GetItemCommand({ TableName: 'hostile_tx', Key: { [H]: { S: k } }, ConsistentRead: true }))).Item;
      expect(await at('é10')).toBeDefined();
      expect(await at('ü0')).toBeUndefined();
      expect(await at('ü10')).toBeUndefined();
    });

    test('TransactGetItems: the whole items read count, whatever the projection; over 4 MB is refused', async () => {
      const { client } = await setup();
      const keys = Array.from({ length: 11 }, (_, i) => `r${i}`);
      for (const part of [keys.slice(0, 6), keys.slice(6)]) {
        await client.send(new TransactWriteItemsCommand({ TransactItems: part.map((pk): TransactWriteItem => ({ Put: { TableName: T, Item: sized({ pk, sk: '1' }, 381301) } })) }));
      }
      const gets = (pks: string[]) => new TransactGetItemsCommand({ TransactItems: pks.map((pk) => ({ Get: { TableName: T, Key: { pk: { S: pk }, sk: { S: '1' } }, ProjectionExpression: 'pk' } })) });
      const ten = await client.send(gets(keys.slice(0, 10)));
      expect(ten.Responses?.map((r) => r.Item?.pk?.S)).toEqual(keys.slice(0, 10));
      refusal(await rejection(client.send(gets(keys))));
      // Missing items weigh nothing.
      const withMissing = await client.send(gets([...keys.slice(0, 10), 'missing']));
      expect(withMissing.Responses?.[10]?.Item).toBeUndefined();
    });
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
