import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  waitUntilTableNotExists,
  type DynamoDBClient,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import type { GlobalSecondaryIndexDescription, KeySchemaElement, Projection } from '@aws-sdk/client-dynamodb';
import type { TableDefinition } from './derive-table-definition';

/** An existing table whose keys or indexes differ from the definition; `differences` names each. */
export class TableMismatchError extends Error {
  override readonly name = 'TableMismatchError';
  constructor(readonly tableName: string, readonly differences: readonly string[]) {
    super(`table ${tableName} differs from its definition:\n  ${differences.join('\n  ')}`);
  }
}

export interface EnsureTableOptions {
  /**
   * Create GSIs the definition has and the existing table lacks (UpdateTable, one at a time,
   * waiting for each to become ACTIVE). Any other difference is still refused. Default false:
   * adding an index backfills it from every item, which costs writes; ask for it explicitly.
   */
  addMissingIndexes?: boolean;
}

const keysText = (schema: KeySchemaElement[] | undefined) =>
  (schema ?? []).map((k) => `${k.AttributeName} ${k.KeyType}`).join(', ') || '(none)';
const projectionText = (p: Projection | undefined) =>
  `${p?.ProjectionType ?? 'ALL'}${p?.NonKeyAttributes?.length ? ` (${[...p.NonKeyAttributes].sort().join(', ')})` : ''}`;

/** Every difference in keys, indexes and projections between an existing table and a definition. */
export function compareTable(existing: TableDescription, definition: TableDefinition): { differences: string[]; missingIndexes: string[] } {
  const differences: string[] = [];
  const missingIndexes: string[] = [];
  const wanted = definition.input;
  if (keysText(existing.KeySchema) !== keysText(wanted.KeySchema)) {
    differences.push(`primary key is ${keysText(existing.KeySchema)}, the definition has ${keysText(wanted.KeySchema)}`);
  }
  const have = new Map<string, GlobalSecondaryIndexDescription>((existing.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName ?? '', g]));
  for (const gsi of wanted.GlobalSecondaryIndexes ?? []) {
    const name = gsi.IndexName ?? '';
    const found = have.get(name);
    have.delete(name);
    if (!found) {
      missingIndexes.push(name);
      differences.push(`index ${name} is missing (the definition has it with keys ${keysText(gsi.KeySchema)})`);
      continue;
    }
    if (keysText(found.KeySchema) !== keysText(gsi.KeySchema)) differences.push(`index ${name} has keys ${keysText(found.KeySchema)}, the definition has ${keysText(gsi.KeySchema)}`);
    if (projectionText(found.Projection) !== projectionText(gsi.Projection)) differences.push(`index ${name} projects ${projectionText(found.Projection)}, the definition ${projectionText(gsi.Projection)}`);
  }
  for (const name of have.keys()) differences.push(`index ${name} exists on the table but not in the definition`);
  const types = new Map((existing.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]));
  for (const attribute of wanted.AttributeDefinitions ?? []) {
    const type = types.get(attribute.AttributeName);
    if (type !== undefined && type !== attribute.AttributeType) differences.push(`key attribute ${attribute.AttributeName} has type ${type}, the definition ${attribute.AttributeType}`);
  }
  return { differences, missingIndexes };
}

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
 * safe to call on every start-up and from concurrent processes. An existing table whose keys,
 * indexes or projections differ from the definition is refused with TableMismatchError naming
 * each difference (missing GSIs are added instead when `addMissingIndexes` is set).
 */
export async function ensureTable(client: DynamoDBClient, definition: TableDefinition, options: EnsureTableOptions = {}): Promise<TableDescription> {
  const tableName = definition.input.TableName;
  if (!(await describe(client, tableName))) {
    try {
      await client.send(new CreateTableCommand(definition.input));
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  await waitUntilTableExists({ client, ...WAIT }, { TableName: tableName });
  const existing = (await describe(client, tableName)) as TableDescription;
  const { differences, missingIndexes } = compareTable(existing, definition);
  if (differences.length > 0) {
    if (!options.addMissingIndexes || differences.length !== missingIndexes.length) throw new TableMismatchError(tableName, differences);
    for (const name of missingIndexes) await addIndex(client, definition, name);
  }
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

async function addIndex(client: DynamoDBClient, definition: TableDefinition, name: string): Promise<void> {
  const gsi = (definition.input.GlobalSecondaryIndexes ?? []).find((g) => g.IndexName === name);
  if (!gsi?.KeySchema) return;
  const keyNames = new Set(gsi.KeySchema.map((k) => k.AttributeName));
  await client.send(
    new UpdateTableCommand({
      TableName: definition.input.TableName,
      AttributeDefinitions: (definition.input.AttributeDefinitions ?? []).filter((a) => keyNames.has(a.AttributeName)),
      GlobalSecondaryIndexUpdates: [{ Create: { IndexName: name, KeySchema: gsi.KeySchema, Projection: gsi.Projection, ...(gsi.ProvisionedThroughput ? { ProvisionedThroughput: gsi.ProvisionedThroughput } : {}) } }],
    }),
  );
  // The index backfills before it can serve queries.
  for (let waited = 0; waited < WAIT.maxWaitTime * 1000; waited += 500) {
    const status = (await describe(client, definition.input.TableName))?.GlobalSecondaryIndexes?.find((g) => g.IndexName === name)?.IndexStatus;
    if (status === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`index ${name} of ${definition.input.TableName} did not become ACTIVE in ${WAIT.maxWaitTime} s`);
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
