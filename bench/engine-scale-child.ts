/*
 * Scale and memory of the engine, in a fresh process (run by bench/engine.ts with --expose-gc,
 * never imported), so that the memory figure is the engine's and nothing else's. Prints one JSON
 * line (EngineScaleResult). Arguments: ITEMS SMALL_ITEMS ITERATIONS [quiet].
 */
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import { createEngine, engineRequestHandler, seededRandom as prng, type Engine } from '../src/engine';
import { embeddedClientConfig, startProgress } from '../src/toolkit';
import { childArgs } from './children';
import { summarize, timeMs, type Summary } from './stats';

/** Items per partition: one Query page of 25 reads a whole partition. */
const PER_PARTITION = 25;
/** Every stored item is this large by DynamoDB's size rules (attribute names + values, all strings here). */
const ITEM_BYTES = 1024;

export interface ScaleSide {
  items: number;
  partitions: number;
  /** Query of one whole partition (25 items), µs: on the engine alone (the wire request, no SDK), and through the SDK in process. */
  direct: Summary;
  sdk: Summary;
}

export interface EngineScaleResult {
  itemBytes: number;
  perPartition: number;
  small: ScaleSide;
  /** A table a tenth the size of the large one: both far beyond the CPU's caches, unlike the small one. */
  mid?: ScaleSide;
  large: ScaleSide;
  /** large p50 / small p50, each path. */
  directRatio: number;
  sdkRatio: number;
  /** large p50 / mid p50, each path: growth with size once neither table fits in the caches. */
  directRatioMid?: number;
  sdkRatioMid?: number;
  load: { seconds: number; itemsPerSecond: number };
  memory: {
    /** (heapUsed + external) after loading the large table minus before, both after a full GC. */
    heapAndExternalBytes: number;
    rssBytes: number;
    bytesPerItem: number;
    /** bytesPerItem × 1,000,000 (measured directly when the large table holds a million items). */
    projectedMillionBytes: number;
  };
}

/** A text of `n` random characters: every item holds its own data (no string V8 could share). */
function text(n: number): string {
  return randomBytes(Math.ceil((n * 3) / 4) + 3).toString('base64').slice(0, n);
}

const pk = (p: number) => `p#${p.toString().padStart(7, '0')}`;
const sk = (k: number) => `s#${k.toString().padStart(2, '0')}`;

/**
 * Loads `items` items of ITEM_BYTES bytes through BatchWriteItem, 25 a request, sent as the wire
 * sends them: JSON text parsed into a fresh body (flat strings, as the HTTP and SDK paths give).
 */
function load(engine: Engine, table: string, items: number, quiet: boolean): void {
  const progress = startProgress(`loading ${items.toLocaleString('en-US')} items of ${ITEM_BYTES} B into the engine (${table})`, items, { quiet });
  for (let start = 0; start < items; start += 25) {
    const requests: unknown[] = [];
    for (let k = start; k < Math.min(items, start + 25); k += 1) {
      const p = pk(Math.floor(k / PER_PARTITION));
      const s = sk(k % PER_PARTITION);
      // DynamoDB's size: name bytes + value bytes; 'pk' + 'sk' + 'data' names and the two keys.
      const data = text(ITEM_BYTES - (2 + p.length) - (2 + s.length) - 4);
      requests.push({ PutRequest: { Item: { pk: { S: p }, sk: { S: s }, data: { S: data } } } });
    }
    const body = JSON.parse(JSON.stringify({ RequestItems: { [table]: requests } })) as unknown;
    const out = engine.handleSync('BatchWriteItem', body) as { UnprocessedItems?: Record<string, unknown[]> };
    if (Object.keys(out.UnprocessedItems ?? {}).length > 0) throw new Error('the engine left items unprocessed while loading');
    progress.update(Math.min(items, start + 25));
  }
  progress.stop();
}

function createTable(engine: Engine, TableName: string): void {
  engine.handleSync('CreateTable', {
    TableName,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    BillingMode: 'PAY_PER_REQUEST',
  });
}

function memory(): { heapAndExternal: number; rss: number } {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  gc();
  gc();
  const m = process.memoryUsage();
  return { heapAndExternal: m.heapUsed + m.external, rss: m.rss };
}

async function main(): Promise<void> {
  const [itemsArg, smallArg, iterationsArg, quietArg] = childArgs();
  const items = Number(itemsArg);
  const smallItems = Number(smallArg);
  const iterations = Number(iterationsArg);
  const quiet = quietArg === 'quiet';
  const engine = createEngine();
  const midItems = Math.max(smallItems, Math.round(items / 10));
  createTable(engine, 'small');
  createTable(engine, 'mid');
  createTable(engine, 'large');
  load(engine, 'small', smallItems, quiet);
  load(engine, 'mid', midItems, quiet);
  const before = memory();
  const loadStart = process.hrtime.bigint();
  load(engine, 'large', items, quiet);
  const loadSeconds = Number(process.hrtime.bigint() - loadStart) / 1e9;
  const after = memory();

  const client = new DynamoDBClient(embeddedClientConfig(engine));
  type Table = 'small' | 'mid' | 'large';
  const partitions = { small: Math.ceil(smallItems / PER_PARTITION), mid: Math.ceil(midItems / PER_PARTITION), large: Math.ceil(items / PER_PARTITION) };
  const query = (table: Table, p: number) => ({ TableName: table, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: pk(p) } } });
  // The engine alone answers the wire request (JSON text in, JSON text out), as section 5's
  // "engine alone" does: the items' text read from the store, spliced into the answer, its CRC.
  const wire = engineRequestHandler(engine);
  const countField = `"Count":${PER_PARTITION},`;
  const direct = (table: Table) => async (p: number) => {
    const r = await wire.handle({ method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.Query' }, body: JSON.stringify(query(table, p)) });
    const text = Buffer.from(r.response.body).toString('utf8');
    if (r.response.statusCode !== 200 || !text.includes(countField)) throw new Error(`Query of ${table} partition ${p} answered ${r.response.statusCode}: ${text.slice(0, 200)}`);
  };
  const sdk = (table: Table) => async (p: number) => {
    const out = await client.send(new QueryCommand(query(table, p)));
    if (out.Count !== PER_PARTITION) throw new Error(`Query of ${table} partition ${p} returned ${String(out.Count)} items`);
  };
  // Full partitions only (the last one of a table may be short).
  const full = { small: Math.floor(smallItems / PER_PARTITION), mid: Math.floor(midItems / PER_PARTITION), large: Math.floor(items / PER_PARTITION) };
  const tables: Table[] = ['small', 'mid', 'large'];
  const sides = [...tables.map((table) => ({ table, run: direct(table), times: [] as number[] })), ...tables.map((table) => ({ table, run: sdk(table), times: [] as number[] }))];
  const pick = prng(11);
  for (let i = 0; i < Math.min(200, iterations); i += 1) for (const side of sides) await side.run(Math.floor(pick() * full[side.table]));
  const progress = startProgress('Query of one partition, small, mid and large table', iterations, { quiet });
  const order = sides.map((_, k) => k);
  for (let i = 0; i < iterations; i += 1) {
    // A seeded shuffle every iteration (as the other sections) and a random partition every call.
    for (let k = order.length - 1; k > 0; k -= 1) {
      const j = Math.floor(pick() * (k + 1));
      [order[k], order[j]] = [order[j]!, order[k]!];
    }
    for (const s of order) {
      const side = sides[s]!;
      const p = Math.floor(pick() * full[side.table]);
      side.times.push((await timeMs(() => side.run(p))) * 1000);
    }
    progress.update(i + 1);
  }
  progress.stop();
  client.destroy();
  const [smallDirect, midDirect, largeDirect, smallSdk, midSdk, largeSdk] = sides.map((s) => summarize(s.times)) as [Summary, Summary, Summary, Summary, Summary, Summary];
  const bytesPerItem = (after.heapAndExternal - before.heapAndExternal) / items;
  const result: EngineScaleResult = {
    itemBytes: ITEM_BYTES,
    perPartition: PER_PARTITION,
    small: { items: smallItems, partitions: partitions.small, direct: smallDirect, sdk: smallSdk },
    mid: { items: midItems, partitions: partitions.mid, direct: midDirect, sdk: midSdk },
    large: { items, partitions: partitions.large, direct: largeDirect, sdk: largeSdk },
    directRatio: largeDirect.p50 / smallDirect.p50,
    sdkRatio: largeSdk.p50 / smallSdk.p50,
    directRatioMid: largeDirect.p50 / midDirect.p50,
    sdkRatioMid: largeSdk.p50 / midSdk.p50,
    load: { seconds: loadSeconds, itemsPerSecond: items / loadSeconds },
    memory: { heapAndExternalBytes: after.heapAndExternal - before.heapAndExternal, rssBytes: after.rss - before.rss, bytesPerItem, projectedMillionBytes: bytesPerItem * 1_000_000 },
  };
  // Keep the engine reachable until the figures are taken.
  if (engine.stats.requests === 0) throw new Error('no request reached the engine');
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
