import type { BenchResults, InProcessResult } from './benchmarks';
import type { EngineBenchResults, EngineReadResult } from './engine';
import { backendName } from './report';
import { addedGoalUs, GOALS } from './goals';

/*
 * The README's speed table, rendered from bench/results.json (the published full run) by
 * `npm run docs`; `docs:check` fails when the README no longer matches the results file.
 */
const f0 = (x: number) => Math.round(x).toLocaleString('en-US');
const f2 = (x: number) => x.toFixed(2);

export function benchHeadline(results: BenchResults): string {
  const rows = results.inProcess.filter((r) => r.model === 'reference' && r.peers.length > 1);
  const peers = [...new Set(rows.flatMap((r) => r.peers.map((p) => p.name)))];
  const added = (r: InProcessResult, name: string) => {
    const p = r.peers.find((x) => x.name === name);
    return p ? f0(p.addedUs) : '–';
  };
  const kitRatios = results.endToEnd.filter((r) => r.model === 'reference').map((r) => r.ratio);
  const controls = results.endToEnd.map((r) => r.control);
  const peerRatios = results.endToEnd.filter((r) => r.model === 'reference').flatMap((r) => r.peers.map((p) => p.ratio));
  const m = results.meta;
  const lines = [
    '',
    `µs a call adds over the same request hand-written with the DocumentClient (in process, p50; ${m.cpus} × ${m.cpuModel}, Node.js ${m.node}, ${m.date.slice(0, 10)}):`,
    '',
    `| Pattern | items | single-table-kit | ${peers.join(' | ')} |`,
    `|---|---|---|${peers.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| \`${r.pattern}\` | ${r.itemsPerRequest.join(' + ')} | **${f0(r.addedUs)}** | ${peers.map((p) => added(r, p)).join(' | ')} |`),
    '',
    `End to end on ${backendName(m)} the kit's reads take ${f2(Math.min(...kitRatios))}–${f2(Math.max(...kitRatios))}× the hand-written request's p50 (the peers ${f2(Math.min(...peerRatios))}–${f2(Math.max(...peerRatios))}×; A/A control ${f2(Math.min(...controls))}–${f2(Math.max(...controls))}).`,
    '',
    aloneLine(results),
    '',
    goalsLine(results),
    '',
    ...(results.engine ? [engineLine(results.engine), ''] : []),
  ];
  return lines.join('\n');
}

/** Which of the speed goals this run met, in one sentence; RESULTS.md has them by pattern. */
function goalsLine(results: BenchResults): string {
  const overGet = results.inProcess.filter((r) => r.shape === 'get' && r.addedPerRequestUs > addedGoalUs('get')).length;
  const overPage = results.inProcess.filter((r) => r.shape === 'query' && r.addedPerRequestUs > addedGoalUs('query')).length;
  const overE2e = results.endToEnd.filter((r) => r.ratio > GOALS.endToEndRatio).length;
  const factors = results.inProcess.filter((r) => r.peers.length > 0 && r.addedUs > 0).map((r) => Math.min(...r.peers.map((p) => p.addedUs)) / r.addedUs);
  const parts = [
    `at least ${GOALS.peerFactor}× less added time than the best peer on every pattern: ${factors.every((f) => f >= GOALS.peerFactor) ? 'met' : 'missed'} (lowest ${Math.min(...factors).toFixed(1)}×)`,
    `≤ ${GOALS.addedGetUs} µs per GetItem: ${overGet ? `missed on ${overGet} of ${results.inProcess.filter((r) => r.shape === 'get').length} patterns` : 'met'}`,
    `≤ ${GOALS.addedQueryUs} µs per Query page: ${overPage ? `missed on ${overPage} of ${results.inProcess.filter((r) => r.shape === 'query').length}` : 'met'}`,
    `≤ ${GOALS.endToEndRatio}× end to end: ${overE2e ? `missed on ${overE2e} of ${results.endToEnd.length}` : 'met'}`,
  ];
  return `Goals in this run: ${parts.join('; ')}. [bench/RESULTS.md](bench/RESULTS.md#goals) says by how much, and where the time goes.`;
}

/** The kit's own work, measured with no peer's code between its calls. */
function aloneLine(results: BenchResults): string {
  const range = (shape: 'get' | 'query') => {
    const v = results.inProcess.filter((r) => r.shape === shape && r.model === 'reference').map((r) => r.alone.addedPerRequestUs);
    return v.length ? `${f0(Math.min(...v))}–${f0(Math.max(...v))} µs` : 'n/a';
  };
  return `Measured alone (only the kit and the hand-written request alternating, so no other library's code pushes the kit's out of the CPU caches between calls), the reference services add ${range('get')} per GetItem and ${range('query')} per Query request.`;
}

/** The engine beside dynalite and DynamoDB Local's reference figures, in one paragraph. */
function engineLine(e: EngineBenchResults): string {
  const at = (r: EngineReadResult, name: string) => r.contenders.find((c) => c.name === name)!.summary;
  const read = (r: EngineReadResult) => {
    const inProcess = at(r, 'engine, in process');
    return `${r.operation === 'GetItem' ? 'a GetItem' : `a ${r.items}-item Query`} takes ${f0(inProcess.p50)} µs p50 (p99 ${f0(inProcess.p99)}) through the SDK in process and ${f0(at(r, 'engine, HTTP').p50)} µs over HTTP, against dynalite's ${f0(at(r, 'dynalite, in process').p50)} and ${f0(at(r, 'dynalite, HTTP').p50)} µs and DynamoDB Local's ${f0(r.reference.p50)} µs (reference); the SDK alone takes ${f0(at(r, 'SDK alone (no engine)').p50)} µs of it, the engine itself ${f0(at(r, 'engine alone (no SDK)').p50)} µs`;
  };
  const start = (mode: string) => e.start.find((s) => s.mode === mode)!;
  const sc = e.scale;
  return [
    `The project's engine (no Java; ${e.meta.mode} run ${e.meta.date.slice(0, 10)}): ${e.reads.map(read).join('; ')}.`,
    `It starts in ${start('in-process').start.p50.toFixed(1)} ms in process and ${start('http').start.p50.toFixed(1)} ms on 127.0.0.1 (p50, modules loaded);`,
    `a Query of one partition of a ${sc.large.items.toLocaleString('en-US')}-item table takes ${f2(sc.directRatio)}× its time on a ${sc.small.items.toLocaleString('en-US')}-item table, and an item of ${sc.itemBytes} B holds ${f0(sc.memory.bytesPerItem)} B of memory.`,
    '[bench/RESULTS.md](bench/RESULTS.md#5-the-engine-beside-dynalite-and-dynamodb-local-start-scale-and-memory) has the tails and the goals.',
  ].join(' ');
}
