import { defineStreamConsumer, defineModel } from '../../src/toolkit';
import { referenceModel } from '../../src/reference';
import { measureStreams, renderStreams } from '../../src/cli/streams';
import { Book, Loan, Member, libraryModel } from '../fixtures/library-model';

/* `single-table-kit streams`: seeds a model with its consumers running and reports per handler. */
it('reports the reference model consumer: records, no failures, lag p50 <= p99', async () => {
  const report = await measureStreams(referenceModel, { size: 3 });
  const c = report.consumers[0];
  expect(c?.consumer).toBe('membership-names');
  const h = c?.handlers.find((x) => x.handler === 'user.modify');
  expect(h?.records).toBeGreaterThan(0);
  expect(h?.failures).toBe(0);
  expect(c?.discarded).toBe(0);
  expect(c?.lagP50Ms).not.toBeNull();
  expect(c?.lagP50Ms as number).toBeLessThanOrEqual(c?.lagP99Ms as number);
  expect(renderStreams(report)).toMatch(/membership-names\s+│ user\.modify/);
}, 60_000);

it('runs on a second model with a hostile handler name, escaped in the table; a model without consumers or stream is refused', async () => {
  const seen: string[] = [];
  const consumer = defineStreamConsumer({
    entities: { member: Member, book: Book, 'loan\u001b[31m': Loan },
    settings: { name: 'loan-log', batchSize: 4 },
    handlers: { 'loan\u001b[31m': { insert: (c) => void seen.push(c.newImage.loanId) } },
  });
  const model = defineModel({ ...libraryModel, table: { ...libraryModel.table, stream: 'NEW_AND_OLD_IMAGES' }, streamConsumers: [consumer] });
  const report = await measureStreams(model, { size: 2 });
  expect(report.consumers[0]?.handlers).toEqual([expect.objectContaining({ handler: 'loan\u001b[31m.insert', records: seen.length, failures: 0 })]);
  expect(seen.length).toBeGreaterThanOrEqual(4);
  expect(renderStreams(report)).not.toContain('\u001b');
  await expect(measureStreams(libraryModel, { size: 1 })).rejects.toThrow(/declares no streamConsumers/);
  await expect(measureStreams({ ...model, table: { stream: false } }, { size: 1 })).rejects.toThrow(/has no stream/);
}, 60_000);
