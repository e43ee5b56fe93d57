import { CreateTableCommand, DeleteTableCommand, waitUntilTableExists, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { attributeValueSize, itemSize, RequestRecorder, tableLayoutOf, type RecordedRequest } from '../../src/toolkit';
import { createPlainTable, testClient, uniqueTableName } from '../support/local-table';

/*
 * Units computed by DynamoDB's rules, against values computed by hand. String-only items, so an
 * item's size is the sum of its attribute names' and values' UTF-8 lengths; the comment above
 * each item gives the sum. Non-transactional requests also match what DynamoDB Local reports.
 */
const client = testClient();
const doc = DynamoDBDocumentClient.from(client);
const TableName = uniqueTableName('computed-units');
const input: CreateTableCommandInput & { TableName: string } = {
  TableName,
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: ['pk', 'sk', 'g1pk', 'g1sk', 'g2pk'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
  KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
  GlobalSecondaryIndexes: [
    { IndexName: 'gsi1', KeySchema: [{ AttributeName: 'g1pk', KeyType: 'HASH' }, { AttributeName: 'g1sk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
    { IndexName: 'gsi2', KeySchema: [{ AttributeName: 'g2pk', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
  ],
};
const layout = tableLayoutOf({ input, ttlAttribute: undefined });
const recorder = new RequestRecorder({ measureUnits: layout });
const d = (n: number) => 'd'.repeat(n);

async function one<T>(send: () => Promise<T>): Promise<RecordedRequest> {
  const { requests } = await recorder.capture(send);
  expect(requests).toHaveLength(1);
  return requests[0] as RecordedRequest;
}
const units = (r: RecordedRequest) => r.computedUnits?.byIndex;

beforeAll(async () => {
  await client.send(new CreateTableCommand(input));
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName });
  recorder.attach(client);
});
afterAll(async () => {
  recorder.detach();
  await client.send(new DeleteTableCommand({ TableName }));
  client.destroy();
});

describe('item sizes by DynamoDB\'s rules', () => {
  it('counts names and values; numbers by significant digits; lists and maps with overhead', () => {
    // 'pk'(2) + 'p1'(2) + 'n'(1) + 12345 → 3 digits pairs + 1 = 4
    expect(itemSize({ pk: { S: 'p1' }, n: { N: '12345' } })).toBe(2 + 2 + 1 + 4);
    expect(attributeValueSize({ N: '-0.00100' })).toBe(1 + 1 + 1); // one significant digit, one byte, negative
    expect(attributeValueSize({ BOOL: true })).toBe(1);
    expect(attributeValueSize({ NULL: true })).toBe(1);
    // map: 3 + per element (1 + name + value): 'a'→'xy' = 1+1+2; list of two: 3 + (1+1) + (1+2)
    expect(attributeValueSize({ M: { a: { S: 'xy' } } })).toBe(3 + 1 + 1 + 2);
    expect(attributeValueSize({ L: [{ S: 'x' }, { N: '10' }] })).toBe(3 + (1 + 1) + (1 + 2));
    expect(attributeValueSize({ SS: ['ab', 'c'] })).toBe(3);
  });

  it('puts just over and just under 1 KB with numbers and nested types are charged as DynamoDB Local charges them', async () => {
    const base = { pk: 'size', sk: 's', n: 1234567, m: { a: [1, 'x', true, null], b: { c: 'y' } } };
    // base without data: measure, then pad to exactly 1024 and 1025 bytes
    const probe = await one(() => doc.send(new PutCommand({ TableName, Item: { ...base, data: '' } })));
    const without = itemSize(probe.measured?.writes[0]?.after);
    for (const target of [1024, 1025]) {
      const r = await one(() => doc.send(new PutCommand({ TableName, Item: { ...base, data: d(target - without) } })));
      expect(itemSize(r.measured?.writes[0]?.after)).toBe(target);
      expect(r.computedUnits?.writeUnits).toBe(target === 1024 ? 1 : 2);
      expect(r.reportedUnits?.writeUnits).toBe(r.computedUnits?.writeUnits);
    }
  });
});

describe('units by DynamoDB\'s rules, per action and per index', () => {
  it('Put: the item in the table and in the one index it has keys for', async () => {
    // pk p1 (2+2) + sk s (2+1) + g1pk a (4+1) + g1sk b (4+1) + data (4+1500) = 1521 → 2 KB
    const r = await one(() => doc.send(new PutCommand({ TableName, Item: { pk: 'p1', sk: 's', g1pk: 'a', g1sk: 'b', data: d(1500) } })));
    expect(units(r)).toEqual({ table: { readUnits: 0, writeUnits: 2 }, gsi1: { readUnits: 0, writeUnits: 2 } });
    expect(r.reportedUnits?.writeUnits).toBe(4);
  });

  it('Update that grows the item and moves it to another gsi1 partition: a delete and a put there', async () => {
    // after: 1521 - 1500 + 2500 = 2521 → 3 KB in the table; gsi1 delete 2 KB + put 3 KB
    const r = await one(() =>
      doc.send(new UpdateCommand({ TableName, Key: { pk: 'p1', sk: 's' }, UpdateExpression: 'SET g1pk = :c, #d = :d', ExpressionAttributeNames: { '#d': 'data' }, ExpressionAttributeValues: { ':c': 'c', ':d': d(2500) } })),
    );
    expect(units(r)).toEqual({ table: { readUnits: 0, writeUnits: 3 }, gsi1: { readUnits: 0, writeUnits: 5 } });
    expect(r.reportedUnits?.writeUnits).toBe(8);
  });

  it('Update that puts the item into a KEYS_ONLY index writes only its keys there; one of an unprojected attribute writes nothing there', async () => {
    // gsi2 entry: pk p1 (4) + sk s (3) + g2pk k (5) = 12 bytes → 1; table 2526 → 3; gsi1 (ALL) changed: max(2521, 2526) → 3
    const join = await one(() => doc.send(new UpdateCommand({ TableName, Key: { pk: 'p1', sk: 's' }, UpdateExpression: 'SET g2pk = :k', ExpressionAttributeValues: { ':k': 'k' } })));
    expect(units(join)).toEqual({ table: { readUnits: 0, writeUnits: 3 }, gsi1: { readUnits: 0, writeUnits: 3 }, gsi2: { readUnits: 0, writeUnits: 1 } });
    const other = await one(() => doc.send(new UpdateCommand({ TableName, Key: { pk: 'p1', sk: 's' }, UpdateExpression: 'SET #d = :d', ExpressionAttributeNames: { '#d': 'data' }, ExpressionAttributeValues: { ':d': d(100) } })));
    // 2526 → 126 bytes: table on the larger image (3), gsi1 the larger entry (3), gsi2 untouched
    expect(units(other)).toEqual({ table: { readUnits: 0, writeUnits: 3 }, gsi1: { readUnits: 0, writeUnits: 3 } });
    expect(other.reportedUnits?.writeUnits).toBe(6);
  });

  it('Delete: the stored item in the table and its entry in each index', async () => {
    const r = await one(() => doc.send(new DeleteCommand({ TableName, Key: { pk: 'p1', sk: 's' } })));
    // 126 bytes: 1 in the table, 1 in gsi1, 1 in gsi2
    expect(units(r)).toEqual({ table: { readUnits: 0, writeUnits: 1 }, gsi1: { readUnits: 0, writeUnits: 1 }, gsi2: { readUnits: 0, writeUnits: 1 } });
    expect(r.reportedUnits?.writeUnits).toBe(3);
  });

  it('TransactWriteItems: each action doubled, the ConditionCheck as a transactional write of the checked item on the table', async () => {
    // checked: pk cc (4) + sk s (3) + data (4 + 2000) = 2011 → 2 KB → 4; new item: 11 + 4 + 10 = 25 bytes → 1 KB → 2 + gsi1 2
    await doc.send(new PutCommand({ TableName, Item: { pk: 'cc', sk: 's', data: d(2000) } }));
    const r = await one(() =>
      doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { ConditionCheck: { TableName, Key: { pk: 'cc', sk: 's' }, ConditionExpression: 'attribute_exists(pk)' } },
            { Put: { TableName, Item: { pk: 'tx', sk: 's', g1pk: 'g', g1sk: '1' } } },
          ],
        }),
      ),
    );
    expect(units(r)).toEqual({ table: { readUnits: 0, writeUnits: 4 + 2 }, gsi1: { readUnits: 0, writeUnits: 2 } });
  });

  it('a cancelled transaction is still charged, per item on the table', async () => {
    const r = await one(() =>
      doc
        .send(
          new TransactWriteCommand({
            TransactItems: [
              { ConditionCheck: { TableName, Key: { pk: 'cc', sk: 's' }, ConditionExpression: 'attribute_not_exists(pk)' } },
              { Put: { TableName, Item: { pk: 'never', sk: 's', g1pk: 'g', g1sk: '2' } } },
            ],
          }),
        )
        .catch((e: Error) => e.name),
    );
    expect(r.error).toBe('TransactionCanceledException');
    // checked item 2 KB → 4; the put's item does not exist: 1 KB minimum → 2; nothing in gsi1
    expect(units(r)).toEqual({ table: { readUnits: 0, writeUnits: 6 } });
  });

  it('TransactGetItems: 2 read units per 4 KB of each item', async () => {
    // cc: 2011 bytes → 1 block → 2; tx: 25 bytes → 2; missing item: 1 block → 2
    const r = await one(() =>
      doc.send(new TransactGetCommand({ TransactItems: [{ Get: { TableName, Key: { pk: 'cc', sk: 's' } } }, { Get: { TableName, Key: { pk: 'tx', sk: 's' } } }] })),
    );
    expect(units(r)).toEqual({ table: { readUnits: 4, writeUnits: 0 } });
    expect(r.reportedUnits?.readUnits).toBe(4);
  });

  it('GetItem: eventually consistent half, strong whole, projection does not reduce it', async () => {
    const e = await one(() => doc.send(new GetCommand({ TableName, Key: { pk: 'cc', sk: 's' }, ProjectionExpression: 'pk' })));
    const s = await one(() => doc.send(new GetCommand({ TableName, Key: { pk: 'cc', sk: 's' }, ConsistentRead: true })));
    expect(units(e)).toEqual({ table: { readUnits: 0.5, writeUnits: 0 } });
    expect(units(s)).toEqual({ table: { readUnits: 1, writeUnits: 0 } });
    expect(e.reportedUnits?.readUnits).toBe(0.5);
  });

  describe('Query pages', () => {
    // q<i>: pk (2+2) + sk (2+1) + g1pk q (5) + g1sk <i> (5) + data (4+980) = 1001 bytes
    beforeAll(async () => {
      for (let i = 0; i < 10; i += 1) await doc.send(new PutCommand({ TableName, Item: { pk: `q${i}`, sk: 's', g1pk: 'q', g1sk: String(i), data: d(980) } }));
    });

    it('a filter that returns nothing still pays for the items read before it: 10 010 bytes → 3 blocks → 1.5 eventually consistent', async () => {
      const r = await one(() =>
        doc.send(new QueryCommand({ TableName, IndexName: 'gsi1', KeyConditionExpression: 'g1pk = :q', FilterExpression: 'contains(#d, :x)', ExpressionAttributeNames: { '#d': 'data' }, ExpressionAttributeValues: { ':q': 'q', ':x': 'x' } })),
      );
      expect(r.itemCount).toBe(0);
      expect(r.scannedCount).toBe(10);
      expect(units(r)).toEqual({ gsi1: { readUnits: 1.5, writeUnits: 0 } });
    });

    it('a page cut by Limit pays for the items it read: 4 × 1001 → 1 block', async () => {
      const r = await one(() =>
        doc.send(new QueryCommand({ TableName, IndexName: 'gsi1', KeyConditionExpression: 'g1pk = :q', FilterExpression: 'contains(#d, :x)', Limit: 4, ExpressionAttributeNames: { '#d': 'data' }, ExpressionAttributeValues: { ':q': 'q', ':x': 'x' } })),
      );
      expect(r.itemCount).toBe(0);
      expect(units(r)).toEqual({ gsi1: { readUnits: 0.5, writeUnits: 0 } });
    });

    it('a KEYS_ONLY index reads only its entries, strongly consistent table queries pay whole units', async () => {
      const r = await one(() => doc.send(new QueryCommand({ TableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'q1' }, ConsistentRead: true })));
      expect(units(r)).toEqual({ table: { readUnits: 1, writeUnits: 0 } });
    });
  });

  it('BatchWriteItem and BatchGetItem: per item, not transactional', async () => {
    // b1: pk (4) + sk (3) + data (4 + 1100) = 1111 → 2; b2: 7 + 4 + 10 = 21 → 1; delete of q9 (1001, in gsi1) → 1 + gsi1 1
    const w = await one(() =>
      doc.send(
        new BatchWriteCommand({
          RequestItems: {
            [TableName]: [{ PutRequest: { Item: { pk: 'b1', sk: 's', data: d(1100) } } }, { PutRequest: { Item: { pk: 'b2', sk: 's', data: d(10) } } }, { DeleteRequest: { Key: { pk: 'q9', sk: 's' } } }],
          },
        }),
      ),
    );
    expect(units(w)).toEqual({ table: { readUnits: 0, writeUnits: 4 }, gsi1: { readUnits: 0, writeUnits: 1 } });
    expect(w.reportedUnits?.writeUnits).toBe(5);
    const g = await one(() => doc.send(new BatchGetCommand({ RequestItems: { [TableName]: { Keys: [{ pk: 'b1', sk: 's' }, { pk: 'b2', sk: 's' }] } } })));
    expect(units(g)).toEqual({ table: { readUnits: 1, writeUnits: 0 } });
    expect(g.reportedUnits?.readUnits).toBe(1);
  });
});

describe('a transaction of 6 puts on a table with one GSI', () => {
  const plain = uniqueTableName('six-puts');
  const plainRecorder = new RequestRecorder({
    measureUnits: { tableName: plain, keys: ['pk', 'sk'], indexes: [{ name: 'byGroup', keys: ['gpk'], projection: { type: 'ALL' } }] },
  });
  beforeAll(async () => {
    await createPlainTable(client, plain, { name: 'byGroup', partitionKey: 'gpk' });
  });
  afterAll(async () => {
    await client.send(new DeleteTableCommand({ TableName: plain }));
  });

  it('counts 24 write units (2 per item on the table, 2 on the index), whatever the endpoint reports (DynamoDB Local reports fewer)', async () => {
    recorder.detach();
    plainRecorder.attach(client);
    try {
      // each item ~150 bytes: 1 KB, doubled, on the table and on byGroup
      const TransactItems = Array.from({ length: 6 }, (_, i) => ({ Put: { TableName: plain, Item: { pk: `t${i}`, sk: 's', gpk: 'g', data: d(130) } } }));
      const { requests } = await plainRecorder.capture(() => doc.send(new TransactWriteCommand({ TransactItems })));
      const r = requests[0] as RecordedRequest;
      expect(r.writeUnits).toBe(24);
      expect(r.computedUnits?.byIndex).toEqual({ table: { readUnits: 0, writeUnits: 12 }, byGroup: { readUnits: 0, writeUnits: 12 } });
      // The embedded engine reports the same 24 (test/engine/docs/capacity.test.ts); DynamoDB Local
      // reports one action's units, so the report is not asserted here: the rules are the truth.
    } finally {
      plainRecorder.detach();
      recorder.attach(client);
    }
  });
});
