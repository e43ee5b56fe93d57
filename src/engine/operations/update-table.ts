/**
 * UpdateTable: billing mode and throughput, streams, deletion protection, and
 * GlobalSecondaryIndexUpdates (one index Create or Delete per request and at a time, as DynamoDB).
 * A new index is filled from the table at once; with the engine's indexBackfillMs it reports
 * CREATING with Backfilling true (and refuses reads) until that much engine clock has passed.
 */
import type { EngineCore } from '../engine';
import { EngineError, validation } from '../errors';
import type { AttributeDefinition, KeySchemaElement } from '../types';
import { ATTRIBUTE_DEFINITIONS, buildIndex, checkIndexDefinition, GSI_SPEC, THROUGHPUT } from './create-table';
import { describeTable } from './describe';
import { enableStream, STREAM_SPEC } from './streams-spec';
import { TABLE_NAME, validateRequest, type FieldSpec } from './validator';

const SCHEMA: Record<string, FieldSpec | string> = {
  TableName: { ...TABLE_NAME, required: true, tableName: true },
  AttributeDefinitions: { type: ATTRIBUTE_DEFINITIONS.type, children: ATTRIBUTE_DEFINITIONS.children },
  BillingMode: { type: 'String', enum: ['PROVISIONED', 'PAY_PER_REQUEST'] },
  ProvisionedThroughput: THROUGHPUT,
  StreamSpecification: STREAM_SPEC,
  DeletionProtectionEnabled: 'Boolean',
  TableClass: { type: 'String', enum: ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'] },
  SSESpecification: { type: 'FieldStruct<SSESpecification>', children: { Enabled: 'Boolean', SSEType: 'String', KMSMasterKeyId: 'String' } },
  GlobalSecondaryIndexUpdates: {
    type: 'List',
    children: {
      type: 'ValueStruct<GlobalSecondaryIndexUpdate>',
      children: {
        Update: {
          type: 'FieldStruct<UpdateGlobalSecondaryIndexAction>',
          children: {
            IndexName: { type: 'String', notNull: true, regex: '[a-zA-Z0-9_.-]+', lengthGreaterThanOrEqual: 3, lengthLessThanOrEqual: 255 },
            ProvisionedThroughput: { ...THROUGHPUT },
          },
        },
        Create: { ...GSI_SPEC, type: 'FieldStruct<CreateGlobalSecondaryIndexAction>' },
        Delete: {
          type: 'FieldStruct<DeleteGlobalSecondaryIndexAction>',
          children: { IndexName: { type: 'String', notNull: true, regex: '[a-zA-Z0-9_.-]+', lengthGreaterThanOrEqual: 3, lengthLessThanOrEqual: 255 } },
        },
      },
    },
  },
};

interface IndexUpdate {
  Update?: { IndexName: string; ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number } };
  Create?: { IndexName: string; KeySchema: KeySchemaElement[]; Projection: { ProjectionType?: string; NonKeyAttributes?: string[] }; ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number } };
  Delete?: { IndexName: string };
}

export function updateTable(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, SCHEMA);
  const updates = (data.GlobalSecondaryIndexUpdates as IndexUpdate[] | undefined) ?? [];
  const pt = data.ProvisionedThroughput as { ReadCapacityUnits: number; WriteCapacityUnits: number } | undefined;
  const stream = data.StreamSpecification as { StreamEnabled: boolean; StreamViewType?: string } | undefined;
  if (
    !pt &&
    !data.BillingMode &&
    !stream &&
    !updates.length &&
    !data.SSESpecification &&
    data.DeletionProtectionEnabled === undefined &&
    !data.TableClass
  ) {
    throw validation('At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required');
  }
  if (data.BillingMode === 'PROVISIONED' && !pt) throw validation('One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
  if (pt) {
    if (pt.ReadCapacityUnits > 1e12) throw validation('Given value ' + pt.ReadCapacityUnits + ' for ReadCapacityUnits is out of bounds');
    if (pt.WriteCapacityUnits > 1e12) throw validation('Given value ' + pt.WriteCapacityUnits + ' for WriteCapacityUnits is out of bounds');
  }
  const seen = new Set<string>();
  for (const u of updates) {
    if (!u.Update && !u.Create && !u.Delete) {
      throw validation('One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null');
    }
    const n = (u.Update ?? u.Create ?? u.Delete)?.IndexName as string;
    if (seen.has(n)) throw validation('One or more parameter values were invalid: Only one global secondary index update per index is allowed simultaneously. Index: ' + n);
    seen.add(n);
  }
  const name = data.TableName as string;
  const t = core.findTable(name);
  if (!t) throw new EngineError('ResourceNotFoundException', 'Requested resource not found: Table: ' + name + ' not found');
  if (t.status !== 'ACTIVE') throw new EngineError('ResourceInUseException', 'Attempt to change a resource which is still in use: Table is being ' + (t.status === 'CREATING' ? 'created' : t.status === 'DELETING' ? 'deleted' : 'updated') + ': ' + name);

  const structural = updates.filter((u) => u.Create || u.Delete);
  if (structural.length > 1 || (structural.length === 1 && t.indexes.some((i) => i.status === 'CREATING' || i.status === 'DELETING'))) {
    throw new EngineError('LimitExceededException', 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table');
  }
  const billing = (data.BillingMode as string | undefined) ?? t.billingMode;
  if (billing === 'PAY_PER_REQUEST' && pt) {
    throw validation('One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  }
  // Check everything before changing anything: a refused request changes nothing.
  const defs: AttributeDefinition[] = [...t.attributeDefinitions];
  for (const d of (data.AttributeDefinitions as AttributeDefinition[] | undefined) ?? []) {
    const old = defs.find((x) => x.AttributeName === d.AttributeName);
    if (old && old.AttributeType !== d.AttributeType) {
      throw validation('One or more parameter values were invalid: Cannot update attribute ' + d.AttributeName + '. This attribute is part of the key');
    }
    if (!old) defs.push({ AttributeName: d.AttributeName, AttributeType: d.AttributeType });
  }
  for (const u of updates) {
    if (u.Create) {
      if (!data.AttributeDefinitions) throw validation('One or more parameter values were invalid: AttributeDefinitions must be provided when creating a global secondary index');
      if (t.index(u.Create.IndexName)) throw validation('One or more parameter values were invalid: Index already exists: ' + u.Create.IndexName);
      if (t.indexes.filter((i) => i.global).length >= 20) throw new EngineError('LimitExceededException', 'Subscriber limit exceeded: The number of global secondary indexes exceeds the limit of 20');
      checkIndexDefinition(u.Create, defs.map((d) => d.AttributeName), billing, true, t.hash.name, new Set());
    } else if (u.Delete) {
      const i = t.index(u.Delete.IndexName);
      if (!i || !i.global) throw new EngineError('ResourceNotFoundException', 'Requested resource not found: Index: ' + u.Delete.IndexName + ' not found');
    } else if (u.Update) {
      const i = t.index(u.Update.IndexName);
      if (!i || !i.global) throw new EngineError('ResourceNotFoundException', 'Requested resource not found: Index: ' + u.Update.IndexName + ' not found');
      if (billing === 'PAY_PER_REQUEST' && u.Update.ProvisionedThroughput) {
        throw validation('One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: ' + u.Update.IndexName + ' when BillingMode is PAY_PER_REQUEST');
      }
    }
  }
  if (stream) {
    if (stream.StreamEnabled && !stream.StreamViewType) throw validation('One or more parameter values were invalid: StreamViewType is required when StreamEnabled is true');
    if (stream.StreamEnabled && t.stream.enabled) throw validation('Table already has an enabled stream: TableName: ' + name);
    if (!stream.StreamEnabled && !t.stream.enabled) throw validation('Table does not have a stream enabled: TableName: ' + name);
  }
  if (billing === 'PROVISIONED' && t.billingMode === 'PAY_PER_REQUEST' && !pt) {
    throw validation('One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
  }

  const now = core.now();
  if (data.BillingMode === 'PAY_PER_REQUEST' && t.billingMode !== 'PAY_PER_REQUEST') {
    t.billingMode = 'PAY_PER_REQUEST';
    t.lastPayPerRequestAt = now;
    t.throughput = { ReadCapacityUnits: 0, WriteCapacityUnits: 0, NumberOfDecreasesToday: 0 };
  } else if (data.BillingMode === 'PROVISIONED') t.billingMode = 'PROVISIONED';
  if (pt) {
    const old = t.throughput;
    if (pt.ReadCapacityUnits > old.ReadCapacityUnits || pt.WriteCapacityUnits > old.WriteCapacityUnits) old.LastIncreaseDateTime = now / 1000;
    if (pt.ReadCapacityUnits < old.ReadCapacityUnits || pt.WriteCapacityUnits < old.WriteCapacityUnits) {
      old.LastDecreaseDateTime = now / 1000;
      old.NumberOfDecreasesToday++;
    }
    old.ReadCapacityUnits = pt.ReadCapacityUnits;
    old.WriteCapacityUnits = pt.WriteCapacityUnits;
  }
  if (data.DeletionProtectionEnabled !== undefined) t.deletionProtection = data.DeletionProtectionEnabled as boolean;
  if (stream) {
    if (stream.StreamEnabled) enableStream(core, t, stream.StreamViewType as string);
    else t.stream = { ...t.stream, enabled: false };
  }
  t.attributeDefinitions = defs;
  const delay = core.options.indexBackfillMs ?? 0;
  for (const u of updates) {
    if (u.Create) {
      const idx = buildIndex(core, name, defs, u.Create, true, now);
      // Fill from the table now; reads wait for ACTIVE.
      for (const p of t.store.partitions.values()) {
        for (const e of p.entries) {
          const entry = t.indexEntry(idx, JSON.parse(e.json) as never);
          if (entry) idx.store.put(entry.id, t.partitionMaker(idx.hash, entry.hashValue), entry.entry);
        }
      }
      if (delay > 0) {
        idx.status = 'CREATING';
        idx.backfilling = true;
        idx.activeAt = now + delay;
        t.status = 'UPDATING';
      }
      t.indexes.push(idx);
    } else if (u.Delete) {
      t.indexes = t.indexes.filter((i) => i.name !== u.Delete?.IndexName);
    } else if (u.Update?.ProvisionedThroughput) {
      const i = t.index(u.Update.IndexName);
      if (i) i.throughput = { ...u.Update.ProvisionedThroughput, NumberOfDecreasesToday: i.throughput?.NumberOfDecreasesToday ?? 0 };
    }
  }
  // Definitions no key uses any more are dropped, as DynamoDB does.
  const used = new Set([...t.keyNames, ...t.indexes.flatMap((i) => i.keySchema.map((k) => k.AttributeName))]);
  t.attributeDefinitions = t.attributeDefinitions.filter((d) => used.has(d.AttributeName));
  // DynamoDB answers UpdateTable with UPDATING (API_UpdateTable); DescribeTable then follows the engine's delays.
  const desc = describeTable(core, t);
  desc.TableStatus = 'UPDATING';
  return { TableDescription: desc };
}
