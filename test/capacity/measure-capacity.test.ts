import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { capacityByIndex, capacityOf } from '../../src/toolkit';
import { RequestRecorder, type RecordedRequest } from '../../src/toolkit';
import { countReturnedItems, measurePatterns } from '../../src/toolkit';
import { createPlainTable, testClient, uniqueTableName } from '../support/local-table';

const request = (r: Partial<RecordedRequest>): RecordedRequest => ({
  operation: 'GetItem', tables: ['t'], index: undefined, keyCondition: undefined, filter: undefined, partitions: [], itemKeys: [],
  consistentRead: false, limit: undefined, pattern: undefined, consumedCapacity: [], readUnits: 0, writeUnits: 0,
  itemCount: undefined, scannedCount: undefined, durationMs: 1, error: undefined, startedAt: 0, ...r,
});

describe('capacityOf (hand-computed)', () => {
  it('averages units per call, splits them by index and divides reads by items returned', () => {
    const q = (units: number, count: number) =>
      request({ operation: 'Query', index: 'gsi1', readUnits: units, itemCount: count, consumedCapacity: [{ TableName: 't', CapacityUnits: units, GlobalSecondaryIndexes: { gsi1: { CapacityUnits: units } } }] });
    const measured = capacityOf(
      {
        pattern: 'listThings',
        calls: [
          { requests: [q(1.5, 30)], durationMs: 1, returned: 25 },
          { requests: [q(0.5, 5)], durationMs: 1, returned: 5 },
        ],
      },
      'read',
    );
    // (1.5 + 0.5) / 2 calls = 1 RCU a call; (25 + 5) / 2 = 15 items returned; 1 / 15 RCU an item
    expect(measured).toMatchObject({ readUnitsPerCall: 1, writeUnitsPerCall: 0, itemsReadPerCall: 17.5, itemsPerCall: 15, byIndex: { gsi1: { readUnits: 1, writeUnits: 0 } } });
    expect(measured.readUnitsPerItem).toBeCloseTo(1 / 15, 12);
  });

  it('attributes a transaction\'s units to the table and each index as writes', () => {
    const split = capacityByIndex({
      operation: 'TransactWriteItems',
      consumedCapacity: [{ TableName: 't', CapacityUnits: 8, Table: { CapacityUnits: 4 }, GlobalSecondaryIndexes: { gsi1: { CapacityUnits: 2 }, gsi2: { CapacityUnits: 2 } } }],
    });
    expect(split).toEqual({ table: { readUnits: 0, writeUnits: 4 }, gsi1: { readUnits: 0, writeUnits: 2 }, gsi2: { readUnits: 0, writeUnits: 2 } });
  });

  it('counts returned items by the shape of the result', () => {
    expect(countReturnedItems(undefined)).toBe(0);
    expect(countReturnedItems({ userId: 'u', name: 'n' })).toBe(1);
    expect(countReturnedItems({ items: [1, 2, 3], cursor: null })).toBe(3);
    expect(countReturnedItems({ order: { orderId: 'o' }, items: [{}, {}] })).toBe(3);
    expect(countReturnedItems([{}, {}])).toBe(2);
  });
});

// Generic: a model that is not the reference model, measured on DynamoDB Local.
describe('measuring any model on DynamoDB Local', () => {
  const client = testClient();
  const doc = DynamoDBDocumentClient.from(client);
  const TableName = uniqueTableName('measure');
  beforeAll(async () => {
    await createPlainTable(client, TableName, { name: 'byGroup', partitionKey: 'gpk', sortKey: 'sk' });
    for (let i = 0; i < 6; i += 1) await doc.send(new PutCommand({ TableName, Item: { pk: `p${i}`, sk: 's', gpk: 'g', n: 'x'.repeat(100) } }));
  });
  afterAll(async () => {
    await client.send(new DeleteTableCommand({ TableName }));
    client.destroy();
  });

  it('records each pattern\'s units per call and per index from what DynamoDB reported', async () => {
    const recorder = RequestRecorder.attach(client);
    const [get, list, create] = await measurePatterns(
      ['getThing', 'listGroup', 'createThing'],
      {
        getThing: async (i) => async () => (await doc.send(new GetCommand({ TableName, Key: { pk: `p${i % 6}`, sk: 's' } }))).Item,
        listGroup: async () => async () => ({ items: (await doc.send(new QueryCommand({ TableName, IndexName: 'byGroup', KeyConditionExpression: 'gpk = :g', ExpressionAttributeValues: { ':g': 'g' } }))).Items ?? [], cursor: null }),
        createThing: async (i) => async () => doc.send(new TransactWriteCommand({ TransactItems: [{ Put: { TableName, Item: { pk: `new${i}`, sk: 's', gpk: 'h' } } }] })),
      },
      recorder,
      { iterations: 3 },
    );
    recorder.detach();
    expect(capacityOf(get!, 'read')).toMatchObject({ calls: 3, readUnitsPerCall: 0.5, itemsPerCall: 1, readUnitsPerItem: 0.5, byIndex: { table: { readUnits: 0.5, writeUnits: 0 } } });
    // 6 small items: one 4 KB block, eventually consistent
    expect(capacityOf(list!, 'read')).toMatchObject({ readUnitsPerCall: 0.5, itemsPerCall: 6, byIndex: { byGroup: { readUnits: 0.5, writeUnits: 0 } } });
    // transactional put of a small item with one index entry: 2 + 2
    expect(capacityOf(create!, 'write')).toMatchObject({ readUnitsPerCall: 0, writeUnitsPerCall: 4, byIndex: { table: { readUnits: 0, writeUnits: 2 }, byGroup: { readUnits: 0, writeUnits: 2 } } });
  });
});

describe('the capacity table shows DynamoDB Local\'s report only where it differs', () => {
  it('adds Local\'s units beside a transaction it under-reports, and nothing where it agrees', async () => {
    const { renderCapacity, localDiffers } = await import('../../src/cli/capacity');
    const computed = (r: Partial<RecordedRequest>) => request({ operation: 'TransactWriteItems', ...r });
    const tx = capacityOf({ pattern: 'sixPuts', calls: [{ requests: [computed({ writeUnits: 24, reportedUnits: { readUnits: 0, writeUnits: 4 }, computedUnits: { readUnits: 0, writeUnits: 24, byIndex: { table: { readUnits: 0, writeUnits: 12 }, g: { readUnits: 0, writeUnits: 12 } } } })], durationMs: 1, returned: 0 }] }, 'write');
    const same = capacityOf({ pattern: 'onePut', calls: [{ requests: [computed({ operation: 'PutItem', writeUnits: 2, reportedUnits: { readUnits: 0, writeUnits: 2 }, computedUnits: { readUnits: 0, writeUnits: 2, byIndex: { table: { readUnits: 0, writeUnits: 2 } } } })], durationMs: 1, returned: 0 }] }, 'write');
    expect(tx).toMatchObject({ writeUnitsPerCall: 24, byIndex: { table: { writeUnits: 12 }, g: { writeUnits: 12 } }, reported: { writeUnitsPerCall: 4 } });
    expect(localDiffers(tx)).toBe(true);
    expect(localDiffers(same)).toBe(false);
    const rows = renderCapacity([tx, same]).split('\n');
    expect(rows.find((l) => l.includes('sixPuts'))).toContain('0 / 4');
    expect(rows.find((l) => l.includes('onePut'))).not.toContain(' / ');
  });
});
