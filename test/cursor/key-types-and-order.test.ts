import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { Entity } from 'electrodb';
import { deriveTableDefinition, dropTable, ensureTable, localClientConfig, putItem, queryPage, TableKeyFieldsError, type RequestContext } from '../../src/toolkit';
import { collectPages } from '../../src/toolkit/testing';
import { uniqueTableName } from '../support/local-table';

/*
 * Paged listings end to end on DynamoDB Local, through the public API: a numeric sort key
 * (ElectroDB `cast: 'number'`), a string range whose UTF-8 byte order differs from JavaScript's
 * UTF-16 order, and a wrong `tableKeyFields` setting.
 * DynamoDB orders String sort keys by their UTF-8 bytes, Number sort keys by value:
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_Query.html (ScanIndexForward)
 */
const client = new DynamoDBClient(localClientConfig(process.env.DYNAMODB_ENDPOINT as string));
const doc = DynamoDBDocumentClient.from(client);
const tableName = uniqueTableName('key-types');

const reading = new Entity(
  {
    model: { entity: 'reading', service: 'meter', version: '1' },
    attributes: { meterId: { type: 'string', required: true }, seq: { type: 'number', required: true }, label: { type: 'string' } },
    indexes: {
      primary: { pk: { field: 'pk', composite: ['meterId'] }, sk: { field: 'sk', composite: ['seq'], cast: 'number' } },
      byLabel: { index: 'gsi1', pk: { field: 'gsi1pk', composite: ['meterId'] }, sk: { field: 'gsi1sk', composite: ['label'], template: '${label}', casing: 'none' } },
    },
  },
  { table: tableName, client: doc },
);

const ctx: RequestContext = { doc, tableKeyFields: ['pk', 'sk'] };
// In UTF-16 order '\uffff' sorts after '😀' (a surrogate pair, 0xD83D...); in UTF-8 bytes it sorts before (EF BF BF < F0 9F 98 80).
const labels = ['a', 'b', 'z', '\u00e9', '\uffef', '\uffff', '\ud83d\ude00', '\ud83d\ude01'];

beforeAll(async () => {
  await ensureTable(client, deriveTableDefinition({ tableName, entities: [reading] }));
  for (let seq = 1; seq <= labels.length; seq += 1) {
    await putItem(ctx, reading.put({ meterId: 'm1', seq: seq * 10 - 35, label: labels[seq - 1] as string }).params());
  }
});
afterAll(async () => {
  await dropTable(client, tableName);
  client.destroy();
});

async function everything(params: QueryCommandInput): Promise<unknown[]> {
  const out = await doc.send(new QueryCommand({ ...params, ConsistentRead: false }));
  return out.Items ?? [];
}

describe('a numeric sort key (cast: number)', () => {
  it('is typed N in the table definition, so writes succeed', () => {
    const definition = deriveTableDefinition({ tableName, entities: [reading] });
    expect(definition.input.AttributeDefinitions).toContainEqual({ AttributeName: 'sk', AttributeType: 'N' });
    expect(definition.input.AttributeDefinitions).toContainEqual({ AttributeName: 'gsi1sk', AttributeType: 'S' });
  });

  it('pages through a listing at size 1 with the cursors queryPage issued, negative numbers included', async () => {
    const params = reading.query.primary({ meterId: 'm1' }).params() as QueryCommandInput;
    const paged = await collectPages(async (cursor) => {
      const page = await queryPage(ctx, 'readings', params, { limit: 1, cursor });
      return { items: page.raw, cursor: page.cursor };
    });
    expect(paged.items.map((i) => i.seq)).toEqual([-25, -15, -5, 5, 15, 25, 35, 45]);
    expect(paged.items).toEqual(await everything(params));
  });

  it('pages a between range of numbers, and refuses a cursor outside it', async () => {
    const params = reading.query.primary({ meterId: 'm1' }).between({ seq: -15 }, { seq: 25 }).params() as QueryCommandInput;
    const paged = await collectPages(async (cursor) => {
      const page = await queryPage(ctx, 'readings', params, { limit: 1, cursor });
      return { items: page.raw, cursor: page.cursor };
    });
    expect(paged.items).toEqual(await everything(params));
    expect(paged.items).toHaveLength(5);
    const all = await queryPage(ctx, 'readings', reading.query.primary({ meterId: 'm1' }).params() as QueryCommandInput, { limit: 7 });
    await expect(queryPage(ctx, 'readings', params, { limit: 1, cursor: all.cursor })).rejects.toMatchObject({ code: 'VALIDATION', field: 'cursor' });
  });
});

describe('a string range checked in DynamoDB\'s order (UTF-8 bytes)', () => {
  it('a BETWEEN up to 😀 paged at size 1 returns exactly what one Query returns', async () => {
    const params = reading.query.byLabel({ meterId: 'm1' }).between({ label: 'b' }, { label: '\ud83d\ude00' }).params() as QueryCommandInput;
    const once = await everything(params);
    const paged = await collectPages(async (cursor) => {
      const page = await queryPage(ctx, 'byLabel', params, { limit: 1, cursor });
      return { items: page.raw, cursor: page.cursor };
    });
    expect(paged.items).toEqual(once);
    expect(once.map((i) => (i as { label: string }).label)).toEqual(['b', 'z', '\u00e9', '\uffef', '\uffff', '\ud83d\ude00']);
  });
});

describe('tableKeyFields that do not name the table\'s keys', () => {
  it('fail on the first page with a message that names the setting, not the caller\'s cursor', async () => {
    const wrong: RequestContext = { doc, tableKeyFields: ['PK', 'SK'] };
    const params = reading.query.primary({ meterId: 'm1' }).params() as QueryCommandInput;
    const attempt = queryPage(wrong, 'readings', params, { limit: 1 });
    await expect(attempt).rejects.toBeInstanceOf(TableKeyFieldsError);
    await expect(queryPage(wrong, 'readings', params, { limit: 1 })).rejects.toThrow(/tableKeyFields is \["PK","SK"\].*"pk","sk"/);
    // The default (['pk', 'sk']) is right for this table.
    await expect(queryPage({ doc }, 'readings', params, { limit: 1 })).resolves.toMatchObject({ cursor: expect.any(String) });
  });
});
