/*
 * Migration benchmark, in a fresh process per measurement (run by bench/run.ts, never imported), on
 * the embedded engine in this process. The library fixture's loans are written in their version-0
 * layout, so every item moves (put new + delete old, in one transaction). Prints one JSON line.
 *   segments N ITEMS [quiet]        items/s of runMigration with N parallel Scan segments
 *   budget WCU SECONDS [quiet]      the spend per 10 s window under --max-wcu WCU (8 segments), for a
 *                                   table sized to take about SECONDS at that budget
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Entity } from 'electrodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createEngine } from '../src/engine';
import { defineModel, embeddedClientConfig, ensureTable, modelTable, runMigration, snapshotModel, startProgress } from '../src/toolkit';
import { Loan, libraryModel } from '../test/fixtures/library-model';
import { childArgs } from './children';

export interface MigrateSegmentsResult {
  kind: 'segments';
  segments: number;
  items: number;
  moved: number;
  seconds: number;
  itemsPerSecond: number;
  writeUnits: number;
  readUnits: number;
  load: { seconds: number; itemsPerSecond: number };
}

export interface MigrateBudgetResult {
  kind: 'budget';
  budget: number;
  segments: number;
  items: number;
  seconds: number;
  writeUnitsPerItem: number;
  meanPerSecond: number;
  /** Seconds from the first write's answer to the last's: the rewrite, where the budget applies (the plan, counts and verification before and after write nothing). */
  writeSeconds?: number;
  /** The largest spend over any 10 s window inside the rewrite (windows every 250 ms), per second. */
  worstWindowPerSecond: number;
  /** The smallest spend over any such window, per second: how close the run holds to the budget from below. */
  lowestWindowPerSecond: number;
  windows: number;
}

const LoanV0 = new Entity({ ...(Loan.schema as object), model: { ...(Loan.schema.model as object), version: '0' } } as unknown as typeof Loan.schema);
const before = defineModel({ ...libraryModel, entities: libraryModel.entities.map((e) => (e === Loan ? (LoanV0 as unknown as typeof e) : e)) });

async function tableOf(items: number, quiet: boolean) {
  // No recorder on the client (a model session keeps every request it records): only the migration's own work.
  const engine = createEngine();
  const client = new DynamoDBClient(embeddedClientConfig(engine));
  const tableName = 'library-bench';
  await ensureTable(client, modelTable(before, tableName));
  const session = {
    client,
    tableName,
    async close() {
      client.destroy();
      await engine.close();
    },
  };
  const progress = startProgress(`loading ${items.toLocaleString('en-US')} version-0 loans`, items, { quiet });
  const started = process.hrtime.bigint();
  // Straight into the engine, 25 items a BatchWriteItem as the wire gives them (marshalled as the
  // SDK would): the load is not what this section measures, and a million items through the SDK
  // would take minutes.
  for (let from = 0; from < items; from += 25) {
    const requests = [];
    for (let i = from; i < Math.min(items, from + 25); i++) {
      const item = LoanV0.put({ memberId: `m${i % 5000}`, loanId: `l${i}`, bookId: `b${i % 97}`, loanedAt: '2026-01-01', dueAt: '2026-02-01', branch: 'north' }).params({ table: tableName }).Item as Record<string, unknown>;
      requests.push({ PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) } });
    }
    const out = engine.handleSync('BatchWriteItem', { RequestItems: { [tableName]: requests } }) as { UnprocessedItems?: Record<string, unknown[]> };
    if (Object.keys(out.UnprocessedItems ?? {}).length > 0) throw new Error('the engine left loans unprocessed while loading');
    if (from % 10_000 === 0) progress.update(from);
  }
  progress.stop();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { session, load: { seconds, itemsPerSecond: items / seconds } };
}

async function segmentsRun(segments: number, items: number, quiet: boolean, dir: string): Promise<MigrateSegmentsResult> {
  const { session, load } = await tableOf(items, quiet);
  const progress = startProgress(`migrating ${items.toLocaleString('en-US')} loans, ${segments} segment(s)`, items, { quiet });
  const started = process.hrtime.bigint();
  const report = await runMigration(session.client, session.tableName, snapshotModel(before, session.tableName), libraryModel, {
    checkpointFile: join(dir, 'checkpoint.json'),
    segments,
    onProgress: (p) => progress.update(p.rewritten), // moved so far (scanned also counts moved items the Scan meets again)
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  progress.stop();
  if (!report.verification.ok) throw new Error(`segments ${segments}: ${report.verification.problems.join('; ')}`);
  if (report.rewritten !== items) throw new Error(`segments ${segments}: ${report.rewritten} of ${items} loans moved`);
  await session.close();
  return { kind: 'segments', segments, items, moved: report.rewritten, seconds, itemsPerSecond: items / seconds, writeUnits: report.consumed.writeUnits, readUnits: report.consumed.readUnits, load };
}

async function budgetRun(budget: number, budgetSeconds: number, quiet: boolean, dir: string): Promise<MigrateBudgetResult> {
  // What one move costs, measured on a small table first, sizes the table for the wanted duration.
  const probe = await tableOf(200, true);
  const probeReport = await runMigration(probe.session.client, probe.session.tableName, snapshotModel(before, probe.session.tableName), libraryModel, { checkpointFile: join(dir, 'probe.json'), segments: 1 });
  await probe.session.close();
  const perItem = probeReport.consumed.writeUnits / 200;
  const items = Math.ceil((budget * budgetSeconds) / perItem);
  const { session } = await tableOf(items, quiet);
  const spends: { t: number; units: number }[] = [];
  const progress = startProgress(`migrating ${items.toLocaleString('en-US')} loans at ${budget} WCU/s`, items, { quiet });
  const t0 = Date.now();
  await runMigration(session.client, session.tableName, snapshotModel(before, session.tableName), libraryModel, {
    checkpointFile: join(dir, 'budget.json'),
    segments: 8,
    maxWriteUnits: budget,
    onProgress: (p) => progress.update(p.rewritten), // moved so far (scanned also counts moved items the Scan meets again)
    onConsumed: (units, kind) => {
      if (kind === 'write') spends.push({ t: Date.now() - t0, units });
    },
  });
  const end = Date.now() - t0;
  progress.stop();
  await session.close();
  let worst = 0;
  let lowest = Infinity;
  let windows = 0;
  // Windows inside the rewrite only: the counts and the verification around it write nothing, so a window reaching into them would be low by construction.
  const first = spends[0]?.t ?? 0;
  const last = spends[spends.length - 1]?.t ?? 0;
  for (let start = first; start + 10_000 <= last; start += 250) {
    windows += 1;
    const sum = spends.filter((s) => s.t >= start && s.t < start + 10_000).reduce((a, s) => a + s.units, 0);
    worst = Math.max(worst, sum / 10);
    lowest = Math.min(lowest, sum / 10);
  }
  const total = spends.reduce((a, s) => a + s.units, 0);
  return { kind: 'budget', budget, segments: 8, items, seconds: end / 1000, writeSeconds: (last - first) / 1000, writeUnitsPerItem: perItem, meanPerSecond: last > first ? total / ((last - first) / 1000) : 0, worstWindowPerSecond: worst, lowestWindowPerSecond: windows ? lowest : 0, windows };
}

async function main(): Promise<void> {
  const [kind, a, b, quietArg] = childArgs();
  const quiet = quietArg === 'quiet';
  const dir = mkdtempSync(join(tmpdir(), 'bench-migrate-'));
  try {
    const result = kind === 'segments' ? await segmentsRun(Number(a), Number(b), quiet, dir) : kind === 'budget' ? await budgetRun(Number(a), Number(b), quiet, dir) : undefined;
    if (!result) throw new Error(`migrate-child: segments N ITEMS | budget WCU SECONDS (got ${JSON.stringify(kind)})`);
    process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
