import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from './derive-table-definition';

const WAIT = { maxWaitTime: 300, minDelay: 1, maxDelay: 5 };

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return undefined;
    throw error;
  }
}

/**
 * Creates the table unless it exists, waits until it is ACTIVE and enables TTL. Idempotent:
 * safe to call on every start-up and from concurrent processes.
 */
export async function ensureTable(client: DynamoDBClient, definition: TableDefinition): Promise<TableDescription> {
  const tableName = definition.input.TableName;
  if (!(await describe(client, tableName))) {
    try {
      await client.send(new CreateTableCommand(definition.input));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  await waitUntilTableExists({ client, ...WAIT }, { TableName: tableName });
  if (definition.ttlAttribute) {
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
    const status = ttl.TimeToLiveDescription?.TimeToLiveStatus;
    if (status !== 'ENABLED' && status !== 'ENABLING') {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { Enabled: true, AttributeName: definition.ttlAttribute },
        }),
      );
    }
  }
  return (await describe(client, tableName)) as TableDescription;
}

/** Deletes the table if it exists and waits until it is gone. Idempotent. */
export async function dropTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DeleteTableCommand({ TableName: tableName }));
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException) && !(error instanceof ResourceInUseException)) throw error;
  }
  await waitUntilTableNotExists({ client, ...WAIT }, { TableName: tableName });
}
