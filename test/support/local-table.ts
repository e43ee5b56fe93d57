import { CreateTableCommand, type DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { testClient } from '../../src/toolkit/testing';

export { testClient };

/** A table name no other test file uses. */
export function uniqueTableName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/**
 * A pk/sk table with at most one GSI (ALL projection), for tests of generic parts that must work
 * on any table, not only the reference model's.
 */
export async function createPlainTable(
  client: DynamoDBClient,
  TableName: string,
  index?: { name: string; partitionKey: string; sortKey?: string },
): Promise<void> {
  const indexKeys = index ? [index.partitionKey, ...(index.sortKey ? [index.sortKey] : [])] : [];
  await client.send(
    new CreateTableCommand({
      TableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [...new Set(['pk', 'sk', ...indexKeys])].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      ...(index
        ? {
            GlobalSecondaryIndexes: [
              {
                IndexName: index.name,
                KeySchema: [{ AttributeName: index.partitionKey, KeyType: 'HASH' }, ...(index.sortKey ? [{ AttributeName: index.sortKey, KeyType: 'RANGE' as const }] : [])],
                Projection: { ProjectionType: 'ALL' },
              },
            ],
          }
        : {}),
    }),
  );
  await waitUntilTableExists({ client, maxWaitTime: 30 }, { TableName });
}
