import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dynamoDbLocalReference, ENGINE_CONTENDERS, engineGoalRows, runEngineBenchmarks, type EngineBenchResults } from '../../bench/engine';
import { ENGINE_GOALS } from '../../bench/goals';
import { benchHeadline } from '../../bench/headline';
import { engineSection } from '../../bench/report';
import type { BenchResults } from '../../bench/benchmarks';

// The engine section runs to completion with sane output; its numbers are not asserted (no timing tests).
describe('the engine section, in a reduced quick mode', () => {
  let results: EngineBenchResults;
  beforeAll(async () => {
    results = await runEngineBenchmarks({
      mode: 'quick',
      seedUsers: 10,
      fullPageItems: 26,
      perShard: 25,
      warmup: 2,
      iterations: 12,
      starts: 1,
      scaleItems: 5_000,
      smallItems: 1_000,
      scaleIterations: 20,
      quiet: true,
    });
  }, 600_000);

  const ordered = (s: { p50: number; p90: number; p99: number }) => s.p50 > 0 && s.p50 <= s.p90 && s.p90 <= s.p99 && Number.isFinite(s.p99);

  it('times every contender on a GetItem and a full 25-item Query page, with the tail', () => {
    expect(results.reads.map((r) => [r.operation, r.pattern, r.items])).toEqual([
      ['GetItem', 'getUserById', 1],
      ['Query', 'listOrganizationMembers', 25],
    ]);
    for (const r of results.reads) {
      expect(r.contenders.map((c) => c.name)).toEqual([...ENGINE_CONTENDERS]);
      for (const c of r.contenders) {
        expect(c.summary.n).toBe(12);
        expect(ordered(c.summary)).toBe(true);
      }
    }
    expect(results.meta.tableItems).toBeGreaterThan(100);
  });

  it('compares with the DynamoDB Local figures as published, in µs', () => {
    const ref = JSON.parse(readFileSync(join(__dirname, '..', '..', 'bench', 'reference-dynamodb-local.json'), 'utf8')) as ReturnType<typeof dynamoDbLocalReference>;
    expect(ref.label).toBe('reference: DynamoDB Local, measured 2026-11-27');
    for (const r of results.reads) {
      const hand = ref.endToEnd.find((x) => x.pattern === r.pattern)!.hand;
      expect(r.reference).toEqual({ p50: hand.p50 * 1000, p95: hand.p95 * 1000, p99: hand.p99 * 1000 });
    }
    // The published GetItem figure the issue quotes (1.23 ms p50 end to end).
    expect(results.reads[0]!.reference.p50).toBeCloseTo(1234.1, 0);
  });

  it('judges each goal from the numbers it shows', () => {
    const rows = engineGoalRows(results);
    const p50 = (op: string, name: string) => results.reads.find((r) => r.operation === op)!.contenders.find((c) => c.name === name)!.summary.p50;
    for (const op of ['GetItem', 'Query']) {
      const r = results.reads.find((x) => x.operation === op)!;
      expect(rows.find((g) => g.goal.startsWith(`${op} (`))!.met).toBe(r.reference.p50 / p50(op, 'engine, in process') >= ENGINE_GOALS.referenceFactor);
      expect(rows.find((g) => g.goal === `${op}, engine, in process vs dynalite, in process (p50)`)!.met).toBe(p50(op, 'engine, in process') < p50(op, 'dynalite, in process'));
      expect(rows.find((g) => g.goal === `${op}, engine, HTTP vs dynalite, HTTP (p50)`)!.met).toBe(p50(op, 'engine, HTTP') < p50(op, 'dynalite, HTTP'));
    }
    expect(rows.filter((g) => g.goal.startsWith('Engine start'))).toHaveLength(2);
    expect(rows.find((g) => g.goal.startsWith('Query of one partition'))!.met).toBe(results.scale.directRatio <= ENGINE_GOALS.scaleRatio);
    expect(rows.find((g) => g.goal.startsWith('Memory'))!.measured).toContain('measured on 5,000 items');
  });

  it('starts the engine and dynalite in fresh processes and reports load and start apart', () => {
    expect(results.start.map((s) => s.mode)).toEqual(['in-process', 'http', 'dynalite']);
    for (const s of results.start) {
      for (const x of [s.load, s.ready, s.start, s.total]) expect(ordered(x)).toBe(true);
      expect(s.ready.p50).toBeLessThanOrEqual(s.start.p50);
      expect(s.total.p50).toBeCloseTo(s.load.p50 + s.start.p50, 6);
    }
  });

  it('measures a Query of one partition on both tables and the memory of every stored item', () => {
    const sc = results.scale;
    expect([sc.small.items, sc.large.items, sc.small.partitions, sc.large.partitions]).toEqual([1_000, 5_000, 40, 200]);
    for (const s of [sc.small.direct, sc.small.sdk, sc.large.direct, sc.large.sdk]) {
      expect(s.n).toBe(20);
      expect(ordered(s)).toBe(true);
    }
    expect(sc.directRatio).toBeCloseTo(sc.large.direct.p50 / sc.small.direct.p50, 9);
    // Each item holds 1 KB of its own random text: the engine cannot keep it in less.
    expect(sc.memory.bytesPerItem).toBeGreaterThan(sc.itemBytes * 0.9);
    expect(sc.memory.projectedMillionBytes).toBeCloseTo(sc.memory.bytesPerItem * 1e6, 0);
    expect(sc.load.itemsPerSecond).toBeGreaterThan(0);
  });

  it('adds the engine to the README headline from the same numbers, and only when the results carry it', () => {
    const published = JSON.parse(readFileSync(join(__dirname, '..', '..', 'bench', 'results.json'), 'utf8')) as BenchResults;
    const line = benchHeadline({ ...published, engine: results });
    const us = (x: number) => Math.round(x).toLocaleString('en-US');
    const get = results.reads[0]!.contenders.find((c) => c.name === 'engine, in process')!.summary;
    expect(line).toContain(`a GetItem takes ${us(get.p50)} µs p50 (p99 ${us(get.p99)}) through the SDK in process`);
    expect(line).toContain("DynamoDB Local's 1,234 µs (reference)");
    expect(line).toContain(`an item of 1024 B holds ${us(results.scale.memory.bytesPerItem)} B of memory`);
    expect(line).not.toMatch(/NaN|Infinity|undefined/);
    // Results without the engine section (a `--only kit` run, or those from before the engine) get no engine line.
    expect(benchHeadline({ ...published, engine: undefined })).not.toContain("The project's engine");
  });

  it('renders the section with every contender, the reference row and no broken number', () => {
    const md = engineSection(results, dynamoDbLocalReference()).join('\n');
    for (const name of ENGINE_CONTENDERS) expect(md).toContain(`| ${name} |`);
    expect(md).toContain('| DynamoDB Local (reference, 2026-11-27; p50 / **p95** / p99) | 1,234 / 2,381 / 4,459 |');
    expect(md).toContain('### Start');
    expect(md).toContain('### Scale: 5,000 items against 1,000');
    expect(md).not.toMatch(/NaN|Infinity|undefined/);
    // Measured with the other sections: no line says otherwise.
    expect(md).not.toContain('Measured apart');
  });

  it('says when the section was measured apart and published into the results', () => {
    const run = { date: '2026-12-05T06:00:00.000Z', command: 'npm run bench -- --only engine', node: 'v20.20.2', load: { start: [0.5, 0.7, 0.9], end: [1, 1, 1] } };
    const md = engineSection({ ...results, run }, dynamoDbLocalReference()).join('\n');
    expect(md).toContain(`Measured apart from the sections above, ${run.date} with \`${run.command}\``);
  });
});
