/**
 * Sections 6 and 7: a stream consumer (issue 21) and a migration backfill (issue 20) on the
 * embedded engine, each measured in fresh child processes so that their tables (up to a million
 * items) and their timers share nothing with the other sections.
 */
import { runChild } from './children';
import { CHANGE_GOALS } from './goals';
import type { MigrateBudgetResult, MigrateSegmentsResult } from './migrate-child';
import type { StreamBenchResult } from './streams-child';

export type { MigrateBudgetResult, MigrateSegmentsResult, StreamBenchResult };

export interface ChangeBenchOptions {
  streamRecords: number;
  migrateItems: number;
  migrateSegments: readonly number[];
  /** WCU/s and how long a run at that budget should take, s. */
  budget: number;
  budgetSeconds: number;
  quiet?: boolean;
}

export const CHANGES_FULL: ChangeBenchOptions = { streamRecords: 5_000, migrateItems: 1_000_000, migrateSegments: [1, 4, 16], budget: 1_000, budgetSeconds: 40 };
export const CHANGES_QUICK: ChangeBenchOptions = { streamRecords: 500, migrateItems: 3_000, migrateSegments: [1, 4, 16], budget: 300, budgetSeconds: 12 };

/** When and how a section was measured, when it was measured apart from the rest (`--only SECTION`, then published with `--publish`). */
export interface SectionRun {
  date: string;
  command: string;
  node: string;
  /** The 1, 5 and 15-minute load averages when the section started and ended. */
  load: { start: number[]; end: number[] };
}

export interface ChangeBenchResults {
  streams: StreamBenchResult;
  migrate: { segments: MigrateSegmentsResult[]; budget: MigrateBudgetResult };
  /** Sections measured in a later run than the rest of the results (absent: measured with them). */
  runs?: { streams?: SectionRun; migrate?: SectionRun };
}

export async function runStreamBenchmark(options: ChangeBenchOptions): Promise<StreamBenchResult> {
  return runChild<StreamBenchResult>('streams-child', [String(options.streamRecords), ...(options.quiet ? ['quiet'] : [])], { quiet: options.quiet });
}

export async function runMigrateBenchmark(options: ChangeBenchOptions): Promise<ChangeBenchResults['migrate']> {
  const quiet = options.quiet ? ['quiet'] : [];
  const segments: MigrateSegmentsResult[] = [];
  // A million items and their old layout, twice over during the move: room beyond Node's default heap.
  const nodeFlags = ['--max-old-space-size=8192'];
  for (const n of options.migrateSegments) segments.push(await runChild<MigrateSegmentsResult>('migrate-child', ['segments', String(n), String(options.migrateItems), ...quiet], { nodeFlags, quiet: options.quiet }));
  const budget = await runChild<MigrateBudgetResult>('migrate-child', ['budget', String(options.budget), String(options.budgetSeconds), ...quiet], { nodeFlags, quiet: options.quiet });
  return { segments, budget };
}

export async function runChangeBenchmarks(options: ChangeBenchOptions): Promise<ChangeBenchResults> {
  return { streams: await runStreamBenchmark(options), migrate: await runMigrateBenchmark(options) };
}

export function changeGoalRows(results: ChangeBenchResults): { goal: string; target: string; measured: string; met: boolean }[] {
  const b = results.migrate.budget;
  const over = (b.worstWindowPerSecond - b.budget) / b.budget;
  const under = (b.lowestWindowPerSecond - b.budget) / b.budget;
  const pct = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
  return [
    {
      goal: `migrate run under --max-wcu ${b.budget}: the spend over any 10 s window`,
      target: `within ${CHANGE_GOALS.budgetOvershoot * 100}% of the budget`,
      measured: b.windows > 0 ? `windows from ${b.lowestWindowPerSecond.toFixed(1)} to ${b.worstWindowPerSecond.toFixed(1)} WCU/s (${pct(under)} to ${pct(over)}), mean ${b.meanPerSecond.toFixed(1)} WCU/s over ${(b.writeSeconds ?? b.seconds).toFixed(1)} s${b.writeSeconds !== undefined ? ' of writes' : ''}` : `the run took ${b.seconds.toFixed(1)} s: no whole 10 s window`,
      met: b.windows > 0 && over <= CHANGE_GOALS.budgetOvershoot && under >= -CHANGE_GOALS.budgetOvershoot,
    },
  ];
}
