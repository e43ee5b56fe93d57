import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { Entity, Service, type EntityItem } from 'electrodb';
import { bindPatterns, deriveTableDefinition, dropTable, ensureTable, getItem, ParamsTemplates, queryPage, shaper, ValidationError, type Page, type RequestContext } from '../src/toolkit';
import type { PeerName, Side } from './peers';

/*
 * A model that is not the reference model, written as a user would with the toolkit's request
 * helpers: its own service name, key attribute names (PK/SK, GSI1PK/GSI1SK) and key shapes, a
 * table of its own, services built with bindPatterns + getItem/queryPage + ParamsTemplates from
 * the public barrel. It shows what a user's own services cost over hand-written requests.
 */

const Member = new Entity({
  model: { entity: 'member', version: '1', service: 'library' },
  attributes: {
    memberId: { type: 'string', required: true },
    name: { type: 'string', required: true },
    joinedAt: { type: 'string', required: true },
  },
  indexes: {
    byId: { pk: { field: 'PK', composite: ['memberId'] }, sk: { field: 'SK', composite: [] } },
  },
});

const Loan = new Entity({
  model: { entity: 'loan', version: '1', service: 'library' },
  attributes: {
    loanId: { type: 'string', required: true },
    memberId: { type: 'string', required: true },
    isbn: { type: 'string', required: true },
    title: { type: 'string', required: true },
    dueAt: { type: 'string', required: true },
  },
  indexes: {
    byId: { pk: { field: 'PK', composite: ['loanId'] }, sk: { field: 'SK', composite: [] } },
    byMember: { index: 'GSI1', pk: { field: 'GSI1PK', composite: ['memberId'] }, sk: { field: 'GSI1SK', composite: ['dueAt', 'loanId'] } },
  },
});

export type MemberItem = EntityItem<typeof Member>;
export type LoanItem = EntityItem<typeof Loan>;

function bind(doc: DynamoDBDocumentClient, table: string) {
  const config = { client: doc, table };
  return new Service({ member: new Entity(Member.schema, config), loan: new Entity(Loan.schema, config) }, config);
}

const ID = /^[a-z0-9-]{1,64}$/;
function id(field: string, value: unknown): string {
  if (typeof value !== 'string' || !ID.test(value)) throw new ValidationError([{ field, rule: 'must be an id of 1-64 lowercase letters, digits or dashes' }]);
  return value;
}

/** The user's services, built only from the toolkit's public helpers. */
export function createLibraryServices(client: DynamoDBClient, table: string) {
  const doc = DynamoDBDocumentClient.from(client);
  const { member, loan } = bind(doc, table).entities;
  const templates = new ParamsTemplates();
  const toMember = shaper<MemberItem>(Member);
  const toLoan = shaper<LoanItem>(Loan);
  const ctx: RequestContext = { doc, tableKeyFields: ['PK', 'SK'] };
  return bindPatterns(ctx, {
    getMember: (ctx) => async (memberId: string): Promise<MemberItem | null> => {
      const raw = await getItem(ctx, templates.get('member.get', { memberId: id('memberId', memberId) }, (s) => member.get(s).params()));
      return raw ? toMember(raw) : null;
    },
    listLoansForMember: (ctx) => async (memberId: string, page: { limit?: number; cursor?: string | null } = {}): Promise<Page<LoanItem>> => {
      const params = templates.get('loan.byMember', { memberId: id('memberId', memberId) }, (s) => loan.query.byMember(s).params());
      const out = await queryPage(ctx, 'listLoansForMember', params, page);
      return { items: out.raw.map(toLoan), cursor: out.cursor };
    },
  });
}

export interface UserModelBench {
  table: string;
  memberIds: string[];
  drop(): Promise<void>;
}

/** Creates the library table and seeds members with `loans` loans each (full 25-item pages). */
export async function seedLibrary(client: DynamoDBClient, table: string, members: number, loans: number): Promise<UserModelBench> {
  await ensureTable(client, deriveTableDefinition({ tableName: table, entities: [Member, Loan] }));
  const doc = DynamoDBDocumentClient.from(client);
  const { member, loan } = bind(doc, table).entities;
  const memberIds = Array.from({ length: members }, (_, m) => `member-${m}`);
  const puts: Record<string, unknown>[] = [];
  for (const memberId of memberIds) {
    puts.push(member.put({ memberId, name: `Reader ${memberId}`, joinedAt: '2024-01-01T00:00:00.000Z' }).params().Item as Record<string, unknown>);
    for (let l = 0; l < loans; l += 1) {
      const dueAt = new Date(Date.UTC(2025, 0, 1 + l)).toISOString();
      puts.push(loan.put({ loanId: `${memberId}-loan-${l}`, memberId, isbn: `978-0-${String(l).padStart(6, '0')}`, title: `Book ${l}`, dueAt }).params().Item as Record<string, unknown>);
    }
  }
  for (let i = 0; i < puts.length; i += 25) {
    await doc.send(new BatchWriteCommand({ RequestItems: { [table]: puts.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
  }
  return { table, memberIds, drop: () => dropTable(client, table) };
}

export interface UserModelPattern {
  pattern: string;
  shape: 'get' | 'query';
  service: Side;
  hand: Side;
  peers: Partial<Record<PeerName, Side>>;
}

/** The user model's patterns: helpers, the same request by hand, and ElectroDB `.go()`. */
export function userModelPairs(client: DynamoDBClient, table: string, memberIds: readonly string[]): UserModelPattern[] {
  const services = createLibraryServices(client, table);
  const doc = DynamoDBDocumentClient.from(client);
  const { member, loan } = bind(doc, table).entities;
  const at = (i: number) => memberIds[i % memberIds.length] as string;
  return [
    {
      pattern: 'library.getMember',
      shape: 'get',
      service: (i) => services.getMember(at(i)),
      hand: async (i) => (await doc.send(new GetCommand({ TableName: table, Key: { PK: `$library#memberid_${at(i)}`, SK: '$member_1' } }))).Item ?? null,
      peers: { 'ElectroDB .go()': (i) => member.get({ memberId: at(i) }).go() },
    },
    {
      pattern: 'library.listLoansForMember',
      shape: 'query',
      service: (i) => services.listLoansForMember(at(i), { limit: 25 }),
      hand: async (i) =>
        (
          await doc.send(
            new QueryCommand({
              TableName: table,
              IndexName: 'GSI1',
              KeyConditionExpression: 'GSI1PK = :pk and begins_with(GSI1SK, :sk)',
              ExpressionAttributeValues: { ':pk': `$library#memberid_${at(i)}`, ':sk': '$loan_1#dueat_' },
              Limit: 25,
            }),
          )
        ).Items ?? [],
      peers: { 'ElectroDB .go()': (i) => loan.query.byMember({ memberId: at(i) }).go({ limit: 25 }) },
    },
  ];
}
