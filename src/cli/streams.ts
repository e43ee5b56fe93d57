import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createEngine } from '../engine';
import { embeddedClientConfig, ensureTable, localClientConfig, modelTable, type Model, type StreamConsumer } from '../toolkit';
import { startStreamConsumer, type ConsumerStats, type DiscardedRecords, type StreamsApiClient } from '../toolkit/testing';
import { jsonOutput } from './json-output';
import { renderTable } from './render-table';
import { terminalText } from './terminal';

export interface StreamsReport {
  model: string;
  /** Where it ran: the embedded engine in process, or the endpoint's Streams API. */
  endpoint: string;
  consumers: (ConsumerStats & { discardedRecords: DiscardedRecords[] })[];
}

function isRunnable(c: unknown): c is StreamConsumer {
  return typeof (c as StreamConsumer | undefined)?.route === 'function' && typeof (c as StreamConsumer).handle === 'function';
}

/** A Streams API client for an endpoint: @aws-sdk/client-dynamodb-streams, loaded only here (an optional peer). */
async function streamsClientFor(endpoint: string): Promise<StreamsApiClient & { destroy(): void }> {
  let sdk: typeof import('@aws-sdk/client-dynamodb-streams');
  try {
    sdk = await import('@aws-sdk/client-dynamodb-streams');
  } catch {
    throw new Error('streams on DYNAMODB_ENDPOINT reads the Streams API through @aws-sdk/client-dynamodb-streams: install it (npm install @aws-sdk/client-dynamodb-streams)');
  }
  return new sdk.DynamoDBStreams(localClientConfig(endpoint));
}

/**
 * Seeds the model with every stream consumer of the model running (from the first record, with
 * the consumer's own mapping settings), waits until they handled everything, and reports per
 * consumer and handler. On the embedded engine, or with `endpoint` on a fresh table there, read
 * through its Streams API (the table is deleted afterwards).
 */
export async function measureStreams(model: Model, options: { size: number; endpoint?: string }): Promise<StreamsReport> {
  const consumers = model.streamConsumers ?? [];
  if (consumers.length === 0) throw new Error(`model ${model.name} declares no streamConsumers`);
  const bad = consumers.filter((c) => !isRunnable(c));
  if (bad.length) throw new Error(`streamConsumers ${bad.map((c) => c.settings?.name ?? '?').join(', ')}: not made by defineStreamConsumer (nothing to run)`);
  if (model.table?.stream === false) throw new Error(`model ${model.name}: its table has no stream (table.stream is false)`);
  const { endpoint } = options;
  const engine = endpoint === undefined ? createEngine() : undefined;
  const client = new DynamoDBClient(engine ? embeddedClientConfig(engine) : localClientConfig(endpoint as string));
  const streamsClient = endpoint === undefined ? undefined : await streamsClientFor(endpoint);
  // A shared endpoint may hold other runs' tables: a name of its own.
  const tableName = engine ? 'streams-run' : `streams-run-${randomUUID()}`;
  let created = false;
  try {
    const definition = modelTable(model, tableName);
    await client.send(new CreateTableCommand(definition.input));
    created = true;
    await ensureTable(client, definition);
    const services = model.services({ client, tableName });
    const running = (consumers as StreamConsumer[]).map((c) => startStreamConsumer(c, { ...(engine ? { engine } : { streamsClient }), tableName, services, settings: { startingPosition: 'TRIM_HORIZON' } }));
    try {
      const seed = await model.seed(services, { size: options.size });
      // Every pattern once, so the consumers see modifications and removals as well as the seed's inserts.
      const runners = model.runners(services, seed);
      for (const [, runner] of Object.entries(runners) as [string, (i: number) => Promise<() => Promise<unknown>>][]) {
        const call = await runner(0);
        await call().catch(() => undefined);
      }
      for (const c of running) await c.drain({ timeoutMs: 60_000 });
      return { model: model.name, endpoint: endpoint ?? 'embedded', consumers: running.map((c) => ({ ...c.stats(), discardedRecords: [...c.discarded] })) };
    } finally {
      for (const c of running) await c.stop();
    }
  } finally {
    if (endpoint !== undefined && created) await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    client.destroy();
    streamsClient?.destroy();
    await engine?.close();
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
  const lag =
    report.endpoint === 'embedded'
      ? "Lag: from the write to its handler's success, on the embedded engine."
      : `Lag: from the record's ApproximateCreationDateTime (whole seconds) to its handler's success, read through the Streams API of ${terminalText(report.endpoint)}.`;
  return `${table}\n${totals.join('\n')}\nHandlers are \`entity.event\`; records no handler wants are read and not listed. ${lag}`;
}

export async function runStreams(model: Model, options: { size: number; json: boolean; endpoint?: string }): Promise<number> {
  const report = await measureStreams(model, options);
  process.stdout.write(options.json ? jsonOutput(report) : `Model: ${terminalText(model.name)}\n${renderStreams(report)}\n`);
  return report.consumers.some((c) => c.discarded > 0) ? 1 : 0;
}
