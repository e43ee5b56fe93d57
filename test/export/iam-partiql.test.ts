import { checkCatalog, defineCatalog, iamPolicy, policyAllows, type AccessPatternDeclaration, type Model } from '../../src/toolkit';
import { Comment, Tenant, Ticket, ticketingCatalog } from '../fixtures/ticketing-model';
import { entities as libraryEntities, catalog as libraryCatalog } from '../fixtures/library-model';
import { PARTIQL_CATALOG } from './stream-consumer-fixtures';

const TABLE = 'partiql-table';
const ARN = `arn:aws:dynamodb:us-east-1:123456789012:table/${TABLE}`;
const ticketingEntities = [Tenant, Ticket, Comment] as unknown as Model['entities'];
const policyOf = (catalog: readonly AccessPatternDeclaration[], modelEntities: Model['entities'] = ticketingEntities, extra: Partial<Parameters<typeof iamPolicy>[1]> = {}) =>
  iamPolicy({ catalog, entities: modelEntities }, { tableName: TABLE, region: 'us-east-1', accountId: '123456789012', ...extra });

/** A pattern that reads every ticket in PartiQL on purpose (defineCatalog refuses it, as it refuses a Scan: built by hand). */
const SCAN_ON_PURPOSE: AccessPatternDeclaration = {
  name: 'exportTicketsSql',
  kind: 'read',
  description: 'Every ticket, for a nightly export (a full scan on purpose).',
  entities: ['ticket'],
  requests: [{ operation: 'ExecuteStatement', index: 'table', key: 'none (full table scan)', partiql: ['SELECT'], fullTableScan: true }],
};

describe('IAM export of PartiQL patterns', () => {
  it('grants exactly the PartiQL actions of the declared statement kinds, on the table and index ARNs they use', () => {
    const { grants, policy } = policyOf(PARTIQL_CATALOG);
    expect(grants).toEqual([
      { action: 'dynamodb:PartiQLDelete', index: 'table' },
      { action: 'dynamodb:PartiQLInsert', index: 'table' },
      { action: 'dynamodb:PartiQLSelect', index: 'table' },
      { action: 'dynamodb:PartiQLUpdate', index: 'table' },
      { action: 'dynamodb:PartiQLSelect', index: 'GSI1' },
    ]);
    // There is no ExecuteStatement IAM action: nothing of the kind is granted.
    expect(JSON.stringify(policy)).not.toMatch(/ExecuteStatement|ExecuteTransaction|dynamodb:\*|"\*"/);
    expect(policyAllows(policy, { action: 'dynamodb:PartiQLSelect', resource: `${ARN}/index/GSI1`, leadingKeys: [], fullTableScan: false })).toBe(true);
    // GSI1 is only read: no write there, and no read of an index no pattern names.
    expect(policyAllows(policy, { action: 'dynamodb:PartiQLInsert', resource: `${ARN}/index/GSI1` })).toBe(false);
    expect(policyAllows(policy, { action: 'dynamodb:PartiQLSelect', resource: `${ARN}/index/GSI2`, fullTableScan: false })).toBe(false);
  });

  it('denies PartiQLSelect full table scans wherever it grants PartiQLSelect, in the form of AWS\'s example policy', () => {
    const { policy, notes } = policyOf(PARTIQL_CATALOG);
    // https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-iam.html ("Allow select statements and deny full table scan statements")
    expect(policy.Statement.filter((s) => s.Effect === 'Deny')).toEqual([
      { Sid: 'DenyPartiQLFullTableScan', Effect: 'Deny', Action: ['dynamodb:PartiQLSelect'], Resource: [ARN, `${ARN}/index/GSI1`], Condition: { Bool: { 'dynamodb:FullTableScan': ['true'] } } },
    ]);
    expect(notes).toEqual([]);
    // The tenant's keyed SELECT passes; the same action as a full scan is refused by the Deny, whatever the Allow says.
    const keyed = { action: 'dynamodb:PartiQLSelect', resource: ARN, leadingKeys: ['$helpdesk#tenantId_t1'], principalTags: { tenantId: 't1' } };
    expect(policyAllows(policy, { ...keyed, fullTableScan: false })).toBe(true);
    expect(policyAllows(policy, { ...keyed, fullTableScan: true })).toBe(false);
    expect(policyAllows(policy, { action: 'dynamodb:PartiQLSelect', resource: `${ARN}/index/GSI1`, fullTableScan: true })).toBe(false);
  });

  it('a pattern that declares a full table scan on purpose keeps it: no Deny there, a note says so, and the table is not claimed tenant-isolated', () => {
    const { policy, notes, leadingKeys } = policyOf([...PARTIQL_CATALOG, SCAN_ON_PURPOSE]);
    const deny = policy.Statement.find((s) => s.Effect === 'Deny');
    expect(deny?.Resource).toEqual([`${ARN}/index/GSI1`]);
    expect(notes).toEqual([expect.stringContaining('exportTicketsSql: declares a PartiQL full table scan (fullTableScan) on the table')]);
    expect(policyAllows(policy, { action: 'dynamodb:PartiQLSelect', resource: ARN, fullTableScan: true, principalTags: { tenantId: 't1' } })).toBe(true);
    // A full scan sends no partition key: it cannot sit in the LeadingKeys statement.
    expect(leadingKeys).toMatchObject({ applied: true, isolated: false, unscoped: ['dynamodb:PartiQLSelect'] });
    const scoped = policy.Statement.find((s) => s.Sid === 'TableItems');
    expect(scoped?.Action).not.toContain('dynamodb:PartiQLSelect');
    expect(scoped?.Action).toEqual(['dynamodb:PartiQLDelete', 'dynamodb:PartiQLInsert', 'dynamodb:PartiQLUpdate']);
  });

  it('keeps the tenant condition on keyed PartiQL statements next to the ElectroDB patterns', () => {
    const { policy, leadingKeys } = policyOf([...ticketingCatalog, ...PARTIQL_CATALOG]);
    expect(leadingKeys).toMatchObject({ applied: true, isolated: true, unscoped: [] });
    const scoped = policy.Statement.find((s) => s.Sid === 'TableItems');
    expect(scoped?.Action).toEqual(expect.arrayContaining(['dynamodb:PartiQLInsert', 'dynamodb:PartiQLSelect', 'dynamodb:GetItem']));
    const insert = { action: 'dynamodb:PartiQLInsert', resource: ARN, leadingKeys: ['$helpdesk#tenantId_t1'] };
    expect(policyAllows(policy, { ...insert, principalTags: { tenantId: 't1' } })).toBe(true);
    expect(policyAllows(policy, { ...insert, principalTags: { tenantId: 't2' } })).toBe(false);
  });

  it('works on a second model (library): PartiQL on its own index names, actions narrowed with actions', () => {
    const catalog = defineCatalog([
      ...libraryCatalog,
      { name: 'loansOfBookSql', kind: 'read', description: 'Loans of a book, in PartiQL.', entities: ['loan'], requests: [{ operation: 'ExecuteStatement', index: 'byBook', key: 'bookPart = bookId', partiql: ['SELECT'] }] },
      { name: 'returnBookSql', kind: 'write', description: 'Return a book, in PartiQL.', entities: ['loan'], requests: [{ operation: 'ExecuteStatement', index: 'table', key: 'part = memberId, sort = loanId', partiql: ['DELETE'] }] },
    ]);
    const lib = libraryEntities as unknown as Model['entities'];
    const { policy } = policyOf(catalog, lib);
    expect(policy.Statement.find((s) => s.Effect === 'Deny')?.Resource).toEqual([`${ARN}/index/byBook`]);
    expect(policyAllows(policy, { action: 'dynamodb:PartiQLDelete', resource: ARN })).toBe(true);
    const narrowed = policyOf(catalog, lib, { actions: ['GetItem', 'PartiQLSelect'] });
    expect(narrowed.grants.map((g) => `${g.action} ${g.index}`)).toEqual(['dynamodb:GetItem table', 'dynamodb:PartiQLSelect byBook']);
  });

  it('refuses a PartiQL request whose statement kinds are not declared (a hand-made catalog)', () => {
    const undeclared: AccessPatternDeclaration = { name: 'rawSql', kind: 'read', description: 'x', entities: ['tenant'], requests: [{ operation: 'ExecuteStatement', index: 'table', key: 'PK = tenantId' }] };
    expect(() => policyOf([undeclared])).toThrow('ExecuteStatement must declare partiql');
  });
});

describe('catalog validation of PartiQL declarations', () => {
  const one = (request: Record<string, unknown>) => [{ name: 'p', kind: 'read', description: 'x', entities: ['tenant'], requests: [{ index: 'table', key: 'k', ...request }] }] as unknown as AccessPatternDeclaration[];
  it.each([
    [{ operation: 'ExecuteStatement' }, 'ExecuteStatement must declare partiql'],
    [{ operation: 'BatchExecuteStatement', partiql: [] }, 'BatchExecuteStatement must declare partiql'],
    [{ operation: 'ExecuteStatement', partiql: ['SELECT', 'INSERT'] }, 'an ExecuteStatement sends one statement'],
    [{ operation: 'ExecuteTransaction', partiql: ['SELECT', 'UPDATE'] }, 'cannot mix reads (SELECT) and writes (UPDATE)'],
    [{ operation: 'BatchExecuteStatement', partiql: ['UPDATE', 'UPDATE'] }, 'partiql lists a statement kind twice'],
    [{ operation: 'ExecuteStatement', partiql: ['MERGE'] }, 'partiql must list SELECT, INSERT, UPDATE, DELETE, got "MERGE"'],
    [{ operation: 'GetItem', partiql: ['SELECT'] }, 'partiql is only for ExecuteStatement, BatchExecuteStatement, ExecuteTransaction, not a GetItem'],
    [{ operation: 'Query', fullTableScan: true }, 'fullTableScan is only for an ExecuteStatement'],
    [{ operation: 'BatchExecuteStatement', partiql: ['SELECT'], fullTableScan: true }, "a BatchExecuteStatement's reads need the full key"],
    [{ operation: 'ExecuteStatement', partiql: ['DELETE'], fullTableScan: true }, "fullTableScan is only for an ExecuteStatement with partiql: ['SELECT']"],
  ])('defineCatalog and checkCatalog refuse %j', (request, message) => {
    expect(() => defineCatalog(one(request))).toThrow(/^Access pattern "p": /);
    expect(() => defineCatalog(one(request))).toThrow(message);
    expect(checkCatalog(one(request), ticketingEntities).errors).toEqual([expect.stringContaining(message)]);
  });

  it('accepts the declarations DynamoDB allows; a declared full scan only in a hand-made catalog, like a Scan', () => {
    expect(() => defineCatalog(PARTIQL_CATALOG)).not.toThrow();
    expect(checkCatalog([...PARTIQL_CATALOG, SCAN_ON_PURPOSE], ticketingEntities).errors).toEqual([]);
    expect(() => defineCatalog([SCAN_ON_PURPOSE])).toThrow('Access pattern "exportTicketsSql" declares a PartiQL full table scan: every access pattern must be served by keys');
  });
});
