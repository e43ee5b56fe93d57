import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { DescribeTableCommand, UpdateTableCommand, UpdateTimeToLiveCommand, type DynamoDBClient, type AttributeDefinition } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, ScanCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { backoffDelay, sleep } from '../batch/backoff';
import { itemSize } from '../capacity/item-size';
import type { Catalog } from '../catalog/types';
import { writeUnits } from '../cost/unit-rules';
import { modelTable, type Model } from '../model/define-model';
import { classifyError } from '../requests/classify-error';
import { CapacityBudget } from './capacity-budget';
import { MigrationInputError } from './diff';
import { planMigration, type MigrationPlan, type MigrationStep } from './plan';
import { snapshotModel, stableJson, type ModelSnapshot } from './snapshot';
import { ItemUpgrader, type Item, type UpgradeOptions } from './upgrade-item';

export interface RunOptions extends UpgradeOptions {
  /** Parallel Scan segments, one worker each. Default 4. */
  segments?: number;
  /** Where the per-segment checkpoint is kept (JSON, replaced atomically after every page). Required: a run must be resumable. */
  checkpointFile: string;
  /** Write units per second the run may consume (ConsumedCapacity), all workers together. */
  maxWriteUnits?: number;
  /** Read units per second the run's scans and re-reads may consume. */
  maxReadUnits?: number;
  /** Items per Scan page (the checkpoint advances per page). Default 100. */
  pageSize?: number;
  /** Attempts per item (conflicts, throttling) before it is reported as failed. Default 20. */
  maxAttempts?: number;
  /** Called after every page: items scanned so far (this run and the ones it resumes). */
  onProgress?: (progress: { scanned: number; rewritten: number; failed: number }) => void;
  /**
   * After the rewrite, run every catalog pattern's runner once against the migrated table. The
   * runners need the model's seed, so this first seeds `size` units of new data INTO the table:
   * for a rehearsal copy or a test table, not production. Off by default.
   */
  verifyPatterns?: { size: number };
  /** Called with the units every response consumed (for a caller's own meter). */
  onConsumed?: (units: number, kind: 'read' | 'write') => void;
  /** Seconds to wait for an index to become ACTIVE. Default 600. */
  indexWaitSeconds?: number;
}

export interface MigrationFailure {
  key: Item;
  entity: string | undefined;
  reason: string;
}

export interface Counts {
  byEntity: Record<string, number>;
  byIndex: Record<string, number>;
}

export interface MigrationReport {
  tableName: string;
  steps: { step: MigrationStep; status: 'done' | 'done before (resumed)' }[];
  segments: number;
  resumed: boolean;
  scanned: number;
  rewritten: number;
  moved: number;
  unchanged: number;
  /** Rewrites whose condition failed (the item changed after it was read): re-read and retried. */
  conflictsRetried: number;
  throttledRetried: number;
  failures: MigrationFailure[];
  consumed: { readUnits: number; writeUnits: number };
  durationMs: number;
  verification: { before: Counts; after: Counts; stillToRewrite: number; ok: boolean; problems: string[]; patterns?: { pattern: string; ok: boolean; error?: string }[] };
}

interface Checkpoint {
  format: 'single-table-kit/migration-checkpoint@1';
  /** Hash of the two layouts and the table: a checkpoint of another migration is refused. */
  migration: string;
  tableName: string;
  steps: { step: MigrationStep; done: boolean }[];
  segments: { total: number; positions: { lastKey: Item | null; done: boolean; scanned: number; rewritten: number; moved: number; unchanged: number }[] } | null;
  before: Counts | null;
}

function saveCheckpoint(file: string, checkpoint: Checkpoint): void {
  // Write then rename: a kill leaves the old checkpoint or the new one, never half of one.
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(checkpoint));
  renameSync(tmp, file);
}

/** Moves per transaction (two actions each; DynamoDB allows 100 actions and 4 MB in one). */
const MOVES_PER_TRANSACTION = 25;
/** Bytes of items per transaction, under DynamoDB's 4 MB with room for expressions and names. */
const TRANSACTION_BYTES = 3 * 1024 * 1024;

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);
const bytes = (item: Item) => itemSize(marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true }));

/**
 * The condition that an item is exactly as it was read: every stored attribute equal, and every
 * attribute either layout declares but the item lacked still absent (so an attribute the
 * application adds meanwhile also fails it).
 */
export function unchangedCondition(item: Item, declared: readonly string[]): { ConditionExpression: string; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues: Record<string, unknown> } {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const parts: string[] = [];
  let n = 0;
  for (const [field, value] of Object.entries(item)) {
    names[`#c${n}`] = field;
    values[`:c${n}`] = value;
    parts.push(`#c${n} = :c${n}`);
    n += 1;
  }
  for (const field of declared) {
    if (item[field] !== undefined) continue;
    names[`#c${n}`] = field;
    parts.push(`attribute_not_exists(#c${n})`);
    n += 1;
  }
  return { ConditionExpression: parts.join(' AND '), ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

const consumedOf = (out: { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }): number | undefined => {
  const c = out.ConsumedCapacity;
  if (c === undefined) return undefined;
  return (Array.isArray(c) ? c : [c]).reduce((a, x) => a + (x.CapacityUnits ?? 0), 0);
};

/** Every entity's items and every index's entries (Scans with Select COUNT). */
export async function countTable(client: DynamoDBClient, tableName: string, readBudget?: CapacityBudget, onUnits?: (units: number) => void): Promise<Counts> {
  const doc = DynamoDBDocumentClient.from(client);
  const described = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  const byEntity: Record<string, number> = {};
  const byIndex: Record<string, number> = {};
  for (const index of ['table', ...(described?.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName ?? '')]) {
    let start: Item | undefined;
    let count = 0;
    do {
      await readBudget?.take();
      const out = await doc.send(
        new ScanCommand({
          TableName: tableName,
          ...(index === 'table' ? { ProjectionExpression: '#e', ExpressionAttributeNames: { '#e': '__edb_e__' } } : { IndexName: index, Select: 'COUNT' }),
          ExclusiveStartKey: start,
          ReturnConsumedCapacity: 'TOTAL',
        }),
      );
      readBudget?.charge(consumedOf(out) ?? 0);
      onUnits?.(consumedOf(out) ?? 0);
      count += out.Count ?? 0;
      if (index === 'table') for (const item of out.Items ?? []) byEntity[String(item.__edb_e__ ?? '(other)')] = (byEntity[String(item.__edb_e__ ?? '(other)')] ?? 0) + 1;
      start = out.LastEvaluatedKey as Item | undefined;
    } while (start);
    byIndex[index] = count;
  }
  return { byEntity, byIndex };
}

async function waitForTable(client: DynamoDBClient, tableName: string, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (let attempt = 0; ; attempt += 1) {
    const t = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    const busy = t?.TableStatus !== 'ACTIVE' || (t.GlobalSecondaryIndexes ?? []).some((g) => g.IndexStatus !== 'ACTIVE');
    if (!busy) return;
    if (Date.now() > deadline) throw new Error(`table ${tableName} was not ACTIVE after ${seconds} s`);
    await sleep(Math.min(5000, 100 * 2 ** attempt));
  }
}

/** Runs one index, TTL or stream step (UpdateTable allows one GSI change per call) and waits for it. */
async function runTableStep(client: DynamoDBClient, tableName: string, step: MigrationStep, model: Model<Catalog, unknown, unknown>, waitSeconds: number): Promise<void> {
  const described = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  const has = (name: string) => (described?.GlobalSecondaryIndexes ?? []).some((g) => g.IndexName === name);
  if (step.kind === 'create-index') {
    if (has(step.index)) return waitForTable(client, tableName, waitSeconds);
    const definition = modelTable(model, tableName).input;
    const gsi = (definition.GlobalSecondaryIndexes ?? []).find((g) => g.IndexName === step.index);
    if (!gsi) throw new Error(`the model has no index ${step.index}`);
    const fields = new Set((gsi.KeySchema ?? []).map((k) => k.AttributeName));
    const attributes: AttributeDefinition[] = (definition.AttributeDefinitions ?? []).filter((a) => fields.has(a.AttributeName));
    await client.send(new UpdateTableCommand({ TableName: tableName, AttributeDefinitions: attributes, GlobalSecondaryIndexUpdates: [{ Create: gsi }] }));
  } else if (step.kind === 'delete-index') {
    if (!has(step.index)) return;
    await client.send(new UpdateTableCommand({ TableName: tableName, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: step.index } }] }));
  } else if (step.kind === 'update-ttl') {
    const attribute = step.attribute ?? (await import('@aws-sdk/client-dynamodb').then(async (m) => (await client.send(new m.DescribeTimeToLiveCommand({ TableName: tableName }))).TimeToLiveDescription?.AttributeName));
    if (attribute) await client.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: attribute, Enabled: step.attribute !== undefined } }));
  } else if (step.kind === 'update-stream') {
    if (described?.StreamSpecification?.StreamEnabled) await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }));
    if (step.view !== false) {
      await waitForTable(client, tableName, waitSeconds);
      await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: true, StreamViewType: step.view as 'NEW_AND_OLD_IMAGES' } }));
    }
  }
  await waitForTable(client, tableName, waitSeconds);
}

/**
 * Migrates a table from a snapshot's layout to a model's: the plan's steps in order, the rewrite
 * as a parallel Scan (one worker per segment) in which every item is rewritten conditioned on
 * being unchanged since it was read (re-read and retried when the application wrote it), a key
 * change as one transaction (put the new item, delete the old). A checkpoint file records each
 * step and each segment's position after every page, so a run killed at any point resumes where
 * it stopped; rewrites are idempotent, so a page done twice changes nothing. Capacity is held to
 * --max-wcu / --max-rcu by ConsumedCapacity; throttling backs off. Items that cannot be migrated
 * are reported with their key and why. Ends with counts per entity and index before and after and
 * a re-scan that must find nothing left to rewrite. Only DynamoDB API calls: works on AWS.
 */
export async function runMigration<C extends Catalog, S, D>(
  client: DynamoDBClient,
  tableName: string,
  from: ModelSnapshot,
  model: Model<C, S, D>,
  options: RunOptions,
): Promise<MigrationReport> {
  const started = Date.now();
  const anyModel = model as unknown as Model<Catalog, unknown, unknown>;
  const to = snapshotModel(model, tableName);
  const migration = hashOf(stableJson({ from: { ...from, table: { ...from.table, name: '' } }, to: { ...to, table: { ...to.table, name: '' } }, tableName, renames: options.renames ?? {} }));
  const segments = options.segments ?? 4;
  if (!Number.isInteger(segments) || segments < 1 || segments > 1000) throw new MigrationInputError(`segments must be a whole number from 1 to 1000, got ${segments}`);
  let checkpoint: Checkpoint | undefined;
  if (existsSync(options.checkpointFile)) {
    let parsed: Checkpoint;
    try {
      parsed = JSON.parse(readFileSync(options.checkpointFile, 'utf8')) as Checkpoint;
    } catch (error) {
      throw new MigrationInputError(`checkpoint ${options.checkpointFile}: not JSON (${(error as Error).message})`);
    }
    if (parsed.format !== 'single-table-kit/migration-checkpoint@1' || parsed.migration !== migration || parsed.tableName !== tableName) {
      throw new MigrationInputError(`checkpoint ${options.checkpointFile} is of another migration or table: remove it to start over`);
    }
    if (parsed.segments && parsed.segments.total !== segments) throw new MigrationInputError(`checkpoint ${options.checkpointFile} was made with ${parsed.segments.total} segments, not ${segments}: resume with --segments ${parsed.segments.total}`);
    checkpoint = parsed;
  }
  const resumed = checkpoint !== undefined;
  const consumed = { readUnits: 0, writeUnits: 0 };
  const countReads = (units: number) => {
    consumed.readUnits += units;
    options.onConsumed?.(units, 'read');
  };
  const readBudget = options.maxReadUnits ? new CapacityBudget(options.maxReadUnits) : undefined;
  const writeBudget = options.maxWriteUnits ? new CapacityBudget(options.maxWriteUnits) : undefined;
  if (!checkpoint) {
    const plan: MigrationPlan = await planMigration(client, tableName, from, model, { ...options, survey: false });
    checkpoint = { format: 'single-table-kit/migration-checkpoint@1', migration, tableName, steps: plan.steps.map((step) => ({ step, done: false })), segments: null, before: null };
    checkpoint.before = await countTable(client, tableName, readBudget, countReads);
    saveCheckpoint(options.checkpointFile, checkpoint);
  }
  const cp = checkpoint;
  const upgrader = new ItemUpgrader(from, anyModel, tableName, options);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true } });
  const failures: MigrationFailure[] = [];
  let conflictsRetried = 0;
  let throttledRetried = 0;
  const maxAttempts = options.maxAttempts ?? 20;
  const stepReport: MigrationReport['steps'] = [];

  /** Sends within the budget, with throttling backoff; throws when attempts run out. */
  async function send<T>(kind: 'read' | 'write', estimate: number, fn: () => Promise<T & { ConsumedCapacity?: unknown }>): Promise<T> {
    const budget = kind === 'write' ? writeBudget : readBudget;
    for (let attempt = 0; ; attempt += 1) {
      await budget?.take(estimate);
      let out: T & { ConsumedCapacity?: unknown };
      try {
        out = await fn();
      } catch (error) {
        const cls = classifyError(error);
        // Throttled or unavailable: nothing was consumed. Any other failure (a failed condition) is charged as estimated, as DynamoDB charges it.
        budget?.charge(cls === 'throttled' || cls === 'unavailable' ? 0 : estimate, estimate);
        if ((cls === 'throttled' || cls === 'unavailable') && attempt + 1 < maxAttempts) {
          throttledRetried += 1;
          await sleep(backoffDelay(attempt));
          continue;
        }
        throw error;
      }
      const units = consumedOf(out as { ConsumedCapacity?: { CapacityUnits?: number } }) ?? estimate;
      budget?.charge(units, estimate);
      options.onConsumed?.(units, kind);
      if (kind === 'write') consumed.writeUnits += units;
      else consumed.readUnits += units;
      return out;
    }
  }

  const key0 = (item: Item) => upgrader.keyOf(item);
  type Position = NonNullable<Checkpoint['segments']>['positions'][number];
  type Move = Extract<ReturnType<ItemUpgrader['upgrade']>, { kind: 'move' }>;
  /** A primary-key move's two actions: put the new item where no item is, delete the old one if it is unchanged since read. */
  const moveActions = (item: Item, u: Move) => {
    const condition = unchangedCondition(item, upgrader.declaredFields(u.entity));
    return [
      { Put: { TableName: tableName, Item: u.after, ConditionExpression: 'attribute_not_exists(#pk)', ExpressionAttributeNames: { '#pk': upgrader.primary.pk } } },
      { Delete: { TableName: tableName, Key: upgrader.keyOf(item), ConditionExpression: condition.ConditionExpression, ExpressionAttributeNames: condition.ExpressionAttributeNames, ExpressionAttributeValues: Object.keys(condition.ExpressionAttributeValues).length ? condition.ExpressionAttributeValues : undefined } },
    ];
  };
  const moveUnits = (item: Item, u: Move) => 2 * (writeUnits(bytes(u.after)) + writeUnits(bytes(item)));

  /**
   * Several moves in one transaction: one request instead of one per item (what a run spends its
   * time on), each move keeping its own conditions, all or nothing. When it is cancelled (one item
   * changed, or a new key is taken) or refused, nothing was written: each item is then migrated on
   * its own, which re-reads the changed one and names the failed one. Transactions cost the same
   * per item whether they hold one move or many.
   */
  async function moveTogether(moves: { item: Item; u: Move; units: number }[], counters: Position): Promise<void> {
    if (moves.length === 1) return migrateItem((moves[0] as { item: Item }).item, counters);
    try {
      await send('write', moves.reduce((a, m) => a + m.units, 0), () => doc.send(new TransactWriteCommand({ TransactItems: moves.flatMap((m) => moveActions(m.item, m.u)), ReturnConsumedCapacity: 'TOTAL' })));
    } catch {
      for (const m of moves) await migrateItem(m.item, counters);
      return;
    }
    counters.rewritten += moves.length;
    counters.moved += moves.length;
  }

  /** One page: same-key rewrites one by one, moves gathered into transactions within DynamoDB's and the budget's limits. */
  async function migratePage(items: Item[], counters: Position): Promise<void> {
    let batch: { item: Item; u: Move; units: number }[] = [];
    let batchBytes = 0;
    let batchUnits = 0;
    // A request larger than the bucket's burst overshoots the budget by its excess: under a budget, a transaction holds at most a burst's worth.
    const unitCap = writeBudget ? writeBudget.burst : Infinity;
    const flush = async () => {
      if (batch.length) await moveTogether(batch, counters);
      batch = [];
      batchBytes = 0;
      batchUnits = 0;
    };
    for (const item of items) {
      const u = upgrader.upgrade(item);
      if (u.kind !== 'move') {
        await migrateItem(item, counters, u);
        continue;
      }
      const before = bytes(item);
      const after = bytes(u.after);
      const size = 2 * before + after;
      const units = 2 * (writeUnits(after) + writeUnits(before));
      if (batch.length > 0 && (batch.length >= MOVES_PER_TRANSACTION || batchBytes + size > TRANSACTION_BYTES || batchUnits + units > unitCap)) await flush();
      batch.push({ item, u, units });
      batchBytes += size;
      batchUnits += units;
    }
    await flush();
  }

  async function migrateItem(read: Item, counters: Position, upgraded?: ReturnType<ItemUpgrader['upgrade']>): Promise<void> {
    let item: Item | undefined = read;
    for (let attempt = 0; item; attempt += 1) {
      if (attempt >= maxAttempts) {
        failures.push({ key: upgrader.keyOf(item), entity: typeof item.__edb_e__ === 'string' ? item.__edb_e__ : undefined, reason: `changed by others on each of ${maxAttempts} attempts` });
        return;
      }
      const u = attempt === 0 && upgraded ? upgraded : upgrader.upgrade(item);
      if (u.kind === 'unchanged') {
        counters.unchanged += 1;
        return;
      }
      if (u.kind === 'failed') {
        failures.push({ key: upgrader.keyOf(item), entity: u.entity, reason: u.reason });
        return;
      }
      try {
        if (u.kind === 'update') {
          const condition = unchangedCondition(item, upgrader.declaredFields(u.entity));
          const names: Record<string, string> = { ...condition.ExpressionAttributeNames };
          const values: Record<string, unknown> = { ...condition.ExpressionAttributeValues };
          const sets = Object.entries(u.set).map(([f, v], i) => {
            names[`#s${i}`] = f;
            values[`:s${i}`] = v;
            return `#s${i} = :s${i}`;
          });
          const removes = u.remove.map((f, i) => {
            names[`#r${i}`] = f;
            return `#r${i}`;
          });
          const update = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' ');
          await send('write', writeUnits(Math.max(bytes(item), bytes(u.after))), () =>
            doc.send(new UpdateCommand({ TableName: tableName, Key: upgrader.keyOf(item as Item), UpdateExpression: update, ConditionExpression: condition.ConditionExpression, ExpressionAttributeNames: names, ExpressionAttributeValues: Object.keys(values).length ? values : undefined, ReturnConsumedCapacity: 'TOTAL' })),
          );
          counters.rewritten += 1;
        } else {
          const read = item;
          await send('write', moveUnits(read, u), () => doc.send(new TransactWriteCommand({ TransactItems: moveActions(read, u), ReturnConsumedCapacity: 'TOTAL' })));
          counters.rewritten += 1;
          counters.moved += 1;
        }
        return;
      } catch (error) {
        const e = error as { name?: string; CancellationReasons?: { Code?: string }[] };
        const reasons = e.CancellationReasons ?? [];
        if (e.name === 'TransactionCanceledException' && reasons[0]?.Code === 'ConditionalCheckFailed') {
          failures.push({ key: upgrader.keyOf(item), entity: u.entity, reason: `its new key ${JSON.stringify(u.kind === 'move' ? u.newKey : key0(item))} is taken by another item` });
          return;
        }
        const conflict = classifyError(error) === 'conditional' || (e.name === 'TransactionCanceledException' && reasons.some((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict'));
        if (!conflict && e.name !== 'TransactionConflictException') {
          failures.push({ key: upgrader.keyOf(item), entity: u.entity, reason: `${e.name ?? 'Error'}: ${(error as Error).message}` });
          return;
        }
        // Written by someone since it was read: read it again (strongly) and start over from what is there now.
        conflictsRetried += 1;
        const key = upgrader.keyOf(item);
        // Wait for the write budget before the re-read, not between it and the write: a wait in between leaves the application the time to change the item again.
        await writeBudget?.take();
        const fresh = await send('read', 1, () => doc.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' })));
        item = fresh.Item as Item | undefined;
      }
    }
  }

  const rewriteIndex = cp.steps.findIndex((s) => s.step.kind === 'rewrite');
  for (const [i, entry] of cp.steps.entries()) {
    if (entry.done) {
      stepReport.push({ step: entry.step, status: 'done before (resumed)' });
      continue;
    }
    if (i === rewriteIndex) {
      cp.segments ??= { total: segments, positions: [...Array(segments).keys()].map(() => ({ lastKey: null, done: false, scanned: 0, rewritten: 0, moved: 0, unchanged: 0 })) };
      const positions = cp.segments.positions;
      const progress = () => options.onProgress?.({ scanned: positions.reduce((a, p) => a + p.scanned, 0), rewritten: positions.reduce((a, p) => a + p.rewritten, 0), failed: failures.length });
      await Promise.all(
        positions.map(async (position, segment) => {
          while (!position.done) {
            const start = position.lastKey ?? undefined;
            const page = await send('read', 1, () => doc.send(new ScanCommand({ TableName: tableName, Segment: segment, TotalSegments: segments, ExclusiveStartKey: start, Limit: options.pageSize ?? 100, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' })));
            await migratePage((page.Items ?? []) as Item[], position);
            position.scanned += page.Items?.length ?? 0;
            position.lastKey = (page.LastEvaluatedKey as Item | undefined) ?? null;
            position.done = position.lastKey === null;
            saveCheckpoint(options.checkpointFile, cp);
            progress();
          }
        }),
      );
    } else {
      await runTableStep(client, tableName, entry.step, anyModel, options.indexWaitSeconds ?? 600);
    }
    entry.done = true;
    saveCheckpoint(options.checkpointFile, cp);
    stepReport.push({ step: entry.step, status: 'done' });
  }

  // Verification: counts after, and a re-scan that must find nothing left to rewrite.
  const after = await countTable(client, tableName, readBudget, countReads);
  let stillToRewrite = 0;
  let start: Item | undefined;
  do {
    const page = await send('read', 1, () => doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' })));
    for (const item of (page.Items ?? []) as Item[]) {
      const u = upgrader.upgrade(item);
      if (u.kind === 'update' || u.kind === 'move') stillToRewrite += 1;
    }
    start = page.LastEvaluatedKey as Item | undefined;
  } while (start);
  const before = cp.before ?? after;
  const problems: string[] = [];
  for (const entity of new Set([...Object.keys(before.byEntity), ...Object.keys(after.byEntity)])) {
    if ((before.byEntity[entity] ?? 0) !== (after.byEntity[entity] ?? 0)) problems.push(`${entity}: ${before.byEntity[entity] ?? 0} items before, ${after.byEntity[entity] ?? 0} after (the application may have written meanwhile)`);
  }
  if (stillToRewrite > 0) problems.push(`${stillToRewrite} items still carry the old layout (written by an application on the old model meanwhile? run again)`);
  if (failures.length) problems.push(`${failures.length} items could not be migrated`);
  let patterns: { pattern: string; ok: boolean; error?: string }[] | undefined;
  if (options.verifyPatterns) {
    const services = anyModel.services({ client, tableName });
    const seed = await anyModel.seed(services, { size: options.verifyPatterns.size });
    const runners = anyModel.runners(services, seed);
    patterns = [];
    for (const p of anyModel.catalog) {
      try {
        const call = await (runners as Record<string, (i: number) => Promise<() => Promise<unknown>>>)[p.name]?.(0);
        if (!call) throw new Error('the model has no runner for it');
        await call();
        patterns.push({ pattern: p.name, ok: true });
      } catch (error) {
        patterns.push({ pattern: p.name, ok: false, error: (error as Error).message });
        problems.push(`pattern ${p.name} failed on the migrated table: ${(error as Error).message}`);
      }
    }
  }
  const positions = cp.segments?.positions ?? [];
  const sum = (k: 'scanned' | 'rewritten' | 'moved' | 'unchanged') => positions.reduce((a, p) => a + p[k], 0);
  return {
    tableName,
    steps: stepReport,
    segments,
    resumed,
    scanned: sum('scanned'),
    rewritten: sum('rewritten'),
    moved: sum('moved'),
    unchanged: sum('unchanged'),
    conflictsRetried,
    throttledRetried,
    failures,
    consumed,
    durationMs: Date.now() - started,
    verification: { before, after, stillToRewrite, ok: problems.length === 0, problems, ...(patterns ? { patterns } : {}) },
  };
}

/** A checksum of every item of a table (order-independent): equal before and after means nothing was written. */
export async function tableChecksum(client: DynamoDBClient, tableName: string): Promise<{ items: number; sha256: string }> {
  const doc = DynamoDBDocumentClient.from(client);
  const lines: string[] = [];
  let start: Item | undefined;
  do {
    const out = await doc.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }));
    for (const item of (out.Items ?? []) as Item[]) lines.push(stableJson(marshall(item, { convertClassInstanceToMap: true })));
    start = out.LastEvaluatedKey as Item | undefined;
  } while (start);
  lines.sort();
  return { items: lines.length, sha256: createHash('sha256').update(lines.join('')).digest('hex') };
}
