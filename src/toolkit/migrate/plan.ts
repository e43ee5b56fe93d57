import { DescribeTableCommand, type DynamoDBClient, type TableDescription } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { itemSize } from '../capacity/item-size';
import { inIndex, projectToIndex, tableLayoutOf, type TableLayout } from '../capacity/table-layout';
import type { Catalog } from '../catalog/types';
import { itemWriteUnits, queryReadUnits } from '../cost/unit-rules';
import { US_EAST_1_STANDARD, type PriceTable } from '../cost/prices';
import { mapWithConcurrency } from '../measurement/pattern-runner';
import { modelTable, type Model } from '../model/define-model';
import { diffModel, MigrationInputError, type ModelDiff } from './diff';
import { snapshotModel, type ModelSnapshot, type TableIndexSnapshot } from './snapshot';
import { ItemUpgrader, type Item, type UpgradeOptions } from './upgrade-item';

export type MigrationStep =
  | { kind: 'create-index'; index: string; keys: string; projection: TableIndexSnapshot['projection']; reversible: true; why: string }
  | { kind: 'delete-index'; index: string; reversible: boolean; why: string }
  | { kind: 'rewrite'; entities: string[]; items: number; readUnits: number; writeUnits: number; reversible: boolean; why: string }
  | { kind: 'update-ttl'; attribute: string | undefined; reversible: true; why: string }
  | { kind: 'update-stream'; view: string | false; reversible: true; why: string };

export interface SampleRewrite {
  entity: string;
  key: Item;
  before: Item;
  after: Item;
}

export interface MigrationPlan {
  model: string;
  tableName: string;
  diff: ModelDiff;
  steps: MigrationStep[];
  /** Items on the table, per entity (`(other)`: items of no ElectroDB entity). */
  itemsByEntity: Record<string, number>;
  /** Items the rewrite changes, per entity. */
  rewriteByEntity: Record<string, number>;
  /** Items that cannot be migrated, with their key and why (the run reports them again). */
  failures: { key: Item; entity: string | undefined; reason: string }[];
  samples: SampleRewrite[];
  /**
   * What `runMigration` will consume. `readUnits` is the sum of `reads`: the rewrite's strongly
   * consistent Scan in pages of `pageSize`; an upper bound for reading moved items again (a moved
   * item lands at a new key, which the Scan reaches again when it lies ahead of it in the key
   * space; it is then found migrated and left alone); and the verification (entity and index
   * counts before and after, a strongly consistent re-scan).
   */
  estimate: {
    readUnits: number;
    reads: { scan: number; movedAgain: number; verification: number };
    writeUnits: number;
    dollarsOnDemand: number;
    seconds: number;
    atWriteUnitsPerSecond: number;
  };
}

export interface PlanOptions extends UpgradeOptions {
  /** Units per second the time estimate assumes (the run's --max-wcu). Default 1,000. */
  writeUnitsPerSecond?: number;
  prices?: PriceTable;
  /** Sample items shown before and after, per rewritten entity. Default 2. */
  samplesPerEntity?: number;
  /** Parallel Scan segments of the survey. Default 4. */
  segments?: number;
  /** Items per page of the run's Scan (its `pageSize`), for the read estimate. Default 100. */
  pageSize?: number;
  /** Scan the table for counts, units and samples (default true). Without it the steps assume every entity the diff names has items to rewrite. */
  survey?: boolean;
}


/** Units one item's rewrite costs on a layout (the indexes that exist while it runs). */
function rewriteUnits(layout: TableLayout, before: Item, after: Item, move: boolean): number {
  const b = marshall(before, { removeUndefinedValues: true, convertClassInstanceToMap: true });
  const a = marshall(after, { removeUndefinedValues: true, convertClassInstanceToMap: true });
  if (move) {
    // A transaction: put the new item, delete the old, each charged double, and each index it is in.
    const put = itemWriteUnits({ table: { after: itemSize(a) }, indexes: Object.fromEntries(layout.indexes.filter((i) => inIndex(a, i)).map((i) => [i.name, { after: itemSize(projectToIndex(a, i, layout.keys)) }])), transactional: true });
    const del = itemWriteUnits({ table: { before: itemSize(b) }, indexes: Object.fromEntries(layout.indexes.filter((i) => inIndex(b, i)).map((i) => [i.name, { before: itemSize(projectToIndex(b, i, layout.keys)) }])), transactional: true });
    return put.total + del.total;
  }
  const indexes: Record<string, { before?: number; after?: number; keyChanged?: boolean }> = {};
  for (const i of layout.indexes) {
    const was = inIndex(b, i) ? itemSize(projectToIndex(b, i, layout.keys)) : undefined;
    const now = inIndex(a, i) ? itemSize(projectToIndex(a, i, layout.keys)) : undefined;
    const keyChanged = i.keys.some((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]));
    const projectedChanged = JSON.stringify(inIndex(b, i) ? projectToIndex(b, i, layout.keys) : null) !== JSON.stringify(inIndex(a, i) ? projectToIndex(a, i, layout.keys) : null);
    if (projectedChanged) indexes[i.name] = { before: was, after: now, keyChanged };
  }
  return itemWriteUnits({ table: { before: itemSize(b), after: itemSize(a) }, indexes }).total;
}

/** Checks that the table is the snapshot's (or already part-way to the model's): same primary key, no index neither knows. */
export function checkTableMatches(table: TableDescription, from: ModelSnapshot, to: ModelSnapshot): string[] {
  const problems: string[] = [];
  const hash = table.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const range = table.KeySchema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  if (hash !== from.table.primary.pk || range !== from.table.primary.sk) {
    problems.push(`the table's primary key is ${hash}${range ? ` / ${range}` : ''}, the snapshot's ${from.table.primary.pk}${from.table.primary.sk ? ` / ${from.table.primary.sk}` : ''}`);
  }
  for (const gsi of table.GlobalSecondaryIndexes ?? []) {
    const name = gsi.IndexName ?? '';
    const known = from.table.indexes[name] ?? to.table.indexes[name];
    if (!known) {
      problems.push(`the table has index ${name}, which neither the snapshot nor the model has`);
      continue;
    }
    const pk = gsi.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
    const sk = gsi.KeySchema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
    const fits = [from.table.indexes[name], to.table.indexes[name]].some((ix) => ix && ix.pk === pk && ix.sk === sk);
    if (!fits) problems.push(`the table's index ${name} has keys ${pk}${sk ? ` / ${sk}` : ''}, unlike the snapshot's and the model's`);
  }
  return problems;
}

/**
 * Plans a migration of a table from a snapshot's layout to a model's: refuses what would lose
 * data or cannot be done in place, surveys the table (one parallel Scan: items per entity, the
 * rewrites and their units by DynamoDB's rules, items that cannot be migrated, samples before and
 * after), then orders the steps DynamoDB allows: one GSI created or deleted per UpdateTable,
 * indexes whose keys change deleted then created, indexes the old model still reads deleted last.
 * Writes nothing.
 */
export async function planMigration<C extends Catalog, S, D>(
  client: DynamoDBClient,
  tableName: string,
  from: ModelSnapshot,
  model: Model<C, S, D>,
  options: PlanOptions = {},
): Promise<MigrationPlan> {
  const diff = diffModel(from, model, tableName);
  const refusals: string[] = [];
  for (const c of diff.changes) {
    if (c.kind === 'primary-key-changed') refusals.push(`the table's primary key changes (${c.from} to ${c.to}): ${c.meaning}`);
    if (c.kind === 'attribute-removed' && c.readBy.length) refusals.push(`${c.entity}.${c.attribute} is removed but still read by ${c.readBy.join(', ')}`);
  }
  for (const [entity, renames] of Object.entries(options.renames ?? {})) {
    for (const [oldName, newName] of Object.entries(renames)) {
      if (!from.entities[entity]?.attributes[oldName]) refusals.push(`rename ${entity}.${oldName}: the snapshot's ${entity} has no attribute ${oldName}`);
      if (!model.entities.some((e) => e.schema.model.entity === entity && (e.schema as { attributes?: Record<string, unknown> }).attributes?.[newName])) refusals.push(`rename ${entity}.${oldName} to ${newName}: the model's ${entity} has no attribute ${newName}`);
    }
  }
  if (refusals.length) throw new MigrationInputError(`migration refused: ${refusals.join('; ')}`);
  const definition = modelTable(model, tableName);
  const toLayout = tableLayoutOf(definition);
  const toSnapshot = snapshotModel(model, tableName);
  const described = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  if (!described) throw new MigrationInputError(`table ${tableName} does not exist`);
  const mismatch = checkTableMatches(described, from, toSnapshot);
  if (mismatch.length) throw new MigrationInputError(`table ${tableName} does not match the snapshot: ${mismatch.join('; ')}`);
  const existing = new Set((described.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName ?? ''));
  // The layout the rewrite runs on if new indexes are created first / after.
  const withNew: TableLayout = { ...toLayout, indexes: toLayout.indexes };
  const withoutNew: TableLayout = { ...toLayout, indexes: toLayout.indexes.filter((i) => existing.has(i.name) && from.table.indexes[i.name]) };

  const upgrader = new ItemUpgrader(from, model as Model<Catalog, unknown, unknown>, tableName, options);
  const doc = DynamoDBDocumentClient.from(client);
  const itemsByEntity: Record<string, number> = {};
  const rewriteByEntity: Record<string, number> = {};
  const failures: MigrationPlan['failures'] = [];
  const samples: SampleRewrite[] = [];
  const perEntitySamples = options.samplesPerEntity ?? 2;
  // Item sizes as the run will read them: per segment in Scan order (its pages), after the rewrite (the verification), moved items at their new keys.
  const sizes: number[][] = [...Array(options.segments ?? 4).keys()].map(() => []);
  const sizesAfter: number[] = [];
  const movedSizes: number[] = [];
  // Bytes of each index's entries before and after (each index is counted by its own Scan).
  const indexBytesBefore = new Map<string, number>();
  const indexBytesAfter = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  // The indexes the table has now, with the model's definition of each (an index the model dropped is left out of the count estimate).
  const beforeLayout: TableLayout = { ...toLayout, indexes: toLayout.indexes.filter((i) => existing.has(i.name)) };
  let unitsCreateFirst = 0;
  let unitsKeysFirst = 0;
  // Units the index backfill writes when keys come first (DynamoDB's OnlineIndexConsumedWriteCapacity).
  let backfillKeysFirst = 0;
  const segments = options.segments ?? 4;
  await mapWithConcurrency(options.survey === false ? [] : [...Array(segments).keys()], segments, async (segment) => {
    let start: Item | undefined;
    do {
      const out = await doc.send(new ScanCommand({ TableName: tableName, Segment: segment, TotalSegments: segments, ExclusiveStartKey: start }));
      const items = (out.Items ?? []) as Item[];
      for (const item of items) {
        const m = marshall(item, { removeUndefinedValues: true, convertClassInstanceToMap: true });
        const size = itemSize(m);
        const u = upgrader.upgrade(item);
        const entity = u.entity ?? '(other)';
        itemsByEntity[entity] = (itemsByEntity[entity] ?? 0) + 1;
        const afterImage = u.kind === 'update' || u.kind === 'move' ? marshall(u.after, { removeUndefinedValues: true, convertClassInstanceToMap: true }) : m;
        const afterSize = afterImage === m ? size : itemSize(afterImage);
        sizes[segment]?.push(size);
        sizesAfter.push(afterSize);
        if (u.kind === 'move') movedSizes.push(afterSize);
        for (const i of beforeLayout.indexes) if (inIndex(m, i)) add(indexBytesBefore, i.name, itemSize(projectToIndex(m, i, beforeLayout.keys)));
        for (const i of toLayout.indexes) if (inIndex(afterImage, i)) add(indexBytesAfter, i.name, itemSize(projectToIndex(afterImage, i, toLayout.keys)));
        if (u.kind === 'failed') failures.push({ key: upgrader.keyOf(item), entity: u.entity, reason: u.reason });
        if (u.kind !== 'update' && u.kind !== 'move') continue;
        rewriteByEntity[entity] = (rewriteByEntity[entity] ?? 0) + 1;
        unitsCreateFirst += rewriteUnits(withNew, item, u.after, u.kind === 'move');
        unitsKeysFirst += rewriteUnits(withoutNew, item, u.after, u.kind === 'move');
        const a = marshall(u.after, { removeUndefinedValues: true, convertClassInstanceToMap: true });
        for (const i of toLayout.indexes) if (!existing.has(i.name) && inIndex(a, i)) backfillKeysFirst += itemWriteUnits({ table: { after: 0 }, indexes: { [i.name]: { after: itemSize(projectToIndex(a, i, toLayout.keys)) } } }).byIndex[i.name] ?? 0;
        if (samples.filter((s) => s.entity === entity).length < perEntitySamples) samples.push({ entity, key: upgrader.keyOf(item), before: item, after: u.after });
      }
      start = out.LastEvaluatedKey as Item | undefined;
    } while (start);
  });

  const pageSize = options.pageSize ?? 100;
  /** Strongly consistent reads of these sizes in pages of pageSize (each page rounded up to 4 KB, as DynamoDB charges a page). */
  const strongPages = (list: readonly number[]) => {
    let units = 0;
    for (let i = 0; i < list.length; i += pageSize) units += queryReadUnits(list.slice(i, i + pageSize), 'strong');
    return units;
  };
  const total = (list: readonly number[]) => list.reduce((a, b) => a + b, 0);
  /** A Scan of a whole table or index without Limit: 1 MB pages, each rounded up to 4 KB and charged at least one read (an empty page too). */
  const wholeScan = (bytes: number, consistency: 'eventual' | 'strong') => {
    const pages = Math.max(1, Math.ceil(bytes / 2 ** 20));
    return pages * Math.max(queryReadUnits([bytes / pages], consistency), queryReadUnits([1], consistency));
  };
  const bytesBefore = total(sizes.flat());
  const bytesAfter = total(sizesAfter);
  const reads = {
    scan: sizes.reduce((a, list) => a + strongPages(list), 0),
    movedAgain: strongPages(movedSizes),
    // Counts before and after (eventually consistent Scans of the table and of each index), then a strongly consistent re-scan.
    verification:
      wholeScan(bytesBefore, 'eventual') + beforeLayout.indexes.reduce((a, i) => a + wholeScan(indexBytesBefore.get(i.name) ?? 0, 'eventual'), 0) +
      wholeScan(bytesAfter, 'eventual') + toLayout.indexes.reduce((a, i) => a + wholeScan(indexBytesAfter.get(i.name) ?? 0, 'eventual'), 0) +
      wholeScan(bytesAfter, 'strong'),
  };

  const steps: MigrationStep[] = [];
  const creates: MigrationStep[] = [];
  const deletesFirst: MigrationStep[] = [];
  const deletesLast: MigrationStep[] = [];
  for (const c of diff.changes) {
    if (c.kind === 'index-keys-changed' || c.kind === 'projection-changed') {
      if (existing.has(c.index)) deletesFirst.push({ kind: 'delete-index', index: c.index, reversible: true, why: `${c.kind === 'projection-changed' ? 'its projection' : 'its keys'} change: delete, then create again (${c.from} to ${c.to})` });
      const ix = toSnapshot.table.indexes[c.index] as TableIndexSnapshot;
      creates.push({ kind: 'create-index', index: c.index, keys: `${ix.pk}${ix.sk ? ` / ${ix.sk}` : ''}`, projection: ix.projection, reversible: true, why: 'created again with the model\'s keys and projection' });
    }
    if (c.kind === 'index-added' && !existing.has(c.index)) {
      const ix = toSnapshot.table.indexes[c.index] as TableIndexSnapshot;
      creates.push({ kind: 'create-index', index: c.index, keys: c.keys, projection: ix.projection, reversible: true, why: '' });
    }
    if (c.kind === 'index-removed' && existing.has(c.index)) {
      // Reversible while the items keep its key attributes (no rewrite drops them).
      const dropped = diff.changes.some((d) => d.kind === 'entity-index-removed' && d.index === c.index);
      deletesLast.push({ kind: 'delete-index', index: c.index, reversible: !dropped, why: `no entity uses it; deleted after the rewrite so the deployed (old) code can read it until then${dropped ? '; the rewrite removes its keys from the items, so it cannot be rebuilt' : ''}` });
    }
  }
  if (options.survey === false) for (const e of diff.rewrite) rewriteByEntity[e] = 0;
  const rewriteItems = options.survey === false ? (diff.rewrite.length ? Infinity : 0) : Object.values(rewriteByEntity).reduce((a, b) => a + b, 0);
  const newIndexCreates = creates.filter((s) => s.kind === 'create-index' && !from.table.indexes[s.index]);
  // Keys first: the rewrite pays no write to the new index, the index's own backfill pays one per item.
  const keysFirst = rewriteItems > 0 && newIndexCreates.length > 0 && unitsKeysFirst + backfillKeysFirst <= unitsCreateFirst;
  const costText = `${fmtUnits(unitsKeysFirst + backfillKeysFirst)} WCU with keys first (rewrite ${fmtUnits(unitsKeysFirst)} + index backfill ${fmtUnits(backfillKeysFirst)}) vs ${fmtUnits(unitsCreateFirst)} WCU with the index first`;
  for (const s of creates) {
    if (s.kind !== 'create-index' || s.why) continue;
    s.why = rewriteItems === 0 ? 'nothing to rewrite: DynamoDB backfills it from the items' : keysFirst
      ? `keys written first: ${costText}; the index then appears complete (no pattern sees it half filled)`
      : `created first, then backfilled by the rewrite: ${costText}`;
  }
  const rewriteStep: MigrationStep[] = rewriteItems > 0
    ? [{
        kind: 'rewrite',
        entities: Object.keys(rewriteByEntity).sort(),
        items: Number.isFinite(rewriteItems) ? rewriteItems : 0,
        readUnits: reads.scan + reads.movedAgain,
        writeUnits: keysFirst ? unitsKeysFirst : unitsCreateFirst,
        reversible: true,
        why: `${diff.rewrite.join(', ')} items carry keys, version or defaults of the old layout; each is rewritten conditioned on being unchanged since read (reversible by migrating back with the previous model)`,
      }]
    : [];
  steps.push(...deletesFirst);
  if (keysFirst) steps.push(...rewriteStep, ...creates);
  else steps.push(...creates, ...rewriteStep);
  steps.push(...deletesLast);
  for (const c of diff.changes) {
    if (c.kind === 'ttl-changed') steps.push({ kind: 'update-ttl', attribute: c.to === '(off)' ? undefined : c.to, reversible: true, why: c.meaning });
    if (c.kind === 'stream-changed') steps.push({ kind: 'update-stream', view: c.to === 'false' ? false : c.to, reversible: true, why: c.meaning });
  }
  const writeUnits = (keysFirst ? unitsKeysFirst + backfillKeysFirst : unitsCreateFirst);
  const prices = options.prices ?? US_EAST_1_STANDARD;
  const rate = options.writeUnitsPerSecond ?? 1000;
  const readUnits = rewriteItems > 0 ? reads.scan + reads.movedAgain + reads.verification : 0;
  return {
    model: model.name,
    tableName,
    diff,
    steps,
    itemsByEntity,
    rewriteByEntity,
    failures,
    samples,
    estimate: {
      readUnits,
      reads: rewriteItems > 0 ? reads : { scan: 0, movedAgain: 0, verification: 0 },
      writeUnits,
      dollarsOnDemand: (writeUnits * prices.onDemand.writeRequestUnitsPerMillion + readUnits * prices.onDemand.readRequestUnitsPerMillion) / 1e6,
      seconds: writeUnits / rate,
      atWriteUnitsPerSecond: rate,
    },
  };
}

const fmtUnits = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

