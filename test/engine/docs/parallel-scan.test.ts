/**
 * Parallel scan, from https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Scan.html#Scan.ParallelScan
 * and https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Scan.html#DDB-Scan-request-TotalSegments:
 * the workers' segments together cover the table, each item read by exactly one segment,
 * LastEvaluatedKey of a segment continuing that segment. A property over item sets and
 * TotalSegments 1..10 (dynalite only splits its own hash space; this holds the engine to the rule).
 */
import { BatchWriteItemCommand, CreateTableCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { engineUnderTest } from './support';

const keyValue = fc.oneof(
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 6 }).map((S): AttributeValue => ({ S })),
  fc.integer({ min: -1e6, max: 1e6 }).map((n): AttributeValue => ({ N: String(n) })),
);

describe('parallel Scan (Scan.html#Scan.ParallelScan)', () => {
  test('every item is in exactly one segment, for TotalSegments 1..10 and any page size', async () => {
    await fc.assert(fc.asyncProperty(
      fc.constantFrom<'S' | 'N'>('S', 'N'),
      fc.integer({ min: 0, max: 60 }),
      fc.integer({ min: 1, max: 10 }),
      fc.integer({ min: 1, max: 7 }),
      fc.integer({ min: 0, max: 1000 }),
      async (type, count, totalSegments, limit, salt) => {
        const { client } = engineUnderTest();
        await client.send(new CreateTableCommand({
          TableName: 'ps_table', BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: type }, { AttributeName: 'sk', AttributeType: 'N' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        }));
        const keys = fc.sample(fc.uniqueArray(keyValue.filter((v) => (type === 'S' ? 'S' in v : 'N' in v)), { minLength: count, maxLength: count, selector: (v) => JSON.stringify(v) }), { seed: salt, numRuns: 1 })[0] ?? [];
        // Two sort keys per partition: segments split by partition, never inside one.
        const items = keys.flatMap((pk) => [1, 2].map((sk) => ({ pk, sk: { N: String(sk) } })));
        for (let i = 0; i < items.length; i += 25) {
          await client.send(new BatchWriteItemCommand({ RequestItems: { ps_table: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
        }
        const seen: string[] = [];
        for (let segment = 0; segment < totalSegments; segment++) {
          let start: Record<string, AttributeValue> | undefined;
          do {
            const page = await client.send(new ScanCommand({ TableName: 'ps_table', Segment: segment, TotalSegments: totalSegments, Limit: limit, ExclusiveStartKey: start }));
            for (const item of page.Items ?? []) seen.push(JSON.stringify([item.pk, item.sk]));
            start = page.LastEvaluatedKey;
          } while (start);
        }
        expect(seen.length).toBe(items.length);
        expect(new Set(seen).size).toBe(items.length);
        expect(new Set(seen)).toEqual(new Set(items.map((i) => JSON.stringify([i.pk, i.sk]))));
      },
    ), { seed: 20261204, numRuns: 40 });
  });
});
