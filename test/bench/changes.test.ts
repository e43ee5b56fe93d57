import { changeGoalRows, runChangeBenchmarks, type ChangeBenchResults } from '../../bench/changes';
import { CHANGE_GOALS } from '../../bench/goals';
import { changesSection } from '../../bench/report';

// Sections 6 and 7 run to completion with sane output; their numbers are not asserted (no timing tests).
describe('the stream and migration sections, in a reduced mode', () => {
  let results: ChangeBenchResults;
  beforeAll(async () => {
    results = await runChangeBenchmarks({ streamRecords: 150, migrateItems: 400, migrateSegments: [1, 4], budget: 200, budgetSeconds: 12, quiet: true });
  }, 300_000);

  it('hands every record to the handler once, with lag percentiles in order', () => {
    const s = results.streams;
    expect(s.records).toBe(150);
    expect(s.lag.n).toBe(150);
    expect(s.lag.p50).toBeGreaterThan(0);
    expect(s.lag.p50).toBeLessThanOrEqual(s.lag.p90);
    expect(s.lag.p90).toBeLessThanOrEqual(s.lag.p99);
    expect(s.throughput.recordsPerSecond).toBeCloseTo(150 / s.throughput.seconds, 6);
  });

  it('moves every item for each segment count, and counts its units', () => {
    expect(results.migrate.segments.map((r) => [r.segments, r.items, r.moved])).toEqual([
      [1, 400, 400],
      [4, 400, 400],
    ]);
    for (const r of results.migrate.segments) {
      expect(r.itemsPerSecond).toBeCloseTo(r.items / r.seconds, 6);
      // A move is a transaction of a put and a delete: at least 2 × 2 WCU per item.
      expect(r.writeUnits).toBeGreaterThanOrEqual(4 * r.items);
    }
  });

  it('judges the budget from the windows it measured', () => {
    const b = results.migrate.budget;
    expect(b.windows).toBeGreaterThan(0);
    // The windows lie inside the rewrite: the counts and verification around it write nothing.
    expect(b.writeSeconds).toBeGreaterThan(10);
    expect(b.writeSeconds).toBeLessThanOrEqual(b.seconds);
    expect(b.lowestWindowPerSecond).toBeLessThanOrEqual(b.worstWindowPerSecond);
    const [goal] = changeGoalRows(results);
    const within = (b.worstWindowPerSecond - b.budget) / b.budget <= CHANGE_GOALS.budgetOvershoot && (b.lowestWindowPerSecond - b.budget) / b.budget >= -CHANGE_GOALS.budgetOvershoot;
    expect(goal!.met).toBe(within);
    expect(goal!.measured).toContain(b.worstWindowPerSecond.toFixed(1));
  });

  it('renders sections 6 and 7 with every figure it reports', () => {
    const md = changesSection(results).join('\n');
    expect(md).toContain('## 6. A stream consumer on the engine');
    expect(md).toContain('## 7. A migration backfill on the engine');
    for (const r of results.migrate.segments) expect(md).toContain(`| ${r.segments} | ${r.items.toLocaleString('en-US')} |`);
    expect(md).toContain(results.migrate.budget.meanPerSecond.toFixed(1));
  });

  it('says under a section measured apart (published with --publish) when and how it was measured', () => {
    const run = { date: '2026-12-05T05:00:00.000Z', command: 'npm run bench -- --only migrate', node: 'v20.20.2', load: { start: [1.5, 1, 0.5], end: [0.2, 0.4, 0.6] } };
    const md = changesSection({ ...results, runs: { migrate: run } }).join('\n');
    const seven = md.slice(md.indexOf('## 7.'));
    expect(seven).toContain(`Measured apart from the sections above, ${run.date} with \`${run.command}\``);
    expect(seven).toContain('1.5, 1.0, 0.5 / 0.2, 0.4, 0.6');
    expect(md.slice(0, md.indexOf('## 7.'))).not.toContain('Measured apart');
  });
});
