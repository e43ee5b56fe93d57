/*
 * Migration benchmark: items/s of runMigration for 1, 4 and 16 segments, and how closely it
 * holds a WCU budget (the largest spend over any 10 s window, against the budget). On the
 * embedded engine in this process unless DYNAMODB_ENDPOINT is set. The library fixture's loans
 * are written in their version-0 layout, so every item moves (put new + delete old, in one
 * transaction). Sizes by environment: BENCH_MIGRATE_ITEMS (default 3000),
 * BENCH_MIGRATE_BUDGET (WCU/s, default 300), BENCH_MIGRATE_BUDGET_SECONDS (default 25).
 * Run: npx jiti scripts/bench-migrate.ts
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Entity } from 'electrodb';
import { batchWriteAll, defineModel, openModelSession, runMigration, snapshotModel } from '../src/toolkit';
import { Loan, libraryModel } from '../test/fixtures/library-model';

const LoanV0 = new Entity({ ...(Loan.schema as object), model: { ...(Loan.schema.model as object), version: '0' } } as unknown as typeof Loan.schema);
const before = defineModel({ ...libraryModel, entities: libraryModel.entities.map((e) => (e === Loan ? (LoanV0 as unknown as typeof e) : e)) });
const dir = mkdtempSync(join(tmpdir(), 'bench-migrate-'));

async function tableOf(items: number) {
  const session = await openModelSession(before, {});
  const doc = DynamoDBDocumentClient.from(session.client);
  const puts = [...Array(items).keys()].map((i) => ({
    PutRequest: { Item: LoanV0.put({ memberId: `m${i % 500}`, loanId: `l${i}`, bookId: `b${i % 97}`, loanedAt: '2026-01-01', dueAt: '2026-02-01', branch: 'north' }).params({ table: session.tableName }).Item as Record<string, unknown> },
  }));
  await batchWriteAll(doc, session.tableName, puts, { concurrency: 8 });
  return session;
}

async function main(): Promise<void> {
  const items = Number(process.env.BENCH_MIGRATE_ITEMS ?? 3000);
  const budget = Number(process.env.BENCH_MIGRATE_BUDGET ?? 300);
  const budgetSeconds = Number(process.env.BENCH_MIGRATE_BUDGET_SECONDS ?? 25);
  const rows: string[] = [];
  for (const segments of [1, 4, 16]) {
    const session = await tableOf(items);
    const from = snapshotModel(before, session.tableName);
    const started = process.hrtime.bigint();
    const report = await runMigration(session.client, session.tableName, from, libraryModel, { checkpointFile: join(dir, `s${segments}.json`), segments });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (!report.verification.ok) throw new Error(`segments ${segments}: ${report.verification.problems.join('; ')}`);
    rows.push(`segments ${String(segments).padStart(2)}: ${items} items (${report.rewritten} moved) in ${seconds.toFixed(2)} s = ${(items / seconds).toFixed(0)} items/s, ${report.consumed.writeUnits} WCU`);
    await session.close();
  }
  // Budget: enough items to run for budgetSeconds at the budget (each move costs what the first run measured).
  const probe = await tableOf(200);
  const probeReport = await runMigration(probe.client, probe.tableName, snapshotModel(before, probe.tableName), libraryModel, { checkpointFile: join(dir, 'probe.json'), segments: 1 });
  await probe.close();
  const perItem = probeReport.consumed.writeUnits / 200;
  const budgetItems = Math.ceil((budget * budgetSeconds) / perItem);
  const session = await tableOf(budgetItems);
  const spends: { t: number; units: number }[] = [];
  const t0 = Date.now();
  await runMigration(session.client, session.tableName, snapshotModel(before, session.tableName), libraryModel, {
    checkpointFile: join(dir, 'budget.json'),
    segments: 8,
    maxWriteUnits: budget,
    onConsumed: (units, kind) => {
      if (kind === 'write') spends.push({ t: Date.now() - t0, units });
    },
  });
  const end = Date.now() - t0;
  await session.close();
  let worst = 0;
  for (let start = 0; start + 10_000 <= end; start += 250) {
    const sum = spends.filter((s) => s.t >= start && s.t < start + 10_000).reduce((a, s) => a + s.units, 0);
    worst = Math.max(worst, sum / 10);
  }
  const total = spends.reduce((a, s) => a + s.units, 0);
  rows.push(`budget ${budget} WCU/s, 8 segments, ${budgetItems} items (${perItem.toFixed(1)} WCU each) in ${(end / 1000).toFixed(1)} s: mean ${(total / (end / 1000)).toFixed(1)} WCU/s, worst 10 s window ${worst.toFixed(1)} WCU/s (${(((worst - budget) / budget) * 100).toFixed(1)}% vs budget)`);
  process.stdout.write(`${rows.join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
