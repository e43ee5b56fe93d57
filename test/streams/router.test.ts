import { DeleteItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBStreamHandler } from 'aws-lambda';
import { createStreamHandler, defineStreamConsumer, StreamConsumerError, StreamSettingsError, UnroutableRecordError, type StreamRecord } from '../../src/toolkit';
import { Book, Loan, Member, createLibraryServices } from '../fixtures/library-model';
import { streamedTable } from './stream-fixture';

/*
 * The router on the library model (its own key names part/sort): records of the engine's stream are
 * dispatched by entity and event, images parsed by the entity, TTL deletions told apart, records
 * nothing routes handed to `unknown` or failed, never dropped.
 */
type Seen = { handler: string; sequenceNumber: string; eventID: string; image?: unknown; old?: unknown; byTtl?: boolean };

async function recordsOf(run: (s: ReturnType<typeof createLibraryServices>, t: Awaited<ReturnType<typeof streamedTable>>) => Promise<void>, clock?: () => number): Promise<StreamRecord[]> {
  const t = await streamedTable([Member, Book, Loan], { clock });
  const records: StreamRecord[] = [];
  const sub = t.engine.streams.subscribe(t.tableName, (r) => {
    records.push(r as unknown as StreamRecord);
  });
  await run(createLibraryServices({ client: t.client, tableName: t.tableName }), t);
  await sub.drained();
  sub.unsubscribe();
  await t.close();
  return records;
}

const consumerOf = (seen: Seen[], unknown?: (r: StreamRecord, why: { reason: string }) => void) =>
  defineStreamConsumer({
    entities: { member: Member, book: Book, loan: Loan },
    settings: { name: 'loans-audit' },
    tableName: 'streamed.table-1',
    handlers: {
      member: {
        insert: (c) => void seen.push({ handler: 'member.insert', sequenceNumber: c.sequenceNumber, eventID: c.eventID, image: c.newImage }),
        modify: (c) => void seen.push({ handler: 'member.modify', sequenceNumber: c.sequenceNumber, eventID: c.eventID, image: c.newImage, old: c.oldImage }),
        remove: (c) => void seen.push({ handler: 'member.remove', sequenceNumber: c.sequenceNumber, eventID: c.eventID, old: c.oldImage, byTtl: c.byTtl }),
      },
      loan: {
        // The image is typed by the entity: a typo here is a compile error.
        insert: (c) => void seen.push({ handler: 'loan.insert', sequenceNumber: c.sequenceNumber, eventID: c.eventID, image: { loanId: c.newImage.loanId, bookId: c.newImage.bookId } }),
        expire: (c) => void seen.push({ handler: 'loan.expire', sequenceNumber: c.sequenceNumber, eventID: c.eventID, old: c.oldImage?.loanId, byTtl: c.byTtl }),
      },
    },
    ...(unknown ? { unknown } : {}),
  });

describe('stream router', () => {
  it('dispatches each record to its entity and event with the parsed images, eventID and SequenceNumber kept', async () => {
    const records = await recordsOf(async (s, t) => {
      await s.addMember({ memberId: 'm1', name: 'Ann' });
      await s.addBook({ bookId: 'b1', title: 'Dune' });
      await s.lendBook({ memberId: 'm1', loanId: 'l1', bookId: 'b1', loanedAt: '2026-01-01', dueAt: '2026-01-15', branch: 'central' });
      // A rename: a put over the member (ElectroDB's put, not create, which refuses an existing item).
      await t.client.send(new PutItemCommand({ TableName: t.tableName, Item: marshall(Member.put({ memberId: 'm1', name: 'Ann B.' }).params().Item as Record<string, unknown>) }));
    });
    const seen: Seen[] = [];
    const consumer = consumerOf(seen);
    for (const r of records) await consumer.handle(r, undefined);
    expect(seen.map((s) => s.handler)).toEqual(['member.insert', 'loan.insert', 'member.modify']);
    expect(seen[0]).toMatchObject({ image: { memberId: 'm1', name: 'Ann' }, sequenceNumber: records[0]?.dynamodb?.SequenceNumber, eventID: records[0]?.eventID });
    expect(seen[1]?.image).toEqual({ loanId: 'l1', bookId: 'b1' });
    expect(seen[2]).toMatchObject({ image: { name: 'Ann B.' }, old: { name: 'Ann' } });
    // Parsed by ElectroDB: no key or identifier attributes in the image.
    expect(Object.keys(seen[0]?.image as object).sort()).toEqual(['memberId', 'name']);
  });

  it('tells a TTL deletion apart from a delete by a request (userIdentity Service / dynamodb.amazonaws.com)', async () => {
    let now = Date.parse('2026-03-01T00:00:00Z');
    const records = await recordsOf(
      async (s, t) => {
        await s.lendBook({ memberId: 'm1', loanId: 'l1', bookId: 'b1', loanedAt: '2026-01-01', dueAt: '2026-01-15', branch: 'central' });
        await s.addMember({ memberId: 'm9', name: 'Bo' });
        // Expire the loan: the engine's TTL sweeper deletes it as the service.
        await t.client.send(new PutItemCommand({ TableName: t.tableName, Item: { ...marshall(Loan.create({ memberId: 'm1', loanId: 'l1', bookId: 'b1', loanedAt: '2026-01-01', dueAt: '2026-01-15', branch: 'central' }).params().Item as Record<string, unknown>), expiresAt: { N: String(Math.floor(now / 1000) - 10) } } }));
        now += 3_600_000;
        t.engine.ttl.sweep();
        await t.client.send(new DeleteItemCommand({ TableName: t.tableName, Key: marshall(Member.delete({ memberId: 'm9' }).params().Key as Record<string, unknown>) }));
      },
      () => now,
    );
    const seen: Seen[] = [];
    const consumer = consumerOf(seen);
    for (const r of records) await consumer.handle(r, undefined);
    expect(seen.filter((s) => s.handler === 'loan.expire')).toEqual([expect.objectContaining({ old: 'l1', byTtl: true })]);
    expect(seen.filter((s) => s.handler === 'member.remove')).toEqual([expect.objectContaining({ old: { memberId: 'm9', name: 'Bo' }, byTtl: false })]);
  });

  it('sends records nothing routes to `unknown` with the reason: another table, a malformed record, a foreign item, an unparsable image, no image', async () => {
    const records = await recordsOf(async (s, t) => {
      await s.addMember({ memberId: 'm1', name: 'Ann' });
      // An item no entity of the consumer wrote (a foreign item in the same table).
      await t.client.send(new PutItemCommand({ TableName: t.tableName, Item: { part: { S: 'x' }, sort: { S: 'y' }, __edb_e__: { S: 'invoice' }, __edb_v__: { S: '1' } } }));
      // A member of a version the consumer does not know.
      await t.client.send(new PutItemCommand({ TableName: t.tableName, Item: { part: { S: 'p' }, sort: { S: 's' }, __edb_e__: { S: 'member' }, __edb_v__: { S: '2' }, name: { S: 'v2' } } }));
    });
    const member = records[0] as StreamRecord;
    const hostile: StreamRecord[] = [
      { ...member, eventSourceARN: member.eventSourceARN?.replace('streamed.table-1', 'other-table') },
      { ...member, dynamodb: undefined },
      { ...member, eventName: 'UPSERT' as never },
      { ...member, dynamodb: { ...member.dynamodb, NewImage: { name: { Q: 'x' } } } },
      { ...member, dynamodb: { ...member.dynamodb, NewImage: undefined, StreamViewType: 'KEYS_ONLY' } },
      records[1] as StreamRecord,
      records[2] as StreamRecord,
    ];
    const reasons: string[] = [];
    const consumer = consumerOf([], (_r, why) => void reasons.push(why.reason));
    for (const r of hostile) await consumer.handle(r, undefined);
    expect(reasons).toEqual(['other-table', 'malformed-record', 'malformed-record', 'unparsable-image', 'no-image', 'unknown-entity', 'unknown-entity']);
    // Without an `unknown` handler the record fails (it is retried and reported, never dropped).
    const strict = consumerOf([]);
    await expect(strict.handle(records[1] as StreamRecord, undefined)).rejects.toBeInstanceOf(UnroutableRecordError);
  });

  it('refuses a bad definition naming the field and the rule', () => {
    expect(() => defineStreamConsumer({ entities: { member: Member }, settings: { name: 'bad name!' }, handlers: {} })).toThrow(StreamSettingsError);
    expect(() => defineStreamConsumer({ entities: { member: Member }, settings: { name: 'ok' }, handlers: { loan: {} } as never })).toThrow(/handlers\.loan: names no entity/);
    expect(() => defineStreamConsumer({ entities: { member: Member }, settings: { name: 'ok' }, handlers: { member: { upsert: () => undefined } as never } })).toThrow(/handlers\.member\.upsert: must be one of insert, modify, remove, expire/);
    expect(() => defineStreamConsumer({ entities: { member: {} as never }, settings: { name: 'ok' }, handlers: {} })).toThrow(StreamConsumerError);
  });
});

describe('Lambda handler', () => {
  const fiveRecords = () =>
    recordsOf(async (s) => {
      // Partition keys: m1, m2, m1, m2, m1 (loans live in their member's partition).
      for (const [i, m] of ['m1', 'm2', 'm1', 'm2', 'm1'].entries()) await s.lendBook({ memberId: m, loanId: `l${i}`, bookId: 'b1', loanedAt: '2026-01-01', dueAt: '2026-01-15', branch: 'central' });
    });

  it('is a DynamoDBStreamHandler returning the failed record and every later record of its partition key', async () => {
    const records = await fiveRecords();
    const ran: string[] = [];
    const consumer = defineStreamConsumer({
      entities: { loan: Loan },
      settings: { name: 'fails-on-l1' },
      handlers: {
        loan: {
          insert: (c) => {
            if (c.newImage.loanId === 'l1') throw new Error('boom');
            ran.push(c.newImage.loanId);
          },
        },
      },
    });
    const handler: DynamoDBStreamHandler = createStreamHandler(consumer, { services: undefined });
    const out = await (handler as unknown as (e: unknown) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>)({ Records: records });
    // l1 (m2) failed: l3 (m2) is held back; m1's records all ran.
    expect(ran).toEqual(['l0', 'l2', 'l4']);
    expect(out.batchItemFailures.map((f) => f.itemIdentifier)).toEqual([records[1], records[3]].map((r) => r?.dynamodb?.SequenceNumber));
  });

  it('handles a throw of a non-Error, and without reportBatchItemFailures fails the whole batch', async () => {
    const records = await fiveRecords();
    const reports: unknown[] = [];
    const consumer = defineStreamConsumer({
      entities: { loan: Loan },
      settings: { name: 'throws-string', reportBatchItemFailures: false },
      handlers: {
        loan: {
          insert: (c) => {
            if (c.newImage.loanId === 'l2') throw 'a plain string';
          },
        },
      },
    });
    const handler = createStreamHandler(consumer, { services: undefined, onRecord: (r) => void (r.outcome === 'failed' && reports.push(r.error)) });
    await expect(handler({ Records: records })).rejects.toThrow(/l2|a plain string/);
    expect(reports).toEqual(['a plain string']);
  });
});
