import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FULL, QUICK, runBenchmarks } from './benchmarks';
import { dynamoDbLocalReference, ENGINE_FULL, ENGINE_QUICK, engineGoalRows, runEngineBenchmarks, type EngineBenchResults } from './engine';
import { CHANGES_FULL, CHANGES_QUICK, changeGoalRows, runChangeBenchmarks, runMigrateBenchmark, runStreamBenchmark, type ChangeBenchResults, type SectionRun } from './changes';
import { resultsMarkdown, ratiosSvg, GOALS, addedGoal, goalRows, peerFactor, engineSection, referenceBlock } from './report';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const SECTIONS = ['all', 'kit', 'engine', 'streams', 'migrate'] as const;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      endpoint: { type: 'string' },
      only: { type: 'string', default: 'all' },
      publish: { type: 'string' },
    },
  });
  if (values.publish) return publishSection(values.publish);
  const quick = values.quick ?? false;
  const only = values.only as (typeof SECTIONS)[number];
  if (!SECTIONS.includes(only)) throw new Error(`--only: one of ${SECTIONS.join(', ')} (got ${JSON.stringify(values.only)})`);
  const endpoint = values.endpoint ?? process.env.DYNAMODB_ENDPOINT;
  // Only a full run of every section may overwrite the published results, and only unless told where.
  const publish = !quick && only === 'all';
  const out = values.out ? resolve(values.out) : publish ? resolve(__dirname, '..', '..') : mkdtempSync(join(tmpdir(), 'stk-bench-'));
  const command = `npm run bench${quick || only !== 'all' || values.endpoint ? ' --' : ''}${quick ? ' --quick' : ''}${only !== 'all' ? ` --only ${only}` : ''}${values.endpoint ? ` --endpoint ${values.endpoint}` : ''}`;
  mkdirSync(out, { recursive: true });
  const lines: string[] = [];

  if (only === 'engine') {
    const { run, value: engine } = await measuredApart(command, () => runEngineBenchmarks(quick ? ENGINE_QUICK : ENGINE_FULL));
    const reference = dynamoDbLocalReference();
    writeFileSync(join(out, 'engine.json'), `${JSON.stringify({ section: 'engine', mode: quick ? 'quick' : 'full', run, engine, reference }, null, 2)}\n`);
    const md = [`# Engine benchmark`, '', `Measured ${engine.meta.date} with \`${command}\` (${engine.meta.mode} mode) on ${engine.meta.cpus} × ${engine.meta.cpuModel}, Node.js ${engine.meta.node}.`, '', ...engineSection(engine, reference), '', ...referenceBlock(reference), ''];
    writeFileSync(join(out, 'ENGINE.md'), `${md.join('\n')}\n`);
    if (values.json) process.stdout.write(`${JSON.stringify({ engine, reference }, null, 2)}\n`);
    lines.push(...engineLines(engine), `written: ${join(out, 'ENGINE.md')}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  }

  if (only === 'streams' || only === 'migrate') {
    const options = quick ? CHANGES_QUICK : CHANGES_FULL;
    const { run, value } = await measuredApart(command, async () => ({
      streams: only === 'streams' ? await runStreamBenchmark(options) : undefined,
      migrate: only === 'migrate' ? await runMigrateBenchmark(options) : undefined,
    }));
    const { streams, migrate } = value;
    writeFileSync(join(out, `${only}.json`), `${JSON.stringify({ section: only, mode: quick ? 'quick' : 'full', run, streams, migrate }, null, 2)}\n`);
    if (values.json) process.stdout.write(`${JSON.stringify({ streams, migrate }, null, 2)}\n`);
    else {
      if (streams) lines.push(...streamLines(streams));
      if (migrate) lines.push(...migrateLines(migrate));
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return 0;
  }

  const results = await runBenchmarks({ ...(quick ? QUICK : FULL), endpoint, hookCheck: 'assert' });
  if (only === 'all') results.engine = await runEngineBenchmarks(quick ? ENGINE_QUICK : ENGINE_FULL);
  if (only === 'all') results.changes = await runChangeBenchmarks(quick ? CHANGES_QUICK : CHANGES_FULL);
  writeFileSync(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(out, 'ratios.svg'), ratiosSvg(results));
  writeFileSync(join(out, 'RESULTS.md'), resultsMarkdown(results, command));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    return 0;
  }
  lines.push(
    ...results.endToEnd.map((r, i) => {
      const ip = results.inProcess[i]!;
      const sc = results.scale.find((s) => s.pattern === r.pattern);
      const factor = peerFactor(ip);
      const peers = ip.peers.map((p) => `${p.name} +${Math.round(p.addedUs)}`).join(', ');
      return `${r.pattern.padEnd(27)} items ${r.itemsPerRequest.join('+').padStart(5)}  e2e ${r.ratio.toFixed(2)} (A/A ${r.control.toFixed(2)})  added ${Math.round(ip.addedUs).toString().padStart(4)} µs, ${Math.round(ip.addedPerRequestUs)} per request (≤${addedGoal(ip.shape)})${factor !== undefined ? `  peers: ${peers} (${Number.isFinite(factor) ? factor.toFixed(1) : '∞'}×)` : ''}${sc ? `  large/small ${sc.ratio.toFixed(2)}  Scan ${Math.round(sc.scanOverPattern)}×` : ''}`;
    }),
    ...goalRows(results).map((g) => `goal ${g.goal} ${g.target}: ${g.met ? 'met' : 'MISSED'} (${g.measured})`),
    `async hooks in force: ${results.meta.hooks.start.enabled} at start, ${results.meta.hooks.end.enabled} at end (${results.meta.hooks.start.method})`,
    `bulk load: best concurrency ${results.bulk.best.concurrency}, ${Math.round(results.bulk.best.projectItemsPerSecond)} items/s; project/plain ${results.bulk.rows.map((r) => r.ratio.toFixed(2)).join(' ')} (goal ≥ ${GOALS.bulkRatio})`,
    ...(results.engine ? engineLines(results.engine) : []),
    ...(results.changes ? [...streamLines(results.changes.streams), ...migrateLines(results.changes.migrate), ...changeGoalRows(results.changes).map((g) => `goal ${g.goal} ${g.target}: ${g.met ? 'met' : 'MISSED'} (${g.measured})`)] : []),
    `written: ${join(out, 'RESULTS.md')}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** Runs one section alone and records the run (when, how, and the machine's load around it) for --publish. */
async function measuredApart<T>(command: string, measure: () => Promise<T>): Promise<{ run: SectionRun; value: T }> {
  const load = () => loadavg().map((x) => Math.round(x * 100) / 100);
  const start = load();
  const date = new Date().toISOString();
  const value = await measure();
  return { run: { date, command, node: process.version, load: { start, end: load() } }, value };
}

/**
 * Publishes one section measured apart (the file `--only streams|migrate` wrote, in full mode)
 * into the published results: the section is replaced, the run it came from recorded beside it
 * and shown under its heading, and RESULTS.md and ratios.svg rendered again. Every other section
 * keeps its figures and its own run.
 */
function publishSection(file: string): number {
  // bench/, whether this runs compiled (bench/.tmp/bench/run.js) or from its source.
  const published = __filename.endsWith('.js') ? resolve(__dirname, '..', '..') : __dirname;
  const section = JSON.parse(readFileSync(resolve(file), 'utf8')) as { section?: string; mode?: string; run?: SectionRun; engine?: EngineBenchResults; streams?: ChangeBenchResults['streams']; migrate?: ChangeBenchResults['migrate'] };
  if (section.section !== 'engine' && section.section !== 'streams' && section.section !== 'migrate') throw new Error(`--publish: ${file} is not a section written by --only engine, streams or migrate`);
  if (section.mode !== 'full' || !section.run) throw new Error(`--publish: ${file} was measured in ${section.mode ?? 'an unknown'} mode: only full runs are published`);
  const results = JSON.parse(readFileSync(join(published, 'results.json'), 'utf8')) as Parameters<typeof resultsMarkdown>[0] & { meta: { mode: string } };
  if (section.section === 'engine') {
    if (!section.engine) throw new Error(`--publish: ${file} holds no engine results`);
    results.engine = { ...section.engine, run: section.run };
  } else {
    if (!results.changes) throw new Error('--publish: the published results have no sections 6 and 7 to replace');
    if (section.section === 'streams' && section.streams) results.changes.streams = section.streams;
    else if (section.section === 'migrate' && section.migrate) results.changes.migrate = section.migrate;
    else throw new Error(`--publish: ${file} holds no ${section.section} results`);
    results.changes.runs = { ...results.changes.runs, [section.section]: section.run };
  }
  writeFileSync(join(published, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(published, 'ratios.svg'), ratiosSvg(results));
  writeFileSync(join(published, 'RESULTS.md'), resultsMarkdown(results, 'npm run bench'));
  process.stdout.write(`published ${section.section} (${section.run.date}) into ${join(published, 'results.json')} and RESULTS.md\n`);
  return 0;
}

function streamLines(s: ChangeBenchResults['streams']): string[] {
  return [
    `streams: ${s.records} records, lag write -> handler p50 ${s.lag.p50.toFixed(2)} ms, p90 ${s.lag.p90.toFixed(2)}, p99 ${s.lag.p99.toFixed(2)}; one consumer ${Math.round(s.throughput.recordsPerSecond)} records/s`,
  ];
}

function migrateLines(m: ChangeBenchResults['migrate']): string[] {
  return [
    ...m.segments.map((r) => `migrate: ${r.items} items, ${String(r.segments).padStart(2)} segment(s): ${r.seconds.toFixed(1)} s, ${Math.round(r.itemsPerSecond)} items/s (${r.writeUnits} WCU)`),
    `migrate: budget ${m.budget.budget} WCU/s: mean ${m.budget.meanPerSecond.toFixed(1)}, 10 s windows ${m.budget.lowestWindowPerSecond.toFixed(1)} to ${m.budget.worstWindowPerSecond.toFixed(1)} WCU/s`,
  ];
}

function engineLines(engine: Awaited<ReturnType<typeof runEngineBenchmarks>>): string[] {
  const us = (x: number) => Math.round(x).toLocaleString('en-US');
  return [
    ...engine.reads.flatMap((r) => r.contenders.map((c) => `engine ${r.operation.padEnd(7)} ${c.name.padEnd(24)} p50 ${us(c.summary.p50).padStart(6)} µs  p90 ${us(c.summary.p90).padStart(6)}  p99 ${us(c.summary.p99).padStart(6)}`)),
    ...engine.start.map((s) => `start ${s.mode.padEnd(10)} load p50 ${s.load.p50.toFixed(1)} ms; start p50 ${s.start.p50.toFixed(2)} ms, p99 ${s.start.p99.toFixed(2)} ms`),
    `scale: Query of one partition, ${engine.scale.large.items} vs ${engine.scale.small.items} items: ${engine.scale.directRatio.toFixed(2)} (engine alone), ${engine.scale.sdkRatio.toFixed(2)} (SDK in process); ${Math.round(engine.scale.memory.bytesPerItem)} B per ${engine.scale.itemBytes} B item; load ${Math.round(engine.scale.load.itemsPerSecond)} items/s`,
    ...engineGoalRows(engine).map((g) => `goal ${g.goal} ${g.target}: ${g.met ? 'met' : 'MISSED'} (${g.measured})`),
  ];
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
