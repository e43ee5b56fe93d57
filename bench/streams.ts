/**
 * Stream consumer benchmark: end-to-end lag from a write to its handler's success (p50/p99), and
 * records per second through one consumer, on the embedded engine in process.
 *   npx jiti bench/streams.ts [--records N] [--json]
 * Lag: writes one at a time (each awaited), the consumer running with Lambda's defaults (batch 100,
 * no batching window). Throughput: N records written first, then one consumer reads them from
 * TRIM_HORIZON until drained.
 */
import { DynamoDBClient, CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { Entity } from 'electrodb';
import { createEngine } from '../src/engine';
import { defineStreamConsumer, deriveTableDefinition, embeddedClientConfig } from '../src/toolkit';
import { startStreamConsumer } from '../src/toolkit/testing';

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

export async function benchStreams(records: number) {
  let handled = 0;
  const consumer = (name: string) =>
    defineStreamConsumer({ entities: { event: Event }, settings: { name, startingPosition: 'TRIM_HORIZON' }, handlers: { event: { insert: () => void (handled += 1) } } });

  // Lag: one write at a time, the consumer running.
  const a = await setup();
  const live = startStreamConsumer(consumer('lag'), { engine: a.engine, tableName: a.tableName, services: undefined });
  for (let i = 0; i < records; i++) await a.event.put({ streamId: `s${i % 16}`, n: i }).go();
  await live.drain({ timeoutMs: 120_000 });
  const lag = live.stats();
  await live.stop();
  a.client.destroy();
  await a.engine.close();

  // Throughput: a backlog of `records`, drained by one consumer.
  const b = await setup();
  for (let i = 0; i < records; i++) await b.event.put({ streamId: `s${i % 16}`, n: i }).go();
  handled = 0;
  const start = process.hrtime.bigint();
  const backlog = startStreamConsumer(consumer('throughput'), { engine: b.engine, tableName: b.tableName, services: undefined });
  await backlog.drain({ timeoutMs: 120_000 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const tp = backlog.stats();
  await backlog.stop();
  b.client.destroy();
  await b.engine.close();
  return {
    records,
    lagMs: { p50: lag.lagP50Ms, p99: lag.lagP99Ms, invocations: lag.invocations },
    throughput: { recordsPerSecond: Math.round(handled / seconds), seconds: Math.round(seconds * 1000) / 1000, invocations: tp.invocations },
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
  };
}

if (/bench[/\\]streams\.[jt]s$/.test(process.argv[1] ?? '')) {
  const { values } = parseArgs({ options: { records: { type: 'string', default: '2000' }, json: { type: 'boolean', default: false } } });
  void benchStreams(Number(values.records)).then((r) => {
    if (values.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    else
      process.stdout.write(
        `stream consumer, ${r.records} records, ${r.machine.cpus} x ${r.machine.cpuModel}, Node ${r.machine.node}\n` +
          `  lag write -> handled: p50 ${r.lagMs.p50} ms, p99 ${r.lagMs.p99} ms (${r.lagMs.invocations} invocations)\n` +
          `  throughput: ${r.throughput.recordsPerSecond} records/s (${r.throughput.seconds} s, ${r.throughput.invocations} invocations of up to 100)\n`,
      );
  });
}
