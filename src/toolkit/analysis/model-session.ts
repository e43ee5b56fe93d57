import { partiqlKeySchemaOf } from '../partiql/analyze-statement';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { tableLayoutOf } from '../capacity/table-layout';
import { localClientConfig } from '../local/client-config';
import { embeddedClientConfig } from '../local/embedded-dynamo';
import { createEngine, type Engine } from '../../engine';
import type { Catalog } from '../catalog/types';
import { modelTable, type Model } from '../model/define-model';
import { RequestRecorder, type RecorderOptions } from '../recorder/request-recorder';
import { dropTable, ensureTable } from '../table/table-lifecycle';
import type { TableDefinition } from '../table/derive-table-definition';

/** A model on a fresh table: its client, services and a recorder on every request. */
/**
 * Every item of a table (a Scan, page by page): for offline analysis and reports, never an access
 * pattern.
 */
export async function scanItems(client: DynamoDBClient, tableName: string): Promise<Record<string, unknown>[]> {
  const doc = DynamoDBDocumentClient.from(client);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

export interface ModelSession<Services> {
  endpoint: string;
  client: DynamoDBClient;
  tableName: string;
  definition: TableDefinition;
  services: Services;
  recorder: RequestRecorder;
  /** Drops the table (unless kept), closes the client and closes an embedded engine it made. */
  close(): Promise<void>;
}

export interface ModelSessionOptions {
  /** DynamoDB endpoint; default DYNAMODB_ENDPOINT, else the embedded engine in this process. */
  endpoint?: string;
  /** Default: a unique name from the model's. */
  tableName?: string;
  /** Leave the table in place on close(). */
  keepTable?: boolean;
  /**
   * Compute every recorded request's units by DynamoDB's rules (side reads measure the stored
   * items; see RecorderOptions.measureUnits). Reports turn it on; a demo need not.
   */
  measureUnits?: boolean;
}

/** The recorder settings that fit a table: its partition-key attributes and primary key. */
export function recorderOptionsFor(definition: TableDefinition): Pick<RecorderOptions, 'isPartitionField' | 'tableKeyFields' | 'partiqlKeys'> {
  const hash = (schema: { AttributeName?: string; KeyType?: string }[] | undefined) => schema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const partitionFields = new Set([hash(definition.input.KeySchema), ...(definition.input.GlobalSecondaryIndexes ?? []).map((g) => hash(g.KeySchema))].filter((f): f is string => Boolean(f)));
  return {
    isPartitionField: (name) => partitionFields.has(name),
    tableKeyFields: (definition.input.KeySchema ?? []).map((k) => k.AttributeName ?? ''),
    partiqlKeys: partiqlKeySchemaOf(definition),
  };
}

/** Each index's partition-key attribute, `table` for the base table. */
export function indexKeyFields(definition: TableDefinition): { index: string; partitionKey: string }[] {
  const hash = (schema: { AttributeName?: string; KeyType?: string }[] | undefined) => schema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
  return [
    { index: 'table', partitionKey: hash(definition.input.KeySchema) },
    ...(definition.input.GlobalSecondaryIndexes ?? []).map((g) => ({ index: g.IndexName ?? '', partitionKey: hash(g.KeySchema) })),
  ];
}

const safeName = (name: string) => name.replace(/[^a-zA-Z0-9_.-]+/g, '-').slice(0, 80) || 'model';

/** Opens a session: DynamoDB (embedded unless an endpoint is given), the model's table, its services. */
export async function openModelSession<C extends Catalog, Services, Seed>(model: Model<C, Services, Seed>, options: ModelSessionOptions = {}): Promise<ModelSession<Services>> {
  // Without an endpoint, the embedded engine runs in this process: no socket, gone with the session.
  const endpoint = options.endpoint ?? process.env.DYNAMODB_ENDPOINT;
  const engine: Engine | undefined = endpoint ? undefined : createEngine();
  const client = new DynamoDBClient(engine ? embeddedClientConfig(engine) : localClientConfig(endpoint as string));
  const tableName = options.tableName ?? `${safeName(model.name)}-${randomUUID().slice(0, 8)}`;
  const definition = modelTable(model, tableName);
  try {
    await ensureTable(client, definition);
  } catch (error) {
    client.destroy();
    await engine?.close();
    throw error;
  }
  const recorder = RequestRecorder.attach(client, { ...recorderOptionsFor(definition), ...(options.measureUnits ? { measureUnits: tableLayoutOf(definition) } : {}) });
  const services = model.services({ client, tableName });
  return {
    endpoint: endpoint ?? 'the embedded engine (in process)',
    client,
    tableName,
    definition,
    services,
    recorder,
    async close() {
      recorder.detach();
      if (!options.keepTable) await dropTable(client, tableName).catch(() => undefined);
      client.destroy();
      await engine?.close();
    },
  };
}
