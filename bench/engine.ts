import { DynamoDBClient, CreateTableCommand, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, platform, release } from 'node:os';
import { dirname, join } from 'node:path';
import { createEngine, engineRequestHandler, startEngineServer, type EngineHttpRequest } from '../src/engine';
import { embeddedClientConfig, localClientConfig, progressReporter, startProgress } from '../src/toolkit';
import { createPairs, patternIds } from './pairs';
import { createServices, createTable, seedReferenceData, tableDefinition, USER_STATUS_SHARDS } from '../src/reference';
import type { SectionRun } from './changes';
import { runChild } from './children';
import type { EngineScaleResult } from './engine-scale-child';
import { seedFullPages } from './full-pages';
import { ENGINE_GOALS } from './goals';
import { MemoryTransport, recordResponses, type RecordedResponse } from './in-memory-transport';
import { itemsOf, type Side } from './peers';
import { rotated } from './interleave';
import { summarize, type Summary } from './stats';

export type { EngineScaleResult };

/** The DynamoDB Local figures published before the engine replaced it (bench/reference-dynamodb-local.json). */
export interface DynamoDbLocalReference {
  label: string;
  measured: string;
  command: string;
  machine: Record<string, string | number>;
  note: string;
  endToEnd: {
    pattern: string;
    model: string;
    shape: 'get' | 'query';
    itemsPerRequest: number[];
    hand: { n: number; mean: number; p50: number; p95: number; p99: number };
    service: { n: number; mean: number; p50: number; p95: number; p99: number };
  }[];
}

export function dynamoDbLocalReference(): DynamoDbLocalReference {
  // Beside this file in bench/, and two levels up from the compiled bench/.tmp/bench/.
  for (const dir of [__dirname, join(__dirname, '..', '..')]) {
    try {
      return JSON.parse(readFileSync(join(dir, 'reference-dynamodb-local.json'), 'utf8')) as DynamoDbLocalReference;
    } catch {
      /* not here */
    }
  }
  throw new Error('bench/reference-dynamodb-local.json not found');
}

export interface EngineBenchOptions {
  mode: 'full' | 'quick';
  /** Users of the reference seed, and the full-page entities (as in the other sections). */
  seedUsers: number;
  fullPageItems: number;
  perShard: number;
  warmup: number;
  /** Interleaved iterations per operation (every contender once each). */
  iterations: number;
  /** Fresh processes per start mode. */
  starts: number;
  /** Items of the large table of the scale measurement, and of the small one. */
  scaleItems: number;
  smallItems: number;
  scaleIterations: number;
  quiet?: boolean;
}

export const ENGINE_FULL: EngineBenchOptions = { mode: 'full', seedUsers: 80, fullPageItems: 60, perShard: 30, warmup: 200, iterations: 3000, starts: 30, scaleItems: 1_000_000, smallItems: 1_000, scaleIterations: 3000 };
export const ENGINE_QUICK: EngineBenchOptions = { mode: 'quick', seedUsers: 30, fullPageItems: 30, perShard: 25, warmup: 50, iterations: 400, starts: 8, scaleItems: 100_000, smallItems: 1_000, scaleIterations: 500 };

/** The contenders of the read comparison, in this order in every table. */
export const ENGINE_CONTENDERS = ['engine, in process', 'engine, HTTP', 'dynalite, in process', 'dynalite, HTTP', 'SDK alone (no engine)', 'engine alone (no SDK)'] as const;
export type EngineContender = (typeof ENGINE_CONTENDERS)[number];

export interface EngineReadResult {
  /** GetItem or Query (25 items). */
  operation: 'GetItem' | 'Query';
  /** The reference model's pattern whose hand-written request is sent (the one the reference figures measured). */
  pattern: string;
  items: number;
  /** µs per call, p50 / p90 / p99. */
  contenders: { name: EngineContender; summary: Summary }[];
  /** DynamoDB Local's figures for the same hand-written request (µs; p95, not p90, was recorded). */
  reference: { p50: number; p95: number; p99: number };
}

export interface StartResult {
  mode: 'in-process' | 'http' | 'dynalite';
  /** ms: loading the modules, from loaded to the first answer, and both (Node's own start excluded). */
  load: Summary;
  /** ms from loaded modules until ready: the engine created, or the server listening (no request yet). */
  ready: Summary;
  start: Summary;
  total: Summary;
}

export interface EngineBenchResults {
  meta: { date: string; mode: EngineBenchOptions['mode']; node: string; cpus: number; cpuModel: string; os: string; engine: string; dynalite: string; awsSdk: string; tableItems: number; /** How the engine's in-process client sends requests (absent in runs before it stopped signing them). */ inProcessRequests?: 'unsigned' };
  reads: EngineReadResult[];
  start: StartResult[];
  scale: EngineScaleResult;
  /** Present when the section was measured apart from the rest of the results and published with `--publish`. */
  run?: SectionRun;
}

function versionOf(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

function projectVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const p = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version: string };
      if (p.name === 'single-table-kit') return p.version;
    } catch {
      /* one level up */
    }
  }
  return 'unknown';
}

/**
 * dynalite without its socket: its own request listener called with an in-memory request and
 * response, so that "in process" compares engine code with engine code.
 */
function dynaliteInProcess(server: Server): NonNullable<DynamoDBClientConfig['requestHandler']> {
  const listener = server.listeners('request')[0] as (req: unknown, res: unknown) => void;
  const handler = {
    metadata: { handlerProtocol: 'http/1.1' },
    handle(request: EngineHttpRequest): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } }> {
      return new Promise((resolve) => {
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(request.headers)) if (v !== undefined) headers[k.toLowerCase()] = v;
        const req = Object.assign(new EventEmitter(), { headers, method: request.method, url: request.path ?? '/' });
        const out: Record<string, string> = {};
        const res = {
          statusCode: 200,
          setHeader(name: string, value: unknown) {
            out[name.toLowerCase()] = String(value);
          },
          end(body?: string | Uint8Array) {
            resolve({ response: { statusCode: res.statusCode, headers: out, body: typeof body === 'string' ? Buffer.from(body) : (body ?? new Uint8Array()) } });
          },
        };
        listener(req, res);
        // The bytes the SDK serialized, as a socket would carry them (its body is a Uint8Array subclass).
        const body = request.body;
        const bytes = body instanceof Uint8Array ? Buffer.from(body.buffer, body.byteOffset, body.byteLength) : typeof body === 'string' ? Buffer.from(body) : undefined;
        if (bytes && bytes.length > 0) req.emit('data', bytes);
        req.emit('end');
      });
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs() {
      return {};
    },
    destroy() {},
  };
  return handler as unknown as NonNullable<DynamoDBClientConfig['requestHandler']>;
}

/** The engine's request handler, remembering the last request it saw (the wire form the SDK built). */
function recordingEngineHandler(handler: ReturnType<typeof engineRequestHandler>): { handler: NonNullable<DynamoDBClientConfig['requestHandler']>; last(): EngineHttpRequest } {
  let last: EngineHttpRequest | undefined;
  const wrapped = {
    ...handler,
    metadata: { handlerProtocol: 'http/1.1' },
    handle(request: EngineHttpRequest) {
      last = { method: request.method, headers: { ...request.headers }, body: request.body };
      return handler.handle(request);
    },
  };
  return {
    handler: wrapped as unknown as NonNullable<DynamoDBClientConfig['requestHandler']>,
    last: () => {
      if (!last) throw new Error('no request recorded');
      return last;
    },
  };
}

async function startDynalite(): Promise<{ server: Server; endpoint: string }> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const dynalite = require('dynalite') as (options: Record<string, unknown>) => Server;
  // In memory (no path), tables ACTIVE at once, as the engine's are.
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Copies every item of a table to another client's table (dynalite has no transactions: the services cannot seed it). */
async function copyTable(from: DynamoDBDocumentClient, to: DynamoDBDocumentClient, TableName: string): Promise<number> {
  let start: Record<string, unknown> | undefined;
  let copied = 0;
  do {
    const page = await from.send(new ScanCommand({ TableName, ExclusiveStartKey: start }));
    const items = page.Items ?? [];
    for (let i = 0; i < items.length; i += 25) {
      let pending: Record<string, unknown>[] | undefined = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
      while (pending && pending.length > 0) {
        const out = await to.send(new BatchWriteCommand({ RequestItems: { [TableName]: pending as never } }));
        pending = out.UnprocessedItems?.[TableName] as Record<string, unknown>[] | undefined;
      }
    }
    copied += items.length;
    start = page.LastEvaluatedKey;
  } while (start);
  return copied;
}

/** Starts in fresh processes, the modes interleaved (in-process, http, dynalite, in-process, ...). */
async function measureStarts(options: EngineBenchOptions): Promise<StartResult[]> {
  const modes = ['in-process', 'http', 'dynalite'] as const;
  const samples = new Map(modes.map((m) => [m, { load: [] as number[], ready: [] as number[], start: [] as number[], total: [] as number[] }]));
  const progress = startProgress('engine start, fresh processes', options.starts * modes.length, { quiet: options.quiet });
  let done = 0;
  for (let i = 0; i < options.starts; i += 1) {
    for (const mode of i % 2 === 0 ? modes : [...modes].reverse()) {
      const r = await runChild<{ loadMs: number; readyMs: number; startMs: number; totalMs: number }>('engine-start-child', [mode], { quiet: true });
      const s = samples.get(mode)!;
      s.load.push(r.loadMs);
      s.ready.push(r.readyMs);
      s.start.push(r.startMs);
      s.total.push(r.totalMs);
      progress.update((done += 1));
    }
  }
  progress.stop();
  return modes.map((mode) => {
    const s = samples.get(mode)!;
    return { mode, load: summarize(s.load), ready: summarize(s.ready), start: summarize(s.start), total: summarize(s.total) };
  });
}

/** The engine section: reads side by side with dynalite, start time, scale and memory. */
export async function runEngineBenchmarks(options: EngineBenchOptions): Promise<EngineBenchResults> {
  const reference = dynamoDbLocalReference();
  const engine = createEngine();
  const server = await startEngineServer({ engine, port: 0 });
  const dyn = await startDynalite();
  const recording = recordingEngineHandler(engineRequestHandler(engine));
  // The engine in process and the SDK alone have the client settings embeddedClientConfig gives
  // (unsigned requests); dynalite refuses a request without a signature
  // (MissingAuthenticationTokenException), so its clients sign, as a user's would; so do all HTTP ones.
  const inProcessConfig = embeddedClientConfig(engine);
  const clients: Record<Exclude<EngineContender, 'engine alone (no SDK)'>, DynamoDBClient> = {
    'engine, in process': new DynamoDBClient({ ...inProcessConfig, requestHandler: recording.handler }),
    'engine, HTTP': new DynamoDBClient(localClientConfig(server.endpoint)),
    'dynalite, in process': new DynamoDBClient({ ...localClientConfig('http://dynalite.in-process.invalid'), requestHandler: dynaliteInProcess(dyn.server) }),
    'dynalite, HTTP': new DynamoDBClient(localClientConfig(dyn.endpoint)),
    'SDK alone (no engine)': new DynamoDBClient({ ...inProcessConfig, requestHandler: new MemoryTransport().asRequestHandler() }),
  };
  const transport = (clients['SDK alone (no engine)'].config.requestHandler as unknown as MemoryTransport);
  const tableName = `bench-engine-${Date.now().toString(36)}`;
  try {
    // The reference table and data, seeded through the services on the engine, then copied to dynalite.
    const inProcess = clients['engine, in process'];
    await createTable(inProcess, { tableName });
    const services = createServices({ client: inProcess, tableName });
    const progress = progressReporter({ quiet: options.quiet });
    const seed = await seedReferenceData(services, { users: options.seedUsers, onProgress: progress.onProgress });
    progress.stop();
    const full = await seedFullPages(services, {
      perEntity: options.fullPageItems,
      perShard: options.perShard,
      shards: USER_STATUS_SHARDS,
      activeUserIds: seed.users.filter((u) => u.status === 'active').map((u) => u.userId),
      stamp: Date.now().toString(36),
    });
    const definition = tableDefinition({ tableName });
    await clients['dynalite, HTTP'].send(new CreateTableCommand({ ...definition.input, StreamSpecification: undefined }));
    const docs = Object.fromEntries(Object.entries(clients).map(([name, c]) => [name, DynamoDBDocumentClient.from(c)])) as Record<keyof typeof clients, DynamoDBDocumentClient>;
    const tableItems = await copyTable(docs['engine, in process'], docs['dynalite, HTTP'], tableName);
    const ids = patternIds(seed, full);
    const chosen = { GetItem: 'getUserById', Query: 'listOrganizationMembers' } as const;
    const handOf = (doc: DynamoDBDocumentClient, pattern: string): Side => createPairs(services, doc, tableName, ids, USER_STATUS_SHARDS).find((p) => p.pattern === pattern)!.hand;

    const reads: EngineReadResult[] = [];
    for (const operation of ['GetItem', 'Query'] as const) {
      const pattern = chosen[operation];
      const sides = new Map<EngineContender, Side>();
      for (const name of Object.keys(clients) as (keyof typeof clients)[]) sides.set(name, handOf(docs[name], pattern));
      // The SDK alone answers with the engine's own answer to call 0; the engine alone is sent the
      // SDK's own request of call 0 (the wire text), through the engine's request handler.
      const recorder = recordResponses(inProcess);
      const expected = itemsOf(await sides.get('engine, in process')!(0));
      const answer: RecordedResponse[] = recorder.take();
      recorder.detach();
      const wire = recording.last();
      const direct = engineRequestHandler(engine);
      transport.replay(answer);
      sides.set('engine alone (no SDK)', async () => {
        const r = await direct.handle(wire);
        if (r.response.statusCode !== 200) throw new Error(`the engine answered ${r.response.statusCode}`);
        return r;
      });
      // Before timing: every contender that returns items returns the same ones, for two ids.
      for (const i of [0, 1]) {
        const want = i === 0 ? expected : itemsOf(await sides.get('engine, in process')!(1));
        if (want.length === 0) throw new Error(`${pattern}: the engine returned no items for call ${i}`);
        for (const [name, side] of sides) {
          if (name === 'engine alone (no SDK)' || name === 'SDK alone (no engine)') continue;
          const got = itemsOf(await side(i));
          if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`${pattern}: ${name} returned ${got.length} items, the engine in process ${want.length}: they do not hold the same data`);
        }
      }
      const items = operation === 'GetItem' ? 1 : expected.length;
      if (operation === 'Query' && items !== 25) throw new Error(`${pattern}: a 25-item page was expected, the engine returned ${items}`);
      const names = [...ENGINE_CONTENDERS];
      const step = startProgress(`${operation}: engine, dynalite, SDK alone, interleaved`, options.iterations, { quiet: options.quiet });
      let done = 0;
      // The memory transport replays call 0's answer: every side reads call 0's ids except the
      // live engines, which rotate over ids as the other sections do.
      const times = await rotated(
        names.map((name) => {
          const side = sides.get(name)!;
          if (name !== 'SDK alone (no engine)') return side;
          return () => {
            transport.replay(answer);
            return side(0);
          };
        }),
        options.warmup,
        options.iterations,
        () => step.update((done += 1)),
      );
      step.stop();
      const ref = reference.endToEnd.find((r) => r.pattern === pattern)!.hand;
      reads.push({
        operation,
        pattern,
        items,
        contenders: names.map((name, k) => ({ name, summary: summarize(times[k]!.map((ms) => ms * 1000)) })),
        reference: { p50: ref.p50 * 1000, p95: ref.p95 * 1000, p99: ref.p99 * 1000 },
      });
    }
    for (const c of Object.values(clients)) c.destroy();
    await server.close();
    await new Promise<void>((resolve) => dyn.server.close(() => resolve()));

    const start = await measureStarts(options);
    // Large heaps: the child gets room for a million items and more (the goal is under 2 GB).
    const scale = await runChild<EngineScaleResult>('engine-scale-child', [String(options.scaleItems), String(options.smallItems), String(options.scaleIterations), ...(options.quiet ? ['quiet'] : [])], {
      nodeFlags: ['--expose-gc', '--max-old-space-size=6144'],
      quiet: options.quiet,
    });
    return {
      meta: {
        date: new Date().toISOString(),
        mode: options.mode,
        node: process.version,
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        os: `${platform()} ${release()}`,
        engine: `single-table-kit ${projectVersion()}`,
        dynalite: versionOf('dynalite'),
        awsSdk: versionOf('@aws-sdk/client-dynamodb'),
        tableItems,
        inProcessRequests: 'unsigned',
      },
      reads,
      start,
      scale,
    };
  } finally {
    for (const c of Object.values(clients)) c.destroy();
    await server.close().catch(() => undefined);
    if (dyn.server.listening) await new Promise<void>((resolve) => dyn.server.close(() => resolve()));
    await engine.close();
  }
}

/** The engine's goals, each with what was measured. */
export function engineGoalRows(results: EngineBenchResults): { goal: string; target: string; measured: string; met: boolean }[] {
  const f1 = (x: number) => x.toFixed(1);
  const f0 = (x: number) => Math.round(x).toLocaleString('en-US');
  const p50 = (r: EngineReadResult, name: EngineContender) => r.contenders.find((c) => c.name === name)!.summary.p50;
  const rows: { goal: string; target: string; measured: string; met: boolean }[] = [];
  for (const r of results.reads) {
    const factor = r.reference.p50 / p50(r, 'engine, in process');
    const engineAlone = r.reference.p50 / p50(r, 'engine alone (no SDK)');
    rows.push({
      goal: `${r.operation} (${r.pattern}), engine in process vs DynamoDB Local (reference, p50)`,
      target: `≥ ${ENGINE_GOALS.referenceFactor}× faster`,
      measured: `${f1(factor)}× (${f0(p50(r, 'engine, in process'))} µs against ${f0(r.reference.p50)} µs; the SDK alone takes ${f0(p50(r, 'SDK alone (no engine)'))} µs of it; the engine alone, without the SDK, ${f0(p50(r, 'engine alone (no SDK)'))} µs: ${f1(engineAlone)}×)`,
      met: factor >= ENGINE_GOALS.referenceFactor,
    });
    for (const [ours, theirs] of [['engine, in process', 'dynalite, in process'], ['engine, HTTP', 'dynalite, HTTP']] as const) {
      rows.push({
        goal: `${r.operation}, ${ours} vs ${theirs} (p50)`,
        target: 'faster',
        measured: `${f0(p50(r, ours))} µs against ${f0(p50(r, theirs))} µs (${f1(p50(r, theirs) / p50(r, ours))}×)`,
        met: p50(r, ours) < p50(r, theirs),
      });
    }
  }
  for (const s of results.start.filter((x) => x.mode !== 'dynalite')) {
    rows.push({
      goal: `Engine start, ${s.mode === 'in-process' ? 'createEngine() + first answer' : 'startEngineServer + first answer over HTTP'} (p99, modules loaded)`,
      target: `< ${ENGINE_GOALS.startMs} ms`,
      measured: `p50 ${s.start.p50.toFixed(2)} ms, p99 ${s.start.p99.toFixed(2)} ms (ready, before the first request: p50 ${s.ready.p50.toFixed(2)} ms); with loading the modules p50 ${s.total.p50.toFixed(1)} ms, p99 ${s.total.p99.toFixed(1)} ms`,
      met: s.start.p99 < ENGINE_GOALS.startMs,
    });
  }
  const sc = results.scale;
  rows.push({
    goal: `Query of one partition, ${sc.large.items.toLocaleString('en-US')}-item table / ${sc.small.items.toLocaleString('en-US')}-item table (p50, engine alone)`,
    target: `≤ ${ENGINE_GOALS.scaleRatio}`,
    measured: `${sc.directRatio.toFixed(2)} (through the SDK in process ${sc.sdkRatio.toFixed(2)})${sc.mid && sc.directRatioMid !== undefined ? `; against the ${sc.mid.items.toLocaleString('en-US')}-item table, which like the large one does not fit in the CPU's caches, ${sc.directRatioMid.toFixed(2)}` : ''}`,
    met: sc.directRatio <= ENGINE_GOALS.scaleRatio,
  });
  const measuredMillion = sc.large.items >= 1_000_000;
  rows.push({
    goal: `Memory for 1,000,000 items of ${sc.itemBytes} B`,
    target: `< ${(ENGINE_GOALS.memoryBytes / 2 ** 30).toFixed(0)} GiB`,
    measured: `${(sc.memory.projectedMillionBytes / 2 ** 30).toFixed(2)} GiB (${f0(sc.memory.bytesPerItem)} B per item${measuredMillion ? '' : `, measured on ${sc.large.items.toLocaleString('en-US')} items`})`,
    met: sc.memory.projectedMillionBytes < ENGINE_GOALS.memoryBytes,
  });
  return rows;
}
