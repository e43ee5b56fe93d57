/** TableDescription as DescribeTable/CreateTable/UpdateTable/DeleteTable return it. */
import type { EngineCore } from '../engine';
import type { IndexState, TableState, ThroughputState } from '../storage/table';

function throughput(t: ThroughputState | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {
    NumberOfDecreasesToday: t?.NumberOfDecreasesToday ?? 0,
    ReadCapacityUnits: t?.ReadCapacityUnits ?? 0,
    WriteCapacityUnits: t?.WriteCapacityUnits ?? 0,
  };
  if (t?.LastIncreaseDateTime !== undefined) out.LastIncreaseDateTime = t.LastIncreaseDateTime;
  if (t?.LastDecreaseDateTime !== undefined) out.LastDecreaseDateTime = t.LastDecreaseDateTime;
  return out;
}

function projection(i: IndexState): Record<string, unknown> {
  return i.projection.NonKeyAttributes ? { ProjectionType: i.projection.ProjectionType, NonKeyAttributes: [...i.projection.NonKeyAttributes] } : { ProjectionType: i.projection.ProjectionType };
}

export function describeTable(core: EngineCore, t: TableState): Record<string, unknown> {
  const d: Record<string, unknown> = {
    AttributeDefinitions: t.attributeDefinitions.map((a) => ({ ...a })),
    TableName: t.name,
    KeySchema: t.keySchema.map((k) => ({ ...k })),
    TableStatus: t.status,
    CreationDateTime: t.createdAt / 1000,
    ProvisionedThroughput: throughput(t.billingMode === 'PAY_PER_REQUEST' ? undefined : t.throughput),
    TableSizeBytes: t.store.bytes,
    ItemCount: t.store.itemCount,
    TableArn: t.arn,
    TableId: t.id,
  };
  if (t.billingMode === 'PAY_PER_REQUEST') {
    d.BillingModeSummary = { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: (t.lastPayPerRequestAt ?? t.createdAt) / 1000 };
    d.TableThroughputModeSummary = { TableThroughputMode: 'PAY_PER_REQUEST' };
  } else if (t.lastPayPerRequestAt !== undefined) {
    // A table switched back to PROVISIONED keeps its summary (API_BillingModeSummary).
    d.BillingModeSummary = { BillingMode: 'PROVISIONED', LastUpdateToPayPerRequestDateTime: t.lastPayPerRequestAt / 1000 };
    d.TableThroughputModeSummary = { TableThroughputMode: 'PROVISIONED' };
  }
  const lsis = t.indexes.filter((i) => !i.global);
  const gsis = t.indexes.filter((i) => i.global);
  if (lsis.length) {
    d.LocalSecondaryIndexes = lsis.map((i) => ({
      IndexName: i.name,
      KeySchema: i.keySchema.map((k) => ({ ...k })),
      Projection: projection(i),
      IndexSizeBytes: i.store.bytes,
      ItemCount: i.store.itemCount,
      IndexArn: i.arn,
    }));
  }
  if (gsis.length) {
    d.GlobalSecondaryIndexes = gsis.map((i) => {
      const g: Record<string, unknown> = {
        IndexName: i.name,
        KeySchema: i.keySchema.map((k) => ({ ...k })),
        Projection: projection(i),
        IndexStatus: i.status,
      };
      if (i.status === 'CREATING') g.Backfilling = i.backfilling;
      g.ProvisionedThroughput = throughput(t.billingMode === 'PAY_PER_REQUEST' ? undefined : i.throughput);
      g.IndexSizeBytes = i.store.bytes;
      g.ItemCount = i.store.itemCount;
      g.IndexArn = i.arn;
      return g;
    });
  }
  if (t.stream.enabled) {
    d.StreamSpecification = { StreamEnabled: true, StreamViewType: t.stream.viewType };
  }
  if (t.stream.label) {
    d.LatestStreamLabel = t.stream.label;
    d.LatestStreamArn = t.stream.arn;
  }
  d.DeletionProtectionEnabled = t.deletionProtection;
  void core;
  return d;
}
