import { CreateTableCommand, DynamoDBClient, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { localClientConfig } from '../../src/local/client-config';

/** A client on the run's DynamoDB Local (started by globalSetup). */
export function testClient(): DynamoDBClient {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('DYNAMODB_ENDPOINT is not set: run the tests through jest (globalSetup starts DynamoDB Local)');
  return new DynamoDBClient(localClientConfig(endpoint));
}

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
