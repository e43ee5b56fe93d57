/*
 * Stream consumer benchmark, in a fresh process (run by bench/run.ts, never imported): end-to-end
 * lag from a write to its handler, and records per second through one consumer, on the embedded
 * engine in process with Lambda's defaults (batch 100, no batching window). Prints one JSON line
 * (StreamBenchResult). Arguments: RECORDS [quiet].
 *
 * Lag: writes one at a time, each awaited, the consumer running; a record's lag is from the start
 * of its put (the application's clock) to its handler being called, so it includes the write.
 * Throughput: RECORDS written first, then one consumer reads them from TRIM_HORIZON until drained.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Entity } from 'electrodb';
import { createEngine } from '../src/engine';
import { defineStreamConsumer, deriveTableDefinition, embeddedClientConfig } from '../src/toolkit';
import { startStreamConsumer } from '../src/toolkit/testing';
import { childArgs } from './children';
import { summarize, type Summary } from './stats';

export interface StreamBenchResult {
  records: number;
  /** ms from the start of a put to its handler's call, one sample per record. */
  lag: Summary;
  /** The consumer's own lag figure (from the record's creation in the engine to the handler's success), ms. */
  consumerLag: { p50: number | null; p99: number | null };
  lagInvocations: number;
  throughput: { recordsPerSecond: number; seconds: number; invocations: number };
}

const Event = new Entity({
  model: { entity: 'event', version: '1', service: 'bench' },
  attributes: { streamId: { type: 'string', required: true }, n: { type: 'number', required: true } },
  indexes: { byStream: { pk: { field: 'pk', composite: ['streamId'] }, sk: { field: 'sk', composite: ['n'] } } },
});

async function setup() {
  const engine = createEngine();
  const client = new DynamoDBClient(embeddedClientConfig(engine));
  const tableName = 'bench-streams';
  await client.send(new CreateTableCommand(deriveTableDefinition({ tableName, entities: [Event] }).input));
  const event = new Entity(Event.schema, { table: tableName, client });
  return { engine, client, tableName, event };
}

async function benchStreams(records: number): Promise<StreamBenchResult> {
  const startedAt = new Float64Array(records);
  const lags: number[] = [];
  let handled = 0;
  const now = () => Number(process.hrtime.bigint()) / 1e6;
  const consumer = (name: string, onRecord: (n: number) => void) =>
    defineStreamConsumer({ entities: { event: Event }, settings: { name, startingPosition: 'TRIM_HORIZON' }, handlers: { event: { insert: (change) => onRecord(change.newImage.n) } } });

  const a = await setup();
  const live = startStreamConsumer(consumer('lag', (n) => lags.push(now() - startedAt[n]!)), { engine: a.engine, tableName: a.tableName, services: undefined });
  for (let i = 0; i < records; i++) {
    startedAt[i] = now();
    await a.event.put({ streamId: `s${i % 16}`, n: i }).go();
  }
  await live.drain({ timeoutMs: 120_000 });
  const lagStats = live.stats();
  await live.stop();
  a.client.destroy();
  await a.engine.close();
  if (lags.length !== records) throw new Error(`lag run: ${lags.length} of ${records} records handled`);

  const b = await setup();
  for (let i = 0; i < records; i++) await b.event.put({ streamId: `s${i % 16}`, n: i }).go();
  const start = process.hrtime.bigint();
  const backlog = startStreamConsumer(consumer('throughput', () => void (handled += 1)), { engine: b.engine, tableName: b.tableName, services: undefined });
  await backlog.drain({ timeoutMs: 300_000 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const tp = backlog.stats();
  await backlog.stop();
  b.client.destroy();
  await b.engine.close();
  if (handled !== records) throw new Error(`throughput run: ${handled} of ${records} records handled`);
  return {
    records,
    lag: summarize(lags),
    consumerLag: { p50: lagStats.lagP50Ms, p99: lagStats.lagP99Ms },
    lagInvocations: lagStats.invocations,
    throughput: { recordsPerSecond: handled / seconds, seconds, invocations: tp.invocations },
  };
}

async function main(): Promise<void> {
  const [records = '2000'] = childArgs();
  const result = await benchStreams(Number(records));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
