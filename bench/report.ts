import type { BenchResults, EndToEndResult, InProcessResult } from './benchmarks';
import { ENGINE_CONTENDERS, engineGoalRows, type DynamoDbLocalReference, type EngineBenchResults, type EngineReadResult } from './engine';
import { tail, type Summary } from './stats';
import { addedGoalUs, GOALS } from './goals';
import { PEERS, type PeerName } from './peers';
import { changeGoalRows, type ChangeBenchResults, type SectionRun } from './changes';

export { GOALS, addedGoalUs };

const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const f0 = (x: number) => Math.round(x).toLocaleString('en-US');
const kb = (x: number | null) => (x === null ? 'n/a' : (x / 1024).toFixed(1));
const mark = (ok: boolean) => (ok ? 'met' : '**missed**');

function table(head: string[], rows: (string | number)[][]): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** Kept for run.ts: the in-process goal per request of a row. */
export const addedGoal = addedGoalUs;

const peerOf = (r: EndToEndResult | InProcessResult, name: PeerName) => r.peers.find((p) => p.name === name);

/** The best (least added) peer of an in-process row, if any peer models the pattern. */
export function bestPeer(r: InProcessResult): { name: PeerName; addedUs: number } | undefined {
  return r.peers.reduce<{ name: PeerName; addedUs: number } | undefined>((best, p) => (!best || p.addedUs < best.addedUs ? { name: p.name, addedUs: p.addedUs } : best), undefined);
}

/** How many times less the kit adds than the best peer (Infinity when the kit adds nothing). */
export function peerFactor(r: InProcessResult): number | undefined {
  const best = bestPeer(r);
  if (!best) return undefined;
  return r.addedUs <= 0 ? Infinity : best.addedUs / r.addedUs;
}

/** Where the end-to-end requests went, in a few words (runs from before the engine: DynamoDB Local). */
export function backendName(meta: BenchResults['meta']): string {
  if (!meta.backend) return 'DynamoDB Local';
  return meta.endpoint === 'embedded' ? 'the engine over HTTP' : meta.endpoint;
}

const ms2 = (s: Summary) => tail(s, f2);
const us0 = (s: Summary) => tail(s, f0);
/** Percentile by percentile, a − b: what a side adds at the median and in the tail. */
const minus = (a: Summary, b: Summary): Summary => ({ ...a, mean: a.mean - b.mean, p50: a.p50 - b.p50, p90: a.p90 - b.p90, p95: a.p95 - b.p95, p99: a.p99 - b.p99 });

const pages = (r: { itemsPerRequest: number[] }) => (r.itemsPerRequest.length === 1 ? String(r.itemsPerRequest[0]) : r.itemsPerRequest.join(' + '));

/** Grouped horizontal bars: one group per pattern, one bar per contender. */
function barPanel(title: string, top: number, patterns: string[], series: { name: string; color: string; values: (number | undefined)[] }[], unit: string, goal?: number): { svg: string[]; height: number } {
  const left = 230;
  const width = 520;
  const bar = 6;
  const group = series.length * bar + 8;
  const legendTop = top + 22;
  const plotTop = legendTop + Math.ceil(series.length / 2) * 16 + 6;
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== undefined && Number.isFinite(v)));
  const max = Math.max(goal ?? 0, ...all, 1e-9) * 1.05;
  const min = Math.min(0, ...all);
  const x = (v: number) => left + ((Math.min(v, max) - min) / (max - min)) * width;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const out: string[] = [`<text x="10" y="${top + 14}" font-size="13" font-weight="bold">${esc(title)}</text>`];
  series.forEach((s, i) => {
    const lx = 10 + (i % 2) * 330;
    const ly = legendTop + Math.floor(i / 2) * 16;
    out.push(`<rect x="${lx}" y="${ly}" width="10" height="10" fill="${s.color}"/><text x="${lx + 16}" y="${ly + 9}">${esc(s.name)}</text>`);
  });
  patterns.forEach((p, row) => {
    const y0 = plotTop + row * group;
    out.push(`<text x="${left - 6}" y="${y0 + (series.length * bar) / 2 + 4}" text-anchor="end">${esc(p)}</text>`);
    series.forEach((s, i) => {
      const v = s.values[row];
      if (v === undefined || !Number.isFinite(v)) return;
      const x0 = x(Math.min(0, v));
      out.push(`<rect x="${x0.toFixed(1)}" y="${y0 + i * bar}" width="${Math.max(0.5, Math.abs(x(v) - x(0))).toFixed(1)}" height="${bar - 1}" fill="${s.color}"><title>${esc(p)}, ${esc(s.name)}: ${v.toFixed(2)} ${esc(unit)}</title></rect>`);
    });
  });
  const axisY = plotTop + patterns.length * group;
  out.push(`<line x1="${x(0)}" y1="${plotTop - 4}" x2="${x(0)}" y2="${axisY}" stroke="black" stroke-width="1"/>`);
  if (goal !== undefined) {
    out.push(`<line x1="${x(goal)}" y1="${plotTop - 4}" x2="${x(goal)}" y2="${axisY}" stroke="#999" stroke-dasharray="3,3"/>`);
    out.push(`<text x="${x(goal) + 3}" y="${plotTop - 6}" fill="#666">goal ${goal}</text>`);
  }
  // At least four ticks: halve a power of ten until the range holds four steps.
  let step = Math.pow(10, Math.floor(Math.log10(max - min)));
  while ((max - min) / step < 4) step /= 2;
  for (let t = Math.ceil(min / step) * step; t <= max; t += step) out.push(`<text x="${x(t)}" y="${axisY + 14}" text-anchor="middle">${Number(t.toPrecision(3))}</text>`);
  out.push(`<text x="${left + width}" y="${axisY + 28}" text-anchor="end" fill="#666">${esc(unit)}</text>`);
  return { svg: out, height: axisY + 36 - top };
}

const COLORS: Record<string, string> = { 'single-table-kit': '#e15759', 'ElectroDB .go()': '#4e79a7', 'dynamodb-toolbox': '#f28e2b', OneTable: '#59a14f' };

/** The peers side by side: in process, µs added over hand-written per call; end to end, p50 over hand-written. */
export function ratiosSvg(results: BenchResults): string {
  const contenders = ['single-table-kit', ...PEERS];
  const ip = results.inProcess;
  const e2e = results.endToEnd;
  const valueOf = (r: EndToEndResult | InProcessResult, name: string, field: 'addedUs' | 'ratio') =>
    name === 'single-table-kit' ? (field === 'addedUs' ? (r as InProcessResult).addedUs : r.ratio) : peerOf(r, name as PeerName)?.[field];
  const first = barPanel(
    `In process: µs added over the hand-written request, p50 per call (${results.meta.date.slice(0, 10)}, ${results.meta.mode})`,
    0,
    ip.map((r) => r.pattern),
    contenders.map((name) => ({ name, color: COLORS[name] ?? '#999', values: ip.map((r) => valueOf(r, name, 'addedUs')) })),
    'µs added per call',
  );
  const second = barPanel(
    `End to end on ${backendName(results.meta)}: p50 / hand-written p50`,
    first.height + 10,
    e2e.map((r) => r.pattern),
    contenders.map((name) => ({ name, color: COLORS[name] ?? '#999', values: e2e.map((r) => valueOf(r, name, 'ratio')) })),
    'ratio to hand-written',
    GOALS.endToEndRatio,
  );
  const height = first.height + 10 + second.height;
  return `${[`<svg xmlns="http://www.w3.org/2000/svg" width="800" height="${height}" font-family="sans-serif" font-size="11">`, '<rect width="100%" height="100%" fill="white"/>', ...first.svg, ...second.svg, '</svg>'].join('\n')}\n`;
}

/** The goals, each with what was measured and by how much a missed one is missed. */
export function goalRows(results: BenchResults): { goal: string; target: string; measured: string; met: boolean }[] {
  const reads = results.endToEnd;
  const e2eWorst = reads.reduce((a, b) => (b.ratio > a.ratio ? b : a));
  const e2eMiss = reads.filter((r) => r.ratio > GOALS.endToEndRatio);
  const controls = reads.map((r) => r.control);
  const ipMiss = results.inProcess.filter((r) => r.addedPerRequestUs > addedGoalUs(r.shape));
  const worstPerRequest = (shape: 'get' | 'query') => {
    const rows = results.inProcess.filter((r) => r.shape === shape);
    return rows.length ? rows.reduce((a, b) => (b.addedPerRequestUs > a.addedPerRequestUs ? b : a)) : undefined;
  };
  const withPeers = results.inProcess.filter((r) => r.peers.length > 0);
  const peerMiss = withPeers.filter((r) => (peerFactor(r) ?? Infinity) < GOALS.peerFactor);
  const worstFactor = withPeers.reduce<InProcessResult | undefined>((a, b) => (!a || (peerFactor(b) ?? Infinity) < (peerFactor(a) ?? Infinity) ? b : a), undefined);
  const g = worstPerRequest('get');
  const q = worstPerRequest('query');
  return [
    {
      goal: 'End to end, service / hand-written p50',
      target: `≤ ${GOALS.endToEndRatio} every read pattern`,
      measured: `${e2eMiss.length ? `over on ${e2eMiss.map((r) => `${r.pattern} ${f2(r.ratio)} (+${f2(r.ratio - GOALS.endToEndRatio)})`).join(', ')}` : `worst ${e2eWorst.pattern} ${f2(e2eWorst.ratio)}`}; A/A control ${f2(Math.min(...controls))}–${f2(Math.max(...controls))}`,
      met: e2eMiss.length === 0,
    },
    {
      goal: 'In process, added per GetItem (p50)',
      target: `≤ ${GOALS.addedGetUs} µs`,
      measured: g ? `worst ${g.pattern} ${f0(g.addedPerRequestUs)} µs${g.addedPerRequestUs > GOALS.addedGetUs ? ` (${f0(g.addedPerRequestUs - GOALS.addedGetUs)} µs over)` : ''}` : 'n/a',
      met: !ipMiss.some((r) => r.shape === 'get'),
    },
    {
      goal: 'In process, added per Query page (p50)',
      target: `≤ ${GOALS.addedQueryUs} µs per 25-item page`,
      measured: q
        ? `${ipMiss.filter((r) => r.shape === 'query').length ? `over on ${ipMiss.filter((r) => r.shape === 'query').map((r) => `${r.pattern} ${f0(r.addedPerRequestUs)} (+${f0(r.addedPerRequestUs - GOALS.addedQueryUs)})`).join(', ')}` : `worst ${q.pattern} ${f0(q.addedPerRequestUs)} µs`}`
        : 'n/a',
      met: !ipMiss.some((r) => r.shape === 'query'),
    },
    {
      goal: 'In process, added time: best peer / single-table-kit',
      target: `≥ ${GOALS.peerFactor}× every pattern with peers`,
      measured: worstFactor
        ? `${peerMiss.length ? `under on ${peerMiss.map((r) => `${r.pattern} ${f1(peerFactor(r)!)}× (best peer ${bestPeer(r)!.name} +${f0(bestPeer(r)!.addedUs)} µs, kit +${f0(r.addedUs)} µs)`).join(', ')}` : `lowest ${worstFactor.pattern} ${f1(peerFactor(worstFactor)!)}×`}`
        : 'n/a',
      met: peerMiss.length === 0,
    },
  ];
}

/** RESULTS.md: the machine, the command, every table, goal by goal, and the profile. */
export function resultsMarkdown(results: BenchResults, command: string): string {
  const m = results.meta;
  const where = backendName(m);
  const scaleWorst = Math.max(...results.scale.map((r) => r.ratio));
  const bulkWorst = Math.min(...results.bulk.rows.map((r) => r.ratio));
  const hooks = `${m.hooks.start.enabled} at start, ${m.hooks.end.enabled} at end (${m.hooks.start.method})`;
  const out: string[] = [];
  out.push('# Benchmark results', '');
  out.push(`Measured ${m.date} with \`${command}\` (${m.mode} mode).`, '');
  out.push(table(['Machine', ''], [
    ['CPU', `${m.cpus} × ${m.cpuModel}`], ['OS', m.os], ['Node.js', m.node],
    ...(m.backend ? [['DynamoDB (sections 1-4)', m.backend]] : [['Java', m.java ?? 'unknown'], ['DynamoDB Local', m.dynamoDbLocal ?? 'unknown']]),
    ...(results.engine ? [['dynalite (section 5)', results.engine.meta.dynalite]] : []),
    ['ElectroDB', m.electrodb], ['dynamodb-toolbox', m.peers['dynamodb-toolbox']], ['dynamodb-onetable', m.peers.OneTable], ['@aws-sdk/client-dynamodb', m.awsSdk],
    ['Table sizes', `${m.itemsSmall.toLocaleString('en-US')} and ${m.itemsLarge.toLocaleString('en-US')} items`],
    ['Async hooks in force', hooks],
    ...(m.load ? [['Load average (1, 5, 15 min) at start / end', `${m.load.start.map((n) => n.toFixed(1)).join(', ')} / ${m.load.end.map((n) => n.toFixed(1)).join(', ')} (on ${m.cpus} cores: above ${m.cpus} other work was waiting for the CPU)`]] : []),
  ]));
  out.push('', 'The machine is shared and noisy: read ratios measured side by side in one run, not absolute times across runs. Every latency is given as **p50 / p90 / p99** (nearest rank) of its samples: the median and the tail beside it; ratios and goals use the p50.', '');
  out.push(`No async hook was in force when the run started or when it ended (${hooks}): the hand-written baseline runs in a process where nothing of the kit (nor anything else) makes every promise pay for a hook. The run fails if one is.`, '');
  out.push('![the peers side by side](ratios.svg)', '');
  out.push('## Goals', '');
  out.push(table(['Goal', 'Target', 'Measured', ''], goalRows(results).map((g) => [g.goal, g.target, g.measured, mark(g.met)])));
  out.push('', table(['Other goal', 'Target', 'Measured', ''], [
    ['Large / small table p50', `≤ ${GOALS.scaleRatio} every read pattern`, `worst ${f2(scaleWorst)}`, mark(scaleWorst <= GOALS.scaleRatio)],
    ['Bulk load, project / plain loop', `≥ ${GOALS.bulkRatio}`, `worst ${f2(bulkWorst)}`, mark(bulkWorst >= GOALS.bulkRatio)],
  ]));
  if (results.engine) {
    out.push('', 'The engine\'s goals (section 5):', '');
    out.push(table(['Engine goal', 'Target', 'Measured', ''], engineGoalRows(results.engine).map((g) => [g.goal, g.target, g.measured, mark(g.met)])));
  }
  if (results.changes) {
    out.push('', 'Streams and migrations (sections 6 and 7):', '');
    out.push(table(['Goal', 'Target', 'Measured', ''], changeGoalRows(results.changes).map((g) => [g.goal, g.target, g.measured, mark(g.met)])));
  }
  out.push('', 'The contenders: **single-table-kit** (the reference services, or for the `library.*` rows a user\'s own services on the request helpers), the **hand-written** DocumentClient request for the same question (raw items, no validation or shaping), **ElectroDB `.go()`** on the same entities (as users call it by default: without `{ originalErr: true }` ElectroDB builds an error object with a stack trace on every call, and that is part of what it costs), **dynamodb-toolbox** and **OneTable** modelling the same items with the same key strings ElectroDB writes. Every contender runs on the same AWS SDK module instances and the same DynamoDBClient. Before timing, each one\'s result is checked to hold the same items as the hand-written request (for two different ids); the run fails if not. Patterns a peer does not model have no value in its column.', '');
  const peerCols = (r: EndToEndResult | InProcessResult, field: 'ratio' | 'latency' | 'added') => PEERS.map((name) => {
    const p = peerOf(r, name);
    if (!p) return '–';
    return field === 'ratio' ? f2(p.ratio) : field === 'latency' ? ms2(p.summary) : us0(minus(p.summary, r.hand));
  });
  const e2eRows = (rows: EndToEndResult[]) => table(
    ['Pattern', 'items per request', 'hand-written ms p50 / p90 / p99', 'kit ms p50 / p90 / p99', 'kit ratio', ...PEERS.flatMap((p) => [`${p} ms p50 / p90 / p99`, `${p} ratio`]), 'A/A control'],
    rows.map((r) => {
      const latency = peerCols(r, 'latency');
      const ratio = peerCols(r, 'ratio');
      return [r.pattern, pages(r), ms2(r.hand), ms2(r.service), f2(r.ratio), ...PEERS.flatMap((_, k) => [latency[k]!, ratio[k]!]), f2(r.control)];
    }),
  );
  const ipRows = (rows: InProcessResult[]) => table(
    ['Pattern', 'requests', 'items per request', 'hand-written µs p50 / p90 / p99', 'kit added µs p50 / p90 / p99', 'added per request', 'goal µs', ...PEERS.map((p) => `${p} added µs p50 / p90 / p99`), 'best peer / kit', 'A/A control', 'kit KB', 'hand KB'],
    rows.map((r) => {
      const factor = peerFactor(r);
      return [
        r.pattern, r.requests, pages(r), us0(r.hand), us0(minus(r.service, r.hand)), f0(r.addedPerRequestUs), `≤ ${addedGoalUs(r.shape)}${r.addedPerRequestUs <= addedGoalUs(r.shape) ? '' : ' (missed)'}`,
        ...peerCols(r, 'added'), factor === undefined ? '–' : Number.isFinite(factor) ? `${f1(factor)}×` : 'kit adds nothing', f2(r.control), kb(r.serviceBytes), kb(r.handBytes),
      ];
    }),
  );
  const controlWorst = Math.max(...results.endToEnd.map((r) => Math.abs(r.control - 1)));
  const reference = <T extends { model: string }>(rows: T[]) => rows.filter((r) => r.model === 'reference');
  const user = <T extends { model: string }>(rows: T[]) => rows.filter((r) => r.model === 'user');
  out.push('', `## 1. End to end (${where}, interleaved after warm-up)`, '');
  if (m.backend) out.push(`${m.endpoint === 'embedded' ? 'The requests go to the project\'s own engine, started in the benchmark process and served on 127.0.0.1: every request goes through the SDK\'s HTTP handler, a socket and the engine\'s HTTP server, the closest this machine has to a DynamoDB on the network (and the engine\'s work runs on the same event loop as the client\'s). `--endpoint URL` or DYNAMODB_ENDPOINT runs these sections against another DynamoDB (a DynamoDB Local of your own, AWS).' : `The requests go to ${m.endpoint} (\`--endpoint\` / DYNAMODB_ENDPOINT).`} DynamoDB Local's figures from before the engine are kept below as the reference (not re-measured: this run needs no Java).`, '');
  out.push(`Latency in ms over ${results.endToEnd[0]?.service.n ?? 0} calls per contender; ratios are p50 / hand-written p50. Each iteration calls every contender once, in a new (seeded, shuffled) order every iteration, so each runs in every position and after every other about equally often; "A/A control" is the hand-written request measured a second time in the same iterations, over the first: its distance from 1 (up to ${f2(controlWorst)} in this run) is how far apart two identical sides land on this machine. "Items per request" is what each request of one kit call returned (from DynamoDB's answers): paged patterns read users and organizations seeded with ${'≥'} 60 orders, memberships and members, so their pages are full.`, '');
  out.push(e2eRows(reference(results.endToEnd)));
  if (results.reference) out.push('', ...referenceBlock(results.reference));
  out.push('', '## 2. In process (SDK request handler answering recorded responses from memory)', '');
  out.push(`Microseconds per call (${results.inProcess[0]?.service.n ?? 0} interleaved calls per contender, the order shuffled every iteration); each contender is answered with the responses the database of section 1 gave it, so only its own code, the SDK and Node run. "Added" is the contender's latency minus the hand-written one at the same percentile (p50 / p90 / p99): what a layer costs over the SDK's own work (DocumentClient, marshalling, middleware, signing), at the median and in the tail. KB allocated per call with a collection before and none during (${m.gcExposed ? 'node --expose-gc' : 'not measured: run with --expose-gc'}).`, '');
  out.push('`requests` is how many requests one call sends (listUsersByStatus reads one Query page from each of its 4 write shards); the goal applies per request (p50). "best peer / kit" is how many times more the best peer adds than the kit at the p50 (goal ≥ 2×).', '');
  out.push(ipRows(reference(results.inProcess)));
  out.push('', '### The kit alone', '');
  out.push(`The same kit and hand-written calls measured again right after, with no peer between them (${results.inProcess[0]?.alone.service.n ?? 0} shuffled iterations of the kit, the hand-written request and its A/A control). Between the calls of the run above, the peers' code (hundreds of µs of it per call) pushes the kit's code and data out of the CPU caches, which the hand-written side, running only SDK code the peers also run, does not suffer as much; in an application the kit shares the CPU with the application's own code, so the run above is the one the goals are judged on, and this one shows the kit's own work.`, '');
  out.push(table(['Pattern', 'requests', 'hand-written µs p50 / p90 / p99', 'kit added µs alone p50 / p90 / p99', 'added per request alone', 'added among the peers', 'A/A control'], results.inProcess.map((r) => [
    r.pattern, r.requests, us0(r.alone.hand), us0(minus(r.alone.service, r.alone.hand)), f0(r.alone.addedPerRequestUs), f0(r.addedUs), f2(r.alone.control),
  ])));
  out.push('', '## Your own model through the request helpers', '');
  out.push('`library.*` is a model that is not the reference model (bench/user-model.ts): its own service name, key attributes (PK/SK, GSI1PK/GSI1SK), key shapes and table, with services written as a user would, from the public barrel only: `bindPatterns` + `getItem` / `queryPage` + `ParamsTemplates`. Against the same request by hand and ElectroDB `.go()`, in the same sections.', '');
  out.push('End to end:', '', e2eRows(user(results.endToEnd)), '', 'In process:', '', ipRows(user(results.inProcess)));
  const p = results.profile;
  out.push('', `### Where the added time goes: ${p.pattern} (furthest from its goal)`, '');
  out.push(`CPU profiles (sampling every 50 µs) of ${p.calls.toLocaleString('en-US')} service calls and ${p.calls.toLocaleString('en-US')} hand-written calls on the memory transport, taken in alternating blocks (service, hand-written, service, ...) so that the machine's drift lands on both sides: ${f0(p.serviceUsPerCall)} µs against ${f0(p.handUsPerCall)} µs of wall time per call (profiling slows both, so these µs are larger than the p50s above). Self time per call by where the code lives: totals over all calls divided by the calls, so this table, unlike the others, has no percentiles. The kit's own code, zod and the generated item copiers (\`(anonymous)\`) run only on the service side, so their rows are what the layer itself spends; the rows of code both sides run (AWS SDK, Node.js, V8) differ by what the layer makes the SDK do and by noise that is large on this shared machine (compare the wall times).`, '');
  out.push(table(['Area', 'service µs', 'hand-written µs', 'added µs'], p.byArea.filter((a) => Math.abs(a.addedUs) >= 0.5 || a.serviceUs >= 1).map((a) => [a.area, f1(a.serviceUs), f1(a.handUs), f1(a.addedUs)])), '');
  out.push('Functions whose self time grows most:', '');
  out.push(table(['Function', 'area', 'added µs per call'], p.topAdded.map((t) => [`\`${t.fn}\``, t.area, f1(t.addedUs)])));
  out.push('', `## 3. Flat with size (${m.itemsSmall.toLocaleString('en-US')} vs ${m.itemsLarge.toLocaleString('en-US')} items)`, '');
  out.push(`Two tables in the same database (${where}) with the same reference data; the large one also holds filler users, orders and items of other users (dated 2020, so the partitions the patterns read keep their contents, while the status partitions grow). Service latency in ms, the two tables measured side by side (alternating, patterns round-robin), and a Scan that answers the same question (every request's key condition as a filter over the whole table, all pages; ${results.scale[0]?.scanSmall?.n ?? 0} Scans per table and pattern, so its p90 and p99 are its slowest). The ratio is large p50 / small p50.`, '');
  // getUserById reads one item from a partition the filler never touches: its ratio is what the
  // database itself adds with size, the floor for every pattern.
  const floor = results.scale.find((r) => r.pattern === 'getUserById')?.ratio;
  if (floor !== undefined) out.push(`A GetItem of an item whose partition the filler never touches (getUserById) is ${f2(floor)}× ${floor >= 1 ? 'slower' : 'as slow'} on the large table: that is the database's own cost of holding ${m.itemsLarge.toLocaleString('en-US')} items instead of ${m.itemsSmall.toLocaleString('en-US')}, the floor under every pattern on it. "Over floor" divides each ratio by it.`, '');
  const lat = (s: Summary | undefined, p50: number, f: (x: number) => string) => (s ? tail(s, f) : f(p50));
  out.push(table(['Pattern', 'small ms p50 / p90 / p99', 'large ms p50 / p90 / p99', 'ratio', ...(floor !== undefined ? ['over floor'] : []), 'Scan small ms p50 / p90 / p99', 'Scan large ms p50 / p90 / p99', 'Scan / pattern (large)'], results.scale.map((r) => [
    r.pattern, lat(r.small, r.smallP50, f2), lat(r.large, r.largeP50, f2), f2(r.ratio), ...(floor !== undefined ? [f2(r.ratio / floor)] : []), lat(r.scanSmall, r.scanSmallP50, f1), lat(r.scanLarge, r.scanLargeP50, f1), `${f0(r.scanOverPattern)}×`,
  ])));
  out.push('', `## 4. Bulk load (${results.bulk.items.toLocaleString('en-US')} items per run, runs A B B A)`, '');
  out.push('Into the reference table without its stream (DynamoDB Local, when it is the endpoint, re-reads a table\'s stream records on every write, so each run would be slower than the last), after one unmeasured run of each path. `batchWriteAll` is the project\'s bulk path (25-item batches, `concurrency` in flight, unprocessed items re-sent with backoff); the plain loop sends the same batches once each. Items are filler users, orders and order items as the entities write them. Throughput is items over the wall time of a run (two runs each, averaged); the request columns are each BatchWriteItem\'s time from send to answer at that concurrency.', '');
  out.push(table(['Concurrency', 'batchWriteAll items/s', 'plain BatchWriteItem loop items/s', 'ratio', 'batchWriteAll request ms p50 / p90 / p99', 'plain loop request ms p50 / p90 / p99'], results.bulk.rows.map((r) => [
    r.concurrency, f0(r.projectItemsPerSecond), f0(r.plainItemsPerSecond), f2(r.ratio), r.projectRequest ? ms2(r.projectRequest) : '–', r.plainRequest ? ms2(r.plainRequest) : '–',
  ])));
  out.push('', `Best concurrency on this machine: ${results.bulk.best.concurrency} (${f0(results.bulk.best.projectItemsPerSecond)} items/s).`, '');
  if (results.engine) out.push(...engineSection(results.engine, results.reference));
  if (results.changes) out.push(...changesSection(results.changes));
  return `${out.join('\n')}\n`;
}

/** DynamoDB Local's published end-to-end figures, labelled as such (they are not re-measured). */
export function referenceBlock(ref: DynamoDbLocalReference): string[] {
  const ms = (s: { p50: number; p95: number; p99: number }) => `${f2(s.p50)} / ${f2(s.p95)} / ${f2(s.p99)}`;
  return [
    `### ${ref.label}`,
    '',
    `The same hand-written requests and kit calls, end to end on DynamoDB Local (${String(ref.machine.dynamoDbLocal)}, Java: ${String(ref.machine.java)}) on this machine, as published by \`${ref.command}\` at ${ref.measured}. Copied from bench/reference-dynamodb-local.json, not measured by this run. ${ref.note} So these rows give **p50 / p95 / p99**.`,
    '',
    table(['Pattern', 'items per request', 'hand-written ms p50 / p95 / p99', 'kit ms p50 / p95 / p99'], ref.endToEnd.map((r) => [r.pattern, r.itemsPerRequest.length === 1 ? String(r.itemsPerRequest[0]) : r.itemsPerRequest.join(' + '), ms(r.hand), ms(r.service)])),
  ];
}

/** Section 5: the engine beside dynalite, the SDK alone and DynamoDB Local's reference figures. */
export function engineSection(e: EngineBenchResults, ref: DynamoDbLocalReference | undefined): string[] {
  const out: string[] = [];
  const get = e.reads.find((r) => r.operation === 'GetItem');
  const query = e.reads.find((r) => r.operation === 'Query');
  const cell = (r: EngineReadResult | undefined, name: string) => {
    const c = r?.contenders.find((x) => x.name === name);
    return c ? us0(c.summary) : '–';
  };
  const factor = (r: EngineReadResult | undefined, name: string) => {
    const c = r?.contenders.find((x) => x.name === name);
    return c && r ? `${f1(r.reference.p50 / c.summary.p50)}×` : '–';
  };
  out.push('', '## 5. The engine: beside dynalite and DynamoDB Local, start, scale and memory', '');
  if (e.run) out.push(sectionRunLine(e.run), '');
  out.push(`The project's own engine (${e.meta.engine}) and dynalite ${e.meta.dynalite} (in memory, tables ACTIVE at once), each holding the same ${e.meta.tableItems.toLocaleString('en-US')} items of the reference model (seeded through the services on the engine, copied to dynalite: dynalite has no transactions). The requests are the hand-written DocumentClient requests of two patterns, the very requests whose DynamoDB Local figures are the reference: a GetItem (\`${get?.pattern ?? '–'}\`) and a ${query?.items ?? 25}-item Query page (\`${query?.pattern ?? '–'}\`). All contenders run in one loop, interleaved (a seeded shuffle every iteration, ${get?.contenders[0]?.summary.n ?? 0} iterations after warm-up), and before timing every one that returns items is checked to return the same items.`, '');
  out.push(`- **in process**: the SDK's \`requestHandler\` hands the serialized request to the engine (\`engineRequestHandler\`), no socket${e.meta.inProcessRequests === 'unsigned' ? ', with `embeddedClientConfig`\'s settings: requests are not signed (nothing leaves the process)' : ''}; for dynalite, its own HTTP request listener called with an in-memory request and response${e.meta.inProcessRequests === 'unsigned' ? ' (signed: dynalite refuses a request without a signature)' : ''}.`, '- **HTTP**: a server on 127.0.0.1 in this process (`startEngineServer`; dynalite\'s own server), the SDK\'s HTTP handler with keep-alive.', '- **SDK alone (no engine)**: the engine\'s in-process client answered from memory with the engine\'s own recorded answer: what the SDK and DocumentClient cost by themselves, the floor under every in-process figure.', '- **engine alone (no SDK)**: the engine given the wire request the SDK built (JSON text in, JSON text out, through `engineRequestHandler`): the engine\'s own work.', '');
  out.push(`µs per call, p50 / p90 / p99. "vs DynamoDB Local" is the reference p50 (${ref?.label ?? 'reference'}) over the contender's p50.`, '');
  out.push(table(['Contender', 'GetItem µs p50 / p90 / p99', 'vs DynamoDB Local', `Query (${query?.items ?? 25} items) µs p50 / p90 / p99`, 'vs DynamoDB Local'], [
    ...ENGINE_CONTENDERS.map((name) => [name, cell(get, name), factor(get, name), cell(query, name), factor(query, name)]),
    [`DynamoDB Local (reference, ${ref?.measured.slice(0, 10) ?? '–'}; p50 / **p95** / p99)`, get ? `${f0(get.reference.p50)} / ${f0(get.reference.p95)} / ${f0(get.reference.p99)}` : '–', '1.0×', query ? `${f0(query.reference.p50)} / ${f0(query.reference.p95)} / ${f0(query.reference.p99)}` : '–', '1.0×'],
  ]));
  out.push('', '### Start', '');
  out.push(`${e.start[0]?.load.n ?? 0} starts per mode, each in a fresh Node process (modes interleaved); the clock starts on the first line of the child script, so Node's own start is not counted. "Load" is loading the modules (the engine's, or dynalite's); "start" is from loaded modules to the first answer: \`createEngine()\` and its answer to ListTables (in process), \`startEngineServer({ port: 0 })\` listening on 127.0.0.1 and its answer to a ListTables POST (HTTP), dynalite in memory listening and its answer to the same POST. "Ready" stops the clock earlier: the engine created, or the server listening, before any request (the first request also pays for the first use of Node's HTTP client and parser in that process).`, '');
  out.push(table(['Mode', 'load ms p50 / p90 / p99', 'ready ms p50 / p90 / p99', 'start (to the first answer) ms p50 / p90 / p99', 'load + start ms p50 / p90 / p99'], e.start.map((s) => [
    s.mode === 'in-process' ? 'engine, in process' : s.mode === 'http' ? 'engine, HTTP' : 'dynalite, HTTP', tail(s.load, f1), s.ready ? tail(s.ready, f2) : '–', tail(s.start, f2), tail(s.total, f1),
  ])));
  const sc = e.scale;
  const mib = (b: number) => `${(b / 2 ** 20).toLocaleString('en-US', { maximumFractionDigits: 0 })} MiB`;
  out.push('', `### Scale: ${sc.large.items.toLocaleString('en-US')} items against ${sc.small.items.toLocaleString('en-US')}`, '');
  out.push(`In a fresh process (node --expose-gc), one engine holds three tables (pk, sk) of items of ${sc.itemBytes} bytes by DynamoDB's size rules (each with its own random data), ${sc.perPartition} items per partition, loaded through BatchWriteItem (25 items a request, the bodies parsed from JSON text as the wire gives them) at ${f0(sc.load.itemsPerSecond)} items/s (${f1(sc.load.seconds)} s for the large table). Then a Query of one whole partition (${sc.perPartition} items), a random partition every call, the six sides (three tables, two paths) interleaved (${sc.small.direct.n} iterations): on the engine alone (the wire request through \`engineRequestHandler\`: JSON text in, JSON text out, no SDK) and through the SDK in process.`, '');
  out.push(table(['Table', 'items', 'partitions', 'Query, engine alone µs p50 / p90 / p99', 'Query, SDK in process µs p50 / p90 / p99'], [
    ['small', sc.small.items.toLocaleString('en-US'), sc.small.partitions.toLocaleString('en-US'), us0(sc.small.direct), us0(sc.small.sdk)],
    ...(sc.mid ? [['mid', sc.mid.items.toLocaleString('en-US'), sc.mid.partitions.toLocaleString('en-US'), us0(sc.mid.direct), us0(sc.mid.sdk)]] : []),
    ['large', sc.large.items.toLocaleString('en-US'), sc.large.partitions.toLocaleString('en-US'), us0(sc.large.direct), us0(sc.large.sdk)],
    ['large / small (p50)', '', '', f2(sc.directRatio), f2(sc.sdkRatio)],
    ...(sc.mid && sc.directRatioMid !== undefined && sc.sdkRatioMid !== undefined ? [['large / mid (p50)', '', '', f2(sc.directRatioMid), f2(sc.sdkRatioMid)]] : []),
  ]));
  if (sc.mid) out.push('', `The small table's ${sc.small.items.toLocaleString('en-US')} items (about ${f0((sc.small.items * sc.itemBytes) / 2 ** 20)} MiB) stay in the CPU's caches between calls; the mid table (${sc.mid.items.toLocaleString('en-US')} items) and the large one do not, so every Query of theirs reads its ${sc.perPartition} items from main memory. Large / mid is the growth with the table's size once neither table fits in the caches: what a Query's algorithm (a hash lookup of the partition, a binary search within it) adds with size; large / small adds the caches' effect on top.`);
  out.push('', `Memory: heapUsed + external grew by ${mib(sc.memory.heapAndExternalBytes)} for the ${sc.large.items.toLocaleString('en-US')} items of the large table (after a full collection before and after; RSS grew by ${mib(sc.memory.rssBytes)}): **${f0(sc.memory.bytesPerItem)} bytes per stored item of ${sc.itemBytes} bytes**, so 1,000,000 such items take ${(sc.memory.projectedMillionBytes / 2 ** 30).toFixed(2)} GiB${sc.large.items >= 1_000_000 ? ' (measured)' : ' (projected from this run; the full run measures a million)'}.`, '');
  return out;
}

/** The line under a section measured apart from the rest of the results. */
function sectionRunLine(run: SectionRun): string {
  return `Measured apart from the sections above, ${run.date} with \`${run.command}\` (Node.js ${run.node}; load average at start / end ${run.load.start.map((n) => n.toFixed(1)).join(', ')} / ${run.load.end.map((n) => n.toFixed(1)).join(', ')}), then published into these results with \`npm run bench -- --publish FILE\`.`;
}

/** Sections 6 and 7: a stream consumer's lag and throughput, and a migration's throughput and budget. */
export function changesSection(c: ChangeBenchResults): string[] {
  const out: string[] = [];
  const s = c.streams;
  out.push('', '## 6. A stream consumer on the engine', '');
  if (c.runs?.streams) out.push(sectionRunLine(c.runs.streams), '');
  out.push(`One consumer (\`startStreamConsumer\` from single-table-kit/testing) with Lambda's defaults (batch size 100, no batching window, per-shard order) on the embedded engine in process, in a fresh process. **Lag**: ${s.records.toLocaleString('en-US')} puts, one at a time and each awaited, while the consumer runs; a record's lag is from the start of its put to its handler being called (so it includes the write itself). **Throughput**: ${s.records.toLocaleString('en-US')} records written first, then one consumer reads them from TRIM_HORIZON until drained.`, '');
  out.push(table(['Measure', 'Value'], [
    ['lag, write start to handler, ms p50 / p90 / p99', ms2(s.lag)],
    ['lag by the consumer\'s own clock (record created to handler done), ms p50 / p99', `${s.consumerLag.p50 ?? '–'} / ${s.consumerLag.p99 ?? '–'}`],
    ['invocations during the lag run', f0(s.lagInvocations)],
    ['throughput, records/s through one consumer', f0(s.throughput.recordsPerSecond)],
    ['backlog drained in', `${f2(s.throughput.seconds)} s, ${f0(s.throughput.invocations)} invocations`],
  ]));
  const m = c.migrate;
  const first = m.segments[0];
  out.push('', '## 7. A migration backfill on the engine', '');
  if (c.runs?.migrate) out.push(sectionRunLine(c.runs.migrate), '');
  out.push(`\`runMigration\` (what \`migrate run\` does) on the library fixture, every loan written in its version-0 layout first, so every item moves: read by a parallel Scan, put in the new layout and the old key deleted in one transaction, conditioned on the item being unchanged since it was read, with a checkpoint per segment. The embedded engine in process, a fresh process per row (${first ? `${first.items.toLocaleString('en-US')} items` : '–'}, loaded into the engine directly before the clock starts). The engine runs on the same single thread as the migration, so segments overlap only the waiting, not the engine's work: on DynamoDB, where each segment's requests are served in parallel, segments scale further.`, '');
  out.push(table(['Segments', 'items', 'seconds', 'items/s', 'WCU consumed', 'RCU consumed', 'load items/s'], m.segments.map((r) => [r.segments, r.items.toLocaleString('en-US'), f1(r.seconds), f0(r.itemsPerSecond), f0(r.writeUnits), f0(r.readUnits), f0(r.load.itemsPerSecond)])));
  const b = m.budget;
  out.push('', `**Budget**: \`maxWriteUnits: ${b.budget}\` (\`--max-wcu ${b.budget}\`), ${b.segments} segments, ${b.items.toLocaleString('en-US')} items of ${f1(b.writeUnitsPerItem)} WCU each (a table sized to take about ${f0((b.items * b.writeUnitsPerItem) / b.budget)} s at that budget). The WCU the migration's own writes consumed, summed over every 10 s window ${b.writeSeconds !== undefined ? `inside the rewrite (from the first write's answer to the last's, ${f1(b.writeSeconds)} of the run's ${f1(b.seconds)} s: the counts and verification around it write nothing)` : 'inside the run'} (one every 250 ms, ${f0(b.windows)} windows):`, '');
  out.push(table(['Measure', 'WCU/s'], [
    ['budget', f0(b.budget)],
    [b.writeSeconds !== undefined ? 'mean over the rewrite' : 'mean over the run', f1(b.meanPerSecond)],
    ['lowest 10 s window', f1(b.lowestWindowPerSecond)],
    ['highest 10 s window', f1(b.worstWindowPerSecond)],
  ]));
  return out;
}
