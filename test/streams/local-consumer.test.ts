import { DynamoDBStreams } from '@aws-sdk/client-dynamodb-streams';
import { defineStreamConsumer, embeddedClientConfig, type StreamConsumerSettings } from '../../src/toolkit';
import { StreamDrainTimeout, StreamInvocationCrash, startStreamConsumer, type LocalStreamConsumer } from '../../src/toolkit/testing';
import { Loan, createLibraryServices } from '../fixtures/library-model';
import { streamedTable } from './stream-fixture';

/*
 * The local consumer applies the event source mapping's settings to the engine's stream, invoking
 * the Lambda handler the consumer makes: batches, retries, bisect, record age, per-key order,
 * timeouts, crashes, drain.
 */
let t: Awaited<ReturnType<typeof streamedTable>>;
let services: ReturnType<typeof createLibraryServices>;
let running: LocalStreamConsumer[] = [];
let n = 0;
beforeEach(async () => {
  t = await streamedTable([Loan]);
  services = createLibraryServices({ client: t.client, tableName: t.tableName });
});
afterEach(async () => {
  for (const c of running) await c.stop();
  running = [];
  await t.close();
});

const lend = (memberId: string) => services.lendBook({ memberId, loanId: `l${String((n += 1)).padStart(4, '0')}`, bookId: 'b1', loanedAt: '2026-01-01', dueAt: '2026-01-15', branch: 'central' });

function run(settings: Partial<StreamConsumerSettings>, onLoan: (loanId: string, batch: number) => void | Promise<void>, extra: Partial<Parameters<typeof startStreamConsumer>[1]> = {}) {
  const consumer = defineStreamConsumer({
    entities: { loan: Loan },
    settings: { name: 'loans', startingPosition: 'TRIM_HORIZON', ...settings },
    handlers: { loan: { insert: (c) => onLoan(c.newImage.loanId, 0) } },
  });
  const c = startStreamConsumer(consumer, { engine: t.engine, tableName: t.tableName, services: undefined, retryDelayMs: () => 0, ...extra });
  running.push(c);
  return c;
}

describe('local consumer with Lambda semantics', () => {
  it('drain() waits until every record written so far is handled, in order, in batches of batchSize', async () => {
    const handled: string[] = [];
    const c = run({ batchSize: 3 }, (id) => void handled.push(id));
    for (let i = 0; i < 10; i++) await lend('m1');
    await c.drain();
    expect(handled).toHaveLength(10);
    expect(handled).toEqual([...handled].sort());
    const s = c.stats();
    expect(s.records).toBe(10);
    expect(s.invocations).toBeGreaterThanOrEqual(4);
    expect(s.handlers).toEqual([expect.objectContaining({ handler: 'loan.insert', records: 10, failures: 0 })]);
    expect(s.lagP50Ms).not.toBeNull();
  });

  it('retries a failing record, then discards the batch from it after maximumRetryAttempts, and goes on', async () => {
    const handled: string[] = [];
    let bad = '';
    const c = run({ batchSize: 10, maximumRetryAttempts: 2 }, (id) => {
      if (id === bad) throw new Error('poison');
      handled.push(id);
    });
    await lend('m1');
    bad = `l${String(n + 1).padStart(4, '0')}`;
    await lend('m1');
    await lend('m1');
    await lend('m2');
    await c.drain();
    // Lambda retries from the lowest reported record: what follows it is delivered again (m2's
    // record, handled each time) and, once retries run out, the batch from it is discarded.
    expect(c.discarded).toEqual([expect.objectContaining({ reason: 'retries-exhausted', lastError: expect.stringContaining('poison') })]);
    expect(c.discarded[0]?.sequenceNumbers).toHaveLength(3);
    expect(c.stats().retries).toBe(2);
    // The record of m1 after the poison one is never run (held back to keep m1's order).
    expect(new Set(handled).size).toBe(2);
  });

  it('bisects a batch whose invocation fails until the failing record is alone', async () => {
    let poison = '';
    const consumer = defineStreamConsumer({
      entities: { loan: Loan },
      settings: { name: 'bisect', startingPosition: 'TRIM_HORIZON', batchSize: 8, bisectBatchOnFunctionError: true, maximumRetryAttempts: 1, reportBatchItemFailures: false },
      handlers: {
        loan: {
          insert: (ch) => {
            if (ch.newImage.loanId === poison) throw new Error('poison');
          },
        },
      },
    });
    for (let i = 0; i < 8; i++) {
      const loan = await lend(`m${i}`);
      if (i === 5) poison = loan.loanId;
    }
    const c = startStreamConsumer(consumer, { engine: t.engine, tableName: t.tableName, services: undefined, retryDelayMs: () => 0 });
    running.push(c);
    await c.drain();
    expect(c.stats().bisections).toBeGreaterThanOrEqual(3);
    // Only the poison record is discarded.
    expect(c.discarded.flatMap((d) => d.sequenceNumbers)).toHaveLength(1);
  });

  it('keeps order per partition key with parallelizationFactor > 1', async () => {
    const order = new Map<string, string[]>();
    const consumer = defineStreamConsumer({
      entities: { loan: Loan },
      settings: { name: 'parallel', startingPosition: 'TRIM_HORIZON', batchSize: 2, parallelizationFactor: 4 },
      handlers: {
        loan: {
          insert: async (ch) => {
            await new Promise((r) => setTimeout(r, Math.random() * 3));
            order.set(ch.newImage.memberId, [...(order.get(ch.newImage.memberId) ?? []), ch.newImage.loanId]);
          },
        },
      },
    });
    const c = startStreamConsumer(consumer, { engine: t.engine, tableName: t.tableName, services: undefined });
    running.push(c);
    for (let i = 0; i < 40; i++) await lend(`m${i % 5}`);
    await c.drain();
    expect([...order.values()].flat()).toHaveLength(40);
    for (const ids of order.values()) expect(ids).toEqual([...ids].sort());
  });

  it('reports a handler that never settles as a timeout and a crash mid-batch as a failed invocation; both retried', async () => {
    let hang = true;
    let crash = true;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await lend('m1')).loanId);
    const handled: string[] = [];
    const c = run({ batchSize: 5 }, async (id) => {
      if (id === ids[1] && hang) {
        hang = false;
        await new Promise(() => undefined);
      }
      handled.push(id);
    }, {
      timeoutMs: 50,
      inject: (r) => {
        if (crash && r.dynamodb?.NewImage?.loanId?.S === ids[3]) {
          crash = false;
          throw new StreamInvocationCrash('killed mid-batch');
        }
      },
    });
    await c.drain();
    const s = c.stats();
    expect(s.timeouts).toBe(1);
    expect(s.crashes).toBe(1);
    expect(c.errors.map((e) => e.kind)).toEqual(expect.arrayContaining(['timeout', 'crash']));
    expect(new Set(handled).size).toBe(5);
  });

  it('discards records older than maximumRecordAgeInSeconds', async () => {
    let now = Date.parse('2026-05-01T00:00:00Z');
    await t.close();
    t = await streamedTable([Loan], { clock: () => now });
    services = createLibraryServices({ client: t.client, tableName: t.tableName });
    await lend('m1');
    await lend('m1');
    now += 120_000;
    const handled: string[] = [];
    const c = run({ maximumRecordAgeInSeconds: 60 }, (id) => void handled.push(id));
    await lend('m1');
    await c.drain();
    expect(handled).toHaveLength(1);
    expect(c.discarded).toEqual([expect.objectContaining({ reason: 'record-age', sequenceNumbers: [expect.any(String), expect.any(String)] })]);
  });

  it('a drain that cannot finish (a record failing forever) rejects with what is stuck', async () => {
    const c = run({ maximumRetryAttempts: -1 }, () => {
      throw new Error('never works');
    });
    await lend('m1');
    await expect(c.drain({ timeoutMs: 200 })).rejects.toThrow(StreamDrainTimeout);
    await expect(c.drain({ timeoutMs: 50 })).rejects.toThrow(/1 record\(s\) pending.*never works/);
  });

  it('resumes from a checkpoint after a restart, and reads any endpoint through the Streams API', async () => {
    const handled: string[] = [];
    const first = run({}, (id) => void handled.push(id));
    await lend('m1');
    await lend('m1');
    await first.drain();
    const checkpoint = first.checkpoint();
    await first.stop();
    await lend('m1');
    const streamsClient = new DynamoDBStreams(embeddedClientConfig(t.engine));
    const consumer = defineStreamConsumer({ entities: { loan: Loan }, settings: { name: 'resumed', startingPosition: 'TRIM_HORIZON' }, handlers: { loan: { insert: (c) => void handled.push(c.newImage.loanId) } } });
    const second = startStreamConsumer(consumer, { streamsClient, tableName: t.tableName, services: undefined, checkpoint, pollIntervalMs: 20 });
    running.push(second);
    await second.drain();
    expect(handled).toHaveLength(3);
    expect(new Set(handled).size).toBe(3);
    streamsClient.destroy();
  });
});
