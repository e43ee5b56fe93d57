import fc from 'fast-check';
import { defineStreamConsumer } from '../../src/toolkit';
import { StreamInvocationCrash, startStreamConsumer, type LocalStreamConsumer } from '../../src/toolkit/testing';
import { Loan, createLibraryServices } from '../fixtures/library-model';
import { streamedTable } from './stream-fixture';

/*
 * Under handler failures at random records and deliveries, and consumer restarts at random points
 * (a stop mid-batch, then a new consumer from the old one's checkpoint), with idempotency on:
 * every record's effect is applied exactly once, and each partition key's effects in write order.
 */
const scenario = fc.record({
  keys: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 25 }),
  failures: fc.array(fc.record({ record: fc.nat(24), delivery: fc.integer({ min: 1, max: 3 }) }), { maxLength: 8 }),
  restarts: fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 3 }),
  batchSize: fc.integer({ min: 1, max: 10 }),
  parallelizationFactor: fc.integer({ min: 1, max: 3 }),
  bisect: fc.boolean(),
  partial: fc.boolean(),
});

it('zero records lost, zero effects applied twice, order kept per partition key', async () => {
  await fc.assert(
    fc.asyncProperty(scenario, async (s) => {
      const t = await streamedTable([Loan]);
      try {
        const services = createLibraryServices({ client: t.client, tableName: t.tableName });
        const written: { memberId: string; loanId: string }[] = [];
        for (const [i, k] of s.keys.entries()) {
          const loan = await services.lendBook({ memberId: `m${k}`, loanId: `l${String(i).padStart(3, '0')}`, bookId: 'b', loanedAt: '2026-01-01', dueAt: '2026-01-02', branch: 'c' });
          written.push(loan);
        }
        const applied: { memberId: string; loanId: string }[] = [];
        const consumer = defineStreamConsumer({
          entities: { loan: Loan },
          settings: { name: 'exactly-once', startingPosition: 'TRIM_HORIZON', batchSize: s.batchSize, parallelizationFactor: s.parallelizationFactor, bisectBatchOnFunctionError: s.bisect, reportBatchItemFailures: s.partial },
          ttlAttribute: 'expiresAt',
          handlers: { loan: { insert: (c) => void applied.push({ memberId: c.newImage.memberId, loanId: c.newImage.loanId }) } },
        });
        const fail = new Set(s.failures.map((f) => `${written[f.record % written.length]?.loanId}/${f.delivery}`));
        const restartAt = new Set(s.restarts);
        let deliveries = 0;
        let checkpoint: Record<string, string> | undefined;
        for (let run = 0; run < 10; run++) {
          let stoppedHere = false;
          const c: LocalStreamConsumer = startStreamConsumer(consumer, {
            engine: t.engine,
            tableName: t.tableName,
            services: undefined,
            checkpoint,
            idempotency: { client: t.client, tableName: t.tableName },
            retryDelayMs: () => 0,
            inject: (record, delivery) => {
              deliveries++;
              if (restartAt.has(deliveries)) {
                restartAt.delete(deliveries);
                stoppedHere = true;
                void c.stop();
                throw new StreamInvocationCrash('consumer killed');
              }
              if (fail.has(`${String(record.dynamodb?.NewImage?.loanId?.S)}/${delivery}`)) throw new Error('injected failure');
            },
          });
          await c.drain({ timeoutMs: 20_000 });
          await c.stop();
          checkpoint = c.checkpoint();
          if (!stoppedHere) break;
        }
        // Zero lost, zero twice.
        expect([...applied.map((a) => a.loanId)].sort()).toEqual(written.map((w) => w.loanId).sort());
        // Order per partition key: each member's loans applied in write order.
        for (const k of new Set(s.keys)) {
          const mine = applied.filter((a) => a.memberId === `m${k}`).map((a) => a.loanId);
          expect(mine).toEqual(written.filter((w) => w.memberId === `m${k}`).map((w) => w.loanId));
        }
      } finally {
        await t.close();
      }
    }),
    { numRuns: 30, seed: 2112 },
  );
}, 120_000);
