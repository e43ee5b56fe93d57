import type { ChangeBenchResults } from './changes';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { batchWriteAll, ensureTable, localClientConfig, mapWithConcurrency, progressReporter, startEmbeddedDynamo, startProgress, type EmbeddedDynamo, type WriteRequest } from '../src/toolkit';
import { createServices, createTable, deleteTable, seedReferenceData, tableDefinition, USER_STATUS_SHARDS, type SeedData, type Services } from '../src/reference';
import { conjuncts, parsePartiql } from '../src/engine';
import { fillerItems } from './filler';
import { MemoryTransport, recordResponses, type RecordedResponse } from './in-memory-transport';
import { seedFullPages } from './full-pages';
import { asyncHooksInForce, type HookCheck } from './hooks';
import { createPairs, patternIds, type PatternPair } from './pairs';
import { createPeerSides, itemsOf, PEERS, type PeerName, type Side } from './peers';
import { seedLibrary, userModelPairs } from './user-model';
import { addedGoalUs } from './goals';
import { compareProfiles, profileSides, type ProfileSummary } from './profile';
import { summarize, timeMs, type Summary } from './stats';
import { rotated } from './interleave';
import { dynamoDbLocalReference, type DynamoDbLocalReference, type EngineBenchResults } from './engine';

export interface BenchOptions {
  /**
   * A running DynamoDB (DynamoDB Local, dynalite, AWS): `--endpoint URL` or DYNAMODB_ENDPOINT. Without
   * it, the project's own engine is started in this process and served on 127.0.0.1: the kit's
   * requests go through the SDK's HTTP stack and a socket, as they would to a DynamoDB on the network.
   */
  endpoint?: string;
  mode: 'full' | 'quick';
  /** Users seeded for the measured data (about 12 items each). */
  seedUsers: number;
  warmup: number;
  endToEndIterations: number;
  inProcessIterations: number;
  /** Calls per side over which allocations are measured (needs --expose-gc). */
  allocationCalls: number;
  profileCalls: number;
  /** Total items in the table for the "large" measurement. */
  largeItems: number;
  scaleIterations: number;
  scanIterations: number;
  bulkItems: number;
  bulkConcurrency: number[];
  /** Orders / memberships / members per dedicated entity of the paged patterns (≥ 26: full pages). */
  fullPageItems: number;
  /** Active users at least in every status shard (≥ 25: every shard's page is full). */
  perShard: number;
  /**
   * 'assert' (npm run bench): fail the run if an async hook is in force at its start or end, so the
   * hand-written side provably runs without one. 'report': only record it (jest itself runs with
   * a hook on, so the quick-mode test cannot assert it in its own process).
   */
  hookCheck?: 'assert' | 'report';
  quiet?: boolean;
}

async function seedWithProgress(services: Services, options: BenchOptions): Promise<SeedData> {
  const progress = progressReporter({ quiet: options.quiet });
  try {
    return await seedReferenceData(services, { users: options.seedUsers, onProgress: progress.onProgress });
  } finally {
    progress.stop();
  }
}

export const FULL: Omit<BenchOptions, 'endpoint' | 'quiet'> = {
  mode: 'full', seedUsers: 80, warmup: 50, endToEndIterations: 400, inProcessIterations: 2000, allocationCalls: 200, profileCalls: 3000,
  largeItems: 100_000, scaleIterations: 200, scanIterations: 2, bulkItems: 5_000, bulkConcurrency: [1, 2, 4, 8, 16], fullPageItems: 60, perShard: 30,
};
export const QUICK: Omit<BenchOptions, 'endpoint' | 'quiet'> = {
  mode: 'quick', seedUsers: 80, warmup: 10, endToEndIterations: 60, inProcessIterations: 300, allocationCalls: 50, profileCalls: 300,
  largeItems: 10_000, scaleIterations: 30, scanIterations: 1, bulkItems: 2_000, bulkConcurrency: [1, 4], fullPageItems: 60, perShard: 30,
};

export interface PeerResult {
  name: PeerName;
  summary: Summary;
  /** peer p50 / hand-written p50 */
  ratio: number;
  /** peer p50 − hand-written p50 (in process: µs). */
  addedUs: number;
}

export interface PairResult {
  pattern: string;
  shape: PatternPair['shape'];
  model: PatternPair['model'];
  /** Items each request of one service call returned (a GetItem: 1; a Query page: its Count). */
  itemsPerRequest: number[];
  peers: PeerResult[];
  service: Summary;
  hand: Summary;
  /** service p50 / hand-written p50 */
  ratio: number;
}

export interface EndToEndResult extends PairResult {
  /** A/A control: the hand-written request against itself, measured in the same iterations. How far
   * from 1 it lands is the noise floor of this run's ratios. */
  control: number;
}

export interface InProcessResult extends PairResult {
  /** A/A control in process: the hand-written call against itself. */
  control: number;
  /** service p50 − hand-written p50, µs: what our layer adds per call. */
  addedUs: number;
  /** Requests the service call sends (listUsersByStatus: one Query per shard). */
  requests: number;
  /** addedUs / requests: the added cost per GetItem or per 25-item Query page. */
  addedPerRequestUs: number;
  /** Heap bytes allocated per call (GC held off), null without --expose-gc. */
  serviceBytes: number | null;
  handBytes: number | null;
  /**
   * The kit and the hand-written request alone (no peer's code between calls), measured right
   * after the run with the peers: how much of the added time is the peers' code evicting the
   * kit's from the CPU caches rather than the kit's own work.
   */
  alone: { service: Summary; hand: Summary; addedUs: number; addedPerRequestUs: number; control: number };
}

export interface ScaleResult {
  pattern: string;
  smallP50: number;
  largeP50: number;
  /** The service calls on each table, ms: p50 / p90 / p99 beside each other. */
  small: Summary;
  large: Summary;
  ratio: number;
  scanSmallP50: number;
  scanLargeP50: number;
  scanSmall: Summary;
  scanLarge: Summary;
  /** How much slower the Scan answer is than the pattern, at the large size. */
  scanOverPattern: number;
}

export interface BulkResult {
  concurrency: number;
  projectItemsPerSecond: number;
  plainItemsPerSecond: number;
  ratio: number;
  /** ms per BatchWriteItem request (from send to answer, at this concurrency), each path. */
  projectRequest: Summary;
  plainRequest: Summary;
}

export interface BenchResults {
  meta: {
    date: string;
    mode: BenchOptions['mode'];
    node: string;
    cpus: number;
    cpuModel: string;
    os: string;
    /** What answered the requests: the embedded engine over HTTP, or the endpoint given. */
    backend: string;
    endpoint: string;
    /** Runs before the engine replaced DynamoDB Local carried these instead of `backend`. */
    java?: string;
    dynamoDbLocal?: string;
    electrodb: string;
    awsSdk: string;
    gcExposed: boolean;
    itemsSmall: number;
    itemsLarge: number;
    peers: Record<PeerName, string>;
    /** Async hooks in force when the run started and when it ended (both must be 0). */
    hooks: { start: HookCheck; end: HookCheck };
    /** The machine's 1, 5 and 15-minute load averages when sections 1-4 started and ended (absent in older runs). */
    load?: { start: number[]; end: number[] };
  };
  endToEnd: EndToEndResult[];
  inProcess: InProcessResult[];
  profile: ProfileSummary;
  scale: ScaleResult[];
  bulk: { items: number; rows: BulkResult[]; best: BulkResult };
  /** The engine section (bench/engine.ts), when it ran. */
  engine?: EngineBenchResults;
  /** DynamoDB Local's figures as published before the engine replaced it (not re-measured). */
  reference?: DynamoDbLocalReference;
  /** Sections 6 and 7 (bench/changes.ts), when they ran. */
  changes?: ChangeBenchResults;
}

/** A package's version, also for packages whose exports hide their package.json (OneTable). */
function versionOf(pkg: string): string {
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version: string };
  try {
    return read(require.resolve(`${pkg}/package.json`)).version;
  } catch {
    for (let dir = dirname(require.resolve(pkg)); dir !== dirname(dir); dir = dirname(dir)) {
      try {
        const p = read(join(dir, 'package.json'));
        if (p.name === pkg) return p.version;
      } catch {
        /* no package.json here: one level up */
      }
    }
    return 'unknown';
  }
}

function machine(): Pick<BenchResults['meta'], 'node' | 'cpus' | 'cpuModel' | 'os' | 'electrodb' | 'awsSdk' | 'gcExposed' | 'peers'> {
  return {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    os: `${platform()} ${release()}`,
    electrodb: versionOf('electrodb'),
    awsSdk: versionOf('@aws-sdk/client-dynamodb'),
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
    peers: { 'ElectroDB .go()': versionOf('electrodb'), 'dynamodb-toolbox': versionOf('dynamodb-toolbox'), OneTable: versionOf('dynamodb-onetable') },
  };
}

/** The project's version (the engine is part of it). */
export function projectVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const p = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version: string };
      if (p.name === 'single-table-kit') return p.version;
    } catch {
      /* no package.json here: one level up */
    }
  }
  return 'unknown';
}

async function countItems(doc: DynamoDBDocumentClient, TableName: string): Promise<number> {
  let n = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new ScanCommand({ TableName, Select: 'COUNT', ExclusiveStartKey: start }));
    n += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return n;
}

/** The sides of a pattern in measuring order: service, hand-written, hand-written again (A/A control), then the peers. */
function sidesOf(pair: PatternPair): [string, Side][] {
  const peers = PEERS.filter((name) => pair.peers[name]).map((name): [string, Side] => [name, pair.peers[name]!]);
  return [['service', pair.service], ['hand', pair.hand], ['hand (A/A)', pair.hand], ...peers];
}

/** Summaries of interleaved samples (ms), scaled (1000: µs), service and peers against the hand-written side. */
function pairResult(pair: PatternPair, sides: [string, Side][], times: number[][], scale: number): Omit<PairResult, 'itemsPerRequest'> {
  const summaries = times.map((t) => summarize(t.map((x) => x * scale)));
  const service = summaries[0]!;
  const hand = summaries[1]!;
  const peers: PeerResult[] = sides.slice(3).map(([name], k) => {
    const summary = summaries[k + 3]!;
    return { name: name as PeerName, summary, ratio: summary.p50 / hand.p50, addedUs: summary.p50 - hand.p50 };
  });
  return { pattern: pair.pattern, shape: pair.shape, model: pair.model, service, hand, ratio: service.p50 / hand.p50, peers };
}

/** Items in one recorded answer: a GetItem's Item (0 or 1), a Query's Count. */
function itemCount(response: RecordedResponse): number {
  const body = JSON.parse(response.body.toString('utf8') || '{}') as { Item?: unknown; Count?: number };
  return body.Count ?? (body.Item ? 1 : 0);
}

/**
 * Before any timing: every contender of every pattern returns the same items as the hand-written
 * request, for two different ids, and they are not nothing. A contender that reads other items
 * (a key typo, a missing filter) would be timed doing other work: the run fails instead.
 */
export async function checkSameItems(pairs: readonly PatternPair[]): Promise<void> {
  for (const pair of pairs) {
    for (const i of [0, 1]) {
      const expected = itemsOf(await pair.hand(i));
      if (expected.length === 0) throw new Error(`${pair.pattern}: the hand-written request returned no items for call ${i}: nothing to compare`);
      for (const [name, side] of sidesOf(pair).filter(([n]) => !n.startsWith('hand'))) {
        const got = itemsOf(await side(i));
        if (JSON.stringify(got) !== JSON.stringify(expected)) {
          const missing = expected.filter((x) => !got.includes(x)).slice(0, 1);
          const extra = got.filter((x) => !expected.includes(x)).slice(0, 1);
          throw new Error(`${pair.pattern}: ${name} returned ${got.length} items, the hand-written request ${expected.length}; missing ${missing.join('') || 'none'}, extra ${extra.join('') || 'none'}`);
        }
      }
    }
  }
}

/** Heap bytes allocated per call, with a collection before and none during (checked). */
async function bytesPerCall(calls: number, fn: (i: number) => Promise<unknown>): Promise<number | null> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return null;
  let collections = 0;
  const observer = new PerformanceObserver((list) => (collections += list.getEntries().length));
  for (let attempt = 0; attempt < 3; attempt += 1) {
    gc();
    collections = 0;
    observer.observe({ entryTypes: ['gc'] });
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < calls; i += 1) await fn(i);
    const after = process.memoryUsage().heapUsed;
    observer.disconnect();
    // A collection during the run would hide allocations: measure again (fewer calls each time).
    if (collections === 0) return (after - before) / calls;
    calls = Math.max(10, Math.floor(calls / 2));
  }
  return null;
}

/** A Scan that answers the same question: every request's key condition (and filter) as a filter over the whole table. */
export function scanEquivalent(TableName: string, requests: readonly Record<string, unknown>[]): ScanCommandInput {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const clauses = requests.map((input, r) => {
    Object.assign(names, input.ExpressionAttributeNames ?? {});
    const rename = (expr: string) => expr.replace(/:([A-Za-z0-9_]+)/g, `:$1_r${r}`);
    for (const [k, v] of Object.entries((input.ExpressionAttributeValues ?? {}) as Record<string, unknown>)) values[`${k}_r${r}`] = v;
    if (typeof input.Statement === 'string') {
      // A PartiQL SELECT: its WHERE's equalities between an attribute and a ? become the filter.
      const parsed = parsePartiql(input.Statement).statement;
      const params = (input.Parameters ?? []) as unknown[];
      const terms = conjuncts(parsed.kind === 'SELECT' ? parsed.where : undefined).flatMap((c) =>
        c.k === 'cmp' && c.op === '=' && c.a.k === 'path' && c.a.steps.length === 0 && c.b.k === 'param' ? [{ field: c.a.root, value: params[c.b.index] }] : [],
      );
      return terms
        .map(({ field, value }, k) => {
          names[`#pq${k}`] = field;
          values[`:pq${k}_r${r}`] = value;
          return `#pq${k} = :pq${k}_r${r}`;
        })
        .join(' AND ');
    }
    if (input.Key) {
      return Object.entries(input.Key as Record<string, unknown>)
        .map(([field, value], k) => {
          names[`#key${k}`] = field;
          values[`:key${k}_r${r}`] = value;
          return `#key${k} = :key${k}_r${r}`;
        })
        .join(' AND ');
    }
    const key = rename(String(input.KeyConditionExpression));
    if (!input.FilterExpression) return key;
    // DynamoDB refuses redundant parentheses: wrap the filter only when it is not wrapped already.
    const filter = rename(String(input.FilterExpression));
    return `(${key}) AND ${/^\(.*\)$/.test(filter) ? filter : `(${filter})`}`;
  });
  const wrap = (c: string) => (clauses.length > 1 ? `(${c})` : c);
  return { TableName, FilterExpression: clauses.map(wrap).join(' OR '), ExpressionAttributeNames: names, ExpressionAttributeValues: values };
}

async function scanAll(doc: DynamoDBDocumentClient, input: ScanCommandInput): Promise<number> {
  let found = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new ScanCommand({ ...input, ExclusiveStartKey: start }));
    found += out.Count ?? 0;
    start = out.LastEvaluatedKey;
  } while (start);
  return found;
}

/** The requests (inputs) one call sends. */
async function requestsOf(client: DynamoDBClient, fn: () => Promise<unknown>): Promise<Record<string, unknown>[]> {
  const seen: Record<string, unknown>[] = [];
  const name = 'benchRequestCapture';
  client.middlewareStack.add(
    (next) => async (args) => {
      seen.push(structuredClone(args.input as Record<string, unknown>));
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    await fn();
  } finally {
    client.middlewareStack.remove(name);
  }
  return seen;
}

/**
 * Latency of every pattern on the small and the large table side by side: within each iteration
 * the two tables alternate (which goes first alternates too), and the patterns go round-robin, so
 * drift on a shared machine falls on both sizes alike. Then the Scan equivalents on each table.
 */
async function measureScale(
  small: { pairs: PatternPair[]; scans: Map<string, ScanCommandInput> },
  large: { pairs: PatternPair[]; scans: Map<string, ScanCommandInput> },
  doc: DynamoDBDocumentClient,
  options: BenchOptions,
): Promise<Map<string, { small: Summary; large: Summary; scanSmall: Summary; scanLarge: Summary }>> {
  const patterns = small.pairs.length;
  const progress = startProgress('latency, small and large table', patterns * 2 * (options.scaleIterations + options.scanIterations), { quiet: options.quiet });
  let done = 0;
  const samples = { small: small.pairs.map((): number[] => []), large: large.pairs.map((): number[] => []) };
  for (let i = 0; i < options.warmup; i += 1) {
    for (let k = 0; k < patterns; k += 1) {
      await small.pairs[k]!.service(i);
      await large.pairs[k]!.service(i);
    }
  }
  for (let i = 0; i < options.scaleIterations; i += 1) {
    for (let k = 0; k < patterns; k += 1) {
      const order = i % 2 === 0 ? (['small', 'large'] as const) : (['large', 'small'] as const);
      for (const size of order) {
        const pair = (size === 'small' ? small : large).pairs[k]!;
        samples[size][k]!.push(await timeMs(() => pair.service(i)));
        progress.update((done += 1));
      }
    }
  }
  const scanTimes = async (scan: ScanCommandInput) => {
    const times: number[] = [];
    for (let i = 0; i < options.scanIterations; i += 1) {
      times.push(await timeMs(() => scanAll(doc, scan)));
      progress.update((done += 1));
    }
    return summarize(times);
  };
  const out = new Map<string, { small: Summary; large: Summary; scanSmall: Summary; scanLarge: Summary }>();
  for (let k = 0; k < patterns; k += 1) {
    const pattern = small.pairs[k]!.pattern;
    out.set(pattern, {
      small: summarize(samples.small[k]!),
      large: summarize(samples.large[k]!),
      scanSmall: await scanTimes(small.scans.get(pattern) as ScanCommandInput),
      scanLarge: await scanTimes(large.scans.get(pattern) as ScanCommandInput),
    });
  }
  progress.stop();
  return out;
}

async function bulkLoad(client: DynamoDBClient, doc: DynamoDBDocumentClient, options: BenchOptions): Promise<BenchResults['bulk']> {
  const table = `bench-bulk-${Date.now().toString(36)}`;
  // The reference table without its stream: DynamoDB Local re-reads a table's stream records on
  // every write to it, so with the stream on, each run would be slower than the one before.
  const definition = tableDefinition({ tableName: table });
  await ensureTable(client, { ...definition, input: { ...definition.input, StreamSpecification: undefined } });
  const progress = startProgress('bulk load', 2 + options.bulkConcurrency.length * 4, { quiet: options.quiet });
  let done = 0;
  let run = 0;
  const items = (tag: string) => fillerItems(doc, table, options.bulkItems, tag);
  const plainLoop = async (requests: WriteRequest[], concurrency: number) => {
    const batches: WriteRequest[][] = [];
    for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
    await mapWithConcurrency(batches, concurrency, (batch) => doc.send(new BatchWriteCommand({ RequestItems: { [table]: batch } })));
  };
  const rate = async (write: () => Promise<unknown>) => options.bulkItems / ((await timeMs(write)) / 1000);
  // Every BatchWriteItem request's time from send to answer, credited to the path being measured.
  let requestTimes: number[] | undefined;
  const timerName = 'benchBatchTimer';
  client.middlewareStack.add(
    (next) => async (args) => {
      const start = process.hrtime.bigint();
      try {
        return await next(args);
      } finally {
        requestTimes?.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
    },
    { step: 'initialize', name: timerName },
  );
  const rows: BulkResult[] = [];
  try {
    // Warm-up, unmeasured: a DynamoDB Local (or a JIT) just started is slower on its first few thousand
    // writes (JIT), which fell on the first measured run alone (project/plain 0.75 at c=1).
    const warmConcurrency = options.bulkConcurrency[0] ?? 1;
    await batchWriteAll(doc, table, items('warm-project'), { concurrency: warmConcurrency });
    progress.update((done += 1));
    await plainLoop(items('warm-plain'), warmConcurrency);
    progress.update((done += 1));
    for (const concurrency of options.bulkConcurrency) {
      const project: number[] = [];
      const plain: number[] = [];
      const requestMs = { project: [] as number[], plain: [] as number[] };
      // A B B A, fresh keys every run: drift and warm-up fall on both sides alike.
      for (const side of ['project', 'plain', 'plain', 'project'] as const) {
        const requests = items(`c${concurrency}r${(run += 1)}`);
        requestTimes = requestMs[side];
        if (side === 'project') project.push(await rate(() => batchWriteAll(doc, table, requests, { concurrency })));
        else plain.push(await rate(() => plainLoop(requests, concurrency)));
        requestTimes = undefined;
        progress.update((done += 1));
      }
      const p = (project[0]! + project[1]!) / 2;
      const q = (plain[0]! + plain[1]!) / 2;
      rows.push({ concurrency, projectItemsPerSecond: p, plainItemsPerSecond: q, ratio: p / q, projectRequest: summarize(requestMs.project), plainRequest: summarize(requestMs.plain) });
    }
  } finally {
    client.middlewareStack.remove(timerName);
    progress.stop();
    await deleteTable(client, table).catch(() => undefined);
  }
  const best = rows.reduce((a, b) => (b.projectItemsPerSecond > a.projectItemsPerSecond ? b : a));
  return { items: options.bulkItems, rows, best };
}

/** Runs every benchmark section and returns the numbers. */
export async function runBenchmarks(options: BenchOptions): Promise<BenchResults> {
  // The hand-written side must run with no hook of ours (or anyone's) in force: checked before
  // anything is loaded into use and again after every contender ran.
  const hookCheck = async (when: string) => {
    const check = await asyncHooksInForce();
    if (check.enabled > 0 && (options.hookCheck ?? 'assert') === 'assert') {
      throw new Error(`an async hook is in force at the ${when} of the benchmark (${check.method}): the hand-written baseline would pay for it`);
    }
    return check;
  };
  const loadStart = loadavg();
  const hooksStart = await hookCheck('start');
  let hooksEnd: HookCheck = hooksStart;
  let embedded: EmbeddedDynamo | undefined;
  const endpoint = options.endpoint ?? (embedded = await startEmbeddedDynamo()).endpoint;
  const backend = embedded ? `single-table-kit engine ${projectVersion()} (embedded in the benchmark process, over HTTP on 127.0.0.1)` : `the endpoint given (${endpoint})`;
  const client = new DynamoDBClient(localClientConfig(endpoint));
  const doc = DynamoDBDocumentClient.from(client);
  const transport = new MemoryTransport();
  const memoryClient = new DynamoDBClient({ ...localClientConfig(endpoint), requestHandler: transport.asRequestHandler() });
  const tableName = `bench-${Date.now().toString(36)}`;
  const tables = [tableName];
  let dropped = false;
  try {
    await createTable(client, { tableName });
    const services: Services = createServices({ client, tableName });
    const seed: SeedData = await seedWithProgress(services, options);
    const full = await seedFullPages(services, {
      perEntity: options.fullPageItems,
      perShard: options.perShard,
      shards: USER_STATUS_SHARDS,
      activeUserIds: seed.users.filter((u) => u.status === 'active').map((u) => u.userId),
      stamp: Date.now().toString(36),
    });
    const itemsSmall = await countItems(doc, tableName);
    const ids = patternIds(seed, full);
    const library = await seedLibrary(client, `${tableName}-library`, 2, options.fullPageItems);
    tables.push(library.table);
    // Every contender of a pattern on the same DynamoDBClient (and the same DocumentClient where a
    // library takes one): the kit's services, the hand-written requests and the peers.
    const contenders = (c: DynamoDBClient, d: DynamoDBDocumentClient, svc: Services): PatternPair[] => {
      const peerSides = createPeerSides(c, d, tableName, ids, USER_STATUS_SHARDS);
      const reference = createPairs(svc, d, tableName, ids, USER_STATUS_SHARDS).map((p) => ({ ...p, peers: peerSides.get(p.pattern) ?? {} }));
      const user = userModelPairs(c, library.table, library.memberIds).map((p) => ({ ...p, model: 'user' as const }));
      return [...reference, ...user];
    };
    const pairs = contenders(client, doc, services);
    const referencePairs = pairs.filter((p) => p.model === 'reference');
    await checkSameItems(pairs);

    // The items each request of a service call returned, from the answers DynamoDB sent.
    const recorder = recordResponses(client);
    const recorded = new Map<string, Map<string, RecordedResponse[]>>();
    for (const pair of pairs) {
      const bySide = new Map<string, RecordedResponse[]>();
      for (const [name, side] of sidesOf(pair)) {
        await side(0);
        bySide.set(name, recorder.take());
      }
      recorded.set(pair.pattern, bySide);
    }
    recorder.detach();
    const itemsPerRequest = (pattern: string) => recorded.get(pattern)!.get('service')!.map(itemCount);

    // 1. End to end, on the database (the embedded engine over HTTP, or the endpoint given): every side once per iteration, the order shuffled.
    const e2eProgress = startProgress('end to end', pairs.length * options.endToEndIterations, { quiet: options.quiet });
    let step = 0;
    const endToEnd: EndToEndResult[] = [];
    for (const pair of pairs) {
      const sides = sidesOf(pair);
      const times = await rotated(
        sides.map(([, side]) => side),
        options.warmup,
        options.endToEndIterations,
        () => e2eProgress.update((step += 1)),
      );
      endToEnd.push({ ...pairResult(pair, sides, times, 1), control: summarize(times[2]!).p50 / summarize(times[1]!).p50, itemsPerRequest: itemsPerRequest(pair.pattern) });
    }
    e2eProgress.stop();

    // 2. In process: the same contenders on a transport that answers each with what DynamoDB
    // answered it (recorded above), so only their own code, the SDK and Node run.
    const memoryDoc = DynamoDBDocumentClient.from(memoryClient);
    const memoryPairs = contenders(memoryClient, memoryDoc, createServices({ client: memoryClient, tableName }));
    // Per pattern: the run with every contender, then the kit and the hand-written request alone.
    const ipProgress = startProgress('in process', memoryPairs.length * options.inProcessIterations * 2, { quiet: options.quiet });
    step = 0;
    const inProcess: InProcessResult[] = [];
    const replaying = (pattern: string, name: string, side: Side) => {
      const responses = recorded.get(pattern)!.get(name)!;
      return async (i: number) => {
        transport.replay(responses);
        await side(i);
      };
    };
    for (const pair of memoryPairs) {
      const sides = sidesOf(pair).map(([name, side]): [string, Side] => [name, replaying(pair.pattern, name, side)]);
      // Always call 0: the recorded answers are those of call 0.
      const times = await rotated(
        sides.map(([, side]) => () => side(0)),
        options.warmup * 4,
        options.inProcessIterations,
        () => ipProgress.update((step += 1)),
      );
      const base = pairResult(pair, sides, times, 1000);
      const requests = recorded.get(pair.pattern)!.get('service')!.length;
      const aloneTimes = await rotated(
        sides.slice(0, 3).map(([, side]) => () => side(0)),
        options.warmup * 4,
        options.inProcessIterations,
        () => ipProgress.update((step += 1)),
      );
      const [aloneService, aloneHand, aloneControl] = aloneTimes.map((t) => summarize(t.map((x) => x * 1000)));
      inProcess.push({
        ...base,
        control: summarize(times[2]!).p50 / summarize(times[1]!).p50,
        itemsPerRequest: itemsPerRequest(pair.pattern),
        addedUs: base.service.p50 - base.hand.p50,
        requests,
        addedPerRequestUs: (base.service.p50 - base.hand.p50) / requests,
        alone: {
          service: aloneService!,
          hand: aloneHand!,
          addedUs: aloneService!.p50 - aloneHand!.p50,
          addedPerRequestUs: (aloneService!.p50 - aloneHand!.p50) / requests,
          control: aloneControl!.p50 / aloneHand!.p50,
        },
        serviceBytes: await bytesPerCall(options.allocationCalls, () => sides[0]![1](0)),
        handBytes: await bytesPerCall(options.allocationCalls, () => sides[1]![1](0)),
      });
    }
    ipProgress.stop();
    // Profile the pattern furthest over its goal (added per request over the goal).
    const worst = inProcess.reduce((x, y) => (y.addedPerRequestUs / addedGoalUs(y.shape) > x.addedPerRequestUs / addedGoalUs(x.shape) ? y : x));
    const worstPair = memoryPairs.find((p) => p.pattern === worst.pattern)!;
    const worstService = replaying(worst.pattern, 'service', worstPair.service);
    const worstHand = replaying(worst.pattern, 'hand', worstPair.hand);
    const sampled = await profileSides(options.profileCalls, () => worstService(0), () => worstHand(0));
    const profile = compareProfiles(worst.pattern, sampled.service, sampled.hand);

    // 3. Flat with size: a second table with the same reference data plus filler items of other
    // users, measured side by side with the first, and the Scan equivalents on both.
    const largeTable = `${tableName}-large`;
    tables.push(largeTable);
    await createTable(client, { tableName: largeTable });
    const largeServices = createServices({ client, tableName: largeTable });
    const largeSeed = await seedWithProgress(largeServices, options);
    const largeFull = await seedFullPages(largeServices, {
      perEntity: options.fullPageItems,
      perShard: options.perShard,
      shards: USER_STATUS_SHARDS,
      activeUserIds: largeSeed.users.filter((u) => u.status === 'active').map((u) => u.userId),
      stamp: Date.now().toString(36),
    });
    const largePairs = createPairs(largeServices, doc, largeTable, patternIds(largeSeed, largeFull), USER_STATUS_SHARDS);
    const fill = fillerItems(doc, largeTable, Math.max(0, options.largeItems - (await countItems(doc, largeTable))), 'grow');
    const fillProgress = startProgress(`growing a table to ${options.largeItems.toLocaleString('en-US')} items`, fill.length, { quiet: options.quiet });
    await batchWriteAll(doc, largeTable, fill, { concurrency: 8, onProgress: ({ done }) => fillProgress.update(done) });
    fillProgress.stop();
    const itemsLarge = await countItems(doc, largeTable);
    const scansOf = async (list: PatternPair[], table: string) => {
      const scans = new Map<string, ScanCommandInput>();
      for (const pair of list) scans.set(pair.pattern, scanEquivalent(table, await requestsOf(client, () => pair.service(0))));
      return scans;
    };
    const measured = await measureScale(
      { pairs: referencePairs, scans: await scansOf(referencePairs, tableName) },
      { pairs: largePairs, scans: await scansOf(largePairs, largeTable) },
      doc,
      options,
    );
    const scale: ScaleResult[] = referencePairs.map((p) => {
      const m = measured.get(p.pattern)!;
      return {
        pattern: p.pattern,
        ...m,
        smallP50: m.small.p50,
        largeP50: m.large.p50,
        scanSmallP50: m.scanSmall.p50,
        scanLargeP50: m.scanLarge.p50,
        ratio: m.large.p50 / m.small.p50,
        scanOverPattern: m.scanLarge.p50 / m.large.p50,
      };
    });

    // 4. Bulk load, after the tables above are dropped (their items no longer in memory).
    for (const table of tables) await deleteTable(client, table);
    dropped = true;
    const bulk = await bulkLoad(client, doc, options);
    hooksEnd = await hookCheck('end');

    return {
      meta: { date: new Date().toISOString(), mode: options.mode, ...machine(), backend, endpoint: embedded ? 'embedded' : endpoint, itemsSmall, itemsLarge, hooks: { start: hooksStart, end: hooksEnd }, load: { start: loadStart, end: loadavg() } },
      endToEnd,
      inProcess,
      profile,
      scale,
      bulk,
      reference: dynamoDbLocalReference(),
    };
  } finally {
    if (!dropped) for (const table of tables) await deleteTable(client, table).catch(() => undefined);
    client.destroy();
    memoryClient.destroy();
    await embedded?.stop();
  }
}
