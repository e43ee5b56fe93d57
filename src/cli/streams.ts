import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createEngine } from '../engine';
import { embeddedClientConfig, ensureTable, modelTable, type Model, type StreamConsumer } from '../toolkit';
import { startStreamConsumer, type ConsumerStats, type DiscardedRecords } from '../toolkit/testing';
import { jsonOutput } from './json-output';
import { renderTable } from './render-table';
import { terminalText } from './terminal';

export interface StreamsReport {
  model: string;
  consumers: (ConsumerStats & { discardedRecords: DiscardedRecords[] })[];
}

function isRunnable(c: unknown): c is StreamConsumer {
  return typeof (c as StreamConsumer | undefined)?.route === 'function' && typeof (c as StreamConsumer).handle === 'function';
}

/**
 * Seeds the model on the embedded engine with every stream consumer of the model running (from the
 * first record, with the consumer's own mapping settings), waits until they handled everything,
 * and reports per consumer and handler.
 */
export async function measureStreams(model: Model, options: { size: number }): Promise<StreamsReport> {
  const consumers = model.streamConsumers ?? [];
  if (consumers.length === 0) throw new Error(`model ${model.name} declares no streamConsumers`);
  const bad = consumers.filter((c) => !isRunnable(c));
  if (bad.length) throw new Error(`streamConsumers ${bad.map((c) => c.settings?.name ?? '?').join(', ')}: not made by defineStreamConsumer (nothing to run)`);
  if (model.table?.stream === false) throw new Error(`model ${model.name}: its table has no stream (table.stream is false)`);
  const engine = createEngine();
  const client = new DynamoDBClient(embeddedClientConfig(engine));
  const tableName = 'streams-run';
  try {
    const definition = modelTable(model, tableName);
    await client.send(new CreateTableCommand(definition.input));
    await ensureTable(client, definition);
    const services = model.services({ client, tableName });
    const running = (consumers as StreamConsumer[]).map((c) => startStreamConsumer(c, { engine, tableName, services, settings: { startingPosition: 'TRIM_HORIZON' } }));
    try {
      const seed = await model.seed(services, { size: options.size });
      // Every pattern once, so the consumers see modifications and removals as well as the seed's inserts.
      const runners = model.runners(services, seed);
      for (const [, runner] of Object.entries(runners) as [string, (i: number) => Promise<() => Promise<unknown>>][]) {
        const call = await runner(0);
        await call().catch(() => undefined);
      }
      for (const c of running) await c.drain({ timeoutMs: 60_000 });
      return { model: model.name, consumers: running.map((c) => ({ ...c.stats(), discardedRecords: [...c.discarded] })) };
    } finally {
      for (const c of running) await c.stop();
    }
  } finally {
    client.destroy();
    await engine.close();
  }
}

const ms = (x: number | null) => (x === null ? '' : x.toFixed(2));

export function renderStreams(report: StreamsReport): string {
  const rows = report.consumers.flatMap((c) =>
    c.handlers.map((h) => [c.consumer, h.handler, h.records, h.failures, h.retries, h.duplicates, ms(h.lagP50Ms), ms(h.lagP99Ms)]),
  );
  const table = renderTable(['Consumer', 'Handler', 'Records', 'Failures', 'Retries', 'Duplicates', 'Lag p50 ms', 'Lag p99 ms'], rows, ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right']);
  const totals = report.consumers.map(
    (c) => `${terminalText(c.consumer)}: ${c.records} records read, ${c.invocations} invocations, ${c.failures} failed records, ${c.retries} retries, ${c.timeouts} timeouts, ${c.discarded} discarded; lag write -> handled p50 ${ms(c.lagP50Ms)} ms, p99 ${ms(c.lagP99Ms)} ms`,
  );
  return `${table}\n${totals.join('\n')}\nHandlers are \`entity.event\`; records no handler wants are read and not listed. Lag: from the write to its handler's success, on the embedded engine.`;
}

export async function runStreams(model: Model, options: { size: number; json: boolean }): Promise<number> {
  const report = await measureStreams(model, options);
  process.stdout.write(options.json ? jsonOutput(report) : `Model: ${terminalText(model.name)}\n${renderStreams(report)}\n`);
  return report.consumers.some((c) => c.discarded > 0) ? 1 : 0;
}
