import { Entity } from 'electrodb';
import { renderExport } from '../../src/cli/export';
import { defineCatalog, iamPolicy, policyAllows, type AccessPatternDeclaration, type IamPolicyDocument, type Model } from '../../src/toolkit';
import { Comment, Tenant, Ticket, ticketingCatalog, ticketingModel } from '../fixtures/ticketing-model';

const TABLE = 'iam-table';
const ARN = `arn:aws:dynamodb:us-east-1:123456789012:table/${TABLE}`;
const entities = [Tenant, Ticket, Comment] as unknown as Model['entities'];
const policyOf = (catalog: readonly AccessPatternDeclaration[], extra: Partial<Parameters<typeof iamPolicy>[1]> = {}, modelEntities = entities) =>
  iamPolicy({ catalog, entities: modelEntities }, { tableName: TABLE, region: 'us-east-1', accountId: '123456789012', ...extra });

// defineCatalog refuses a Scan; a catalog built by hand (or an older one) can still carry one.
const SCAN: AccessPatternDeclaration = { name: 'listAllTickets', kind: 'read', description: 'Every ticket.', entities: ['ticket'], requests: [{ operation: 'Scan', index: 'table', key: 'none' }] };

describe('IAM: key-less actions and tenant isolation', () => {
  it('a declared Scan never shares the LeadingKeys statement, and the finding does not claim tenant isolation', () => {
    const { policy, leadingKeys } = policyOf([...ticketingCatalog, SCAN]);
    const guarded = policy.Statement.filter((s) => s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys']);
    expect(guarded).toHaveLength(1);
    for (const s of guarded) expect(s.Action).not.toContain('dynamodb:Scan');
    expect(policy.Statement.find((s) => s.Action.includes('dynamodb:Scan'))).toMatchObject({ Sid: 'TableScanNotTenantScoped', Resource: [ARN] });
    expect(leadingKeys).toMatchObject({ applied: true, isolated: false, unscoped: ['dynamodb:Scan'] });
    expect(leadingKeys.reason).toContain('not tenant-isolated');
    // The policy grants what it says: one tenant's principal may Scan (every tenant's items), and nothing keyed of another tenant.
    expect(policyAllows(policy, { action: 'dynamodb:Scan', resource: ARN, principalTags: { tenantId: 't1' } })).toBe(true);
    expect(policyAllows(policy, { action: 'dynamodb:GetItem', resource: ARN, leadingKeys: ['$helpdesk#tenantid_t2'], principalTags: { tenantId: 't1' } })).toBe(false);
  });

  it('without a Scan the same catalog is isolated, and the keyed statement refuses a request without LeadingKeys', () => {
    const { policy, leadingKeys } = policyOf(ticketingCatalog);
    expect(leadingKeys).toMatchObject({ applied: true, isolated: true, unscoped: [] });
    // A PutItem with no partition key in the request context (there is none in practice) must not pass a vacuous ForAllValues.
    expect(policyAllows(policy, { action: 'dynamodb:PutItem', resource: ARN, leadingKeys: [], principalTags: { tenantId: 't1' } })).toBe(false);
    expect(policy.Statement[0]?.Condition?.Null).toEqual({ 'dynamodb:LeadingKeys': ['false'] });
  });

  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html
  // "The ForAllValues set operator also returns true if there are no context keys in the request."
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
  // (a Null condition with false is how to refuse a request that lacks the key).
  it('policyAllows evaluates ForAllValues over an empty LeadingKeys set as AWS does: true, unless a Null condition refuses it', () => {
    const statement = { Sid: 'S', Effect: 'Allow' as const, Action: ['dynamodb:Scan', 'dynamodb:GetItem'], Resource: [ARN] };
    const forAll = { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['t#${aws:PrincipalTag/tenantId}#*'] } };
    const vacuous: IamPolicyDocument = { Version: '2012-10-17', Statement: [{ ...statement, Condition: forAll }] };
    expect(policyAllows(vacuous, { action: 'dynamodb:Scan', resource: ARN, principalTags: { tenantId: 'a' } })).toBe(true);
    expect(policyAllows(vacuous, { action: 'dynamodb:GetItem', resource: ARN, leadingKeys: ['t#a#1'], principalTags: { tenantId: 'a' } })).toBe(true);
    expect(policyAllows(vacuous, { action: 'dynamodb:GetItem', resource: ARN, leadingKeys: ['t#b#1'], principalTags: { tenantId: 'a' } })).toBe(false);
    const guarded: IamPolicyDocument = { Version: '2012-10-17', Statement: [{ ...statement, Condition: { ...forAll, Null: { 'dynamodb:LeadingKeys': ['false'] } } }] };
    expect(policyAllows(guarded, { action: 'dynamodb:Scan', resource: ARN, principalTags: { tenantId: 'a' } })).toBe(false);
    expect(policyAllows(guarded, { action: 'dynamodb:GetItem', resource: ARN, leadingKeys: ['t#a#1'], principalTags: { tenantId: 'a' } })).toBe(true);
  });
});

/** A tenant-first entity with the given key casing (ElectroDB's default is lower). */
function casedNote(casing: 'default' | 'upper') {
  return new Entity({
    model: { entity: 'note', version: '1', service: 'notes' },
    attributes: { tenantId: { type: 'string', required: true }, noteId: { type: 'string', required: true } },
    indexes: { note: { pk: { field: 'pk', composite: ['tenantId'], ...(casing === 'upper' ? { casing: 'upper' as const } : {}) }, sk: { field: 'sk', composite: ['noteId'] } } },
  });
}
const NOTES = defineCatalog([{ name: 'getNote', kind: 'read', description: 'A note.', entities: ['note'], requests: [{ operation: 'GetItem', index: 'table', key: 'pk = tenantId, sk = noteId' }] }]);

describe('IAM: keys ElectroDB cases', () => {
  it('with the default (lower) casing, the reason names the cause and both fixes; tenantValueCase lower then applies', () => {
    const note = casedNote('default');
    const { leadingKeys } = policyOf(NOTES, {}, [note] as unknown as Model['entities']);
    expect(leadingKeys.applied).toBe(false);
    expect(leadingKeys.reason).toMatch(/note: the tenant value is not part of its partition key as built: ElectroDB lower-cases that key \(its default casing, 'lower'\)/);
    expect(leadingKeys.reason).toContain("set casing: 'none' on the pk of note's note index");
    expect(leadingKeys.reason).toContain("tenantValueCase: 'lower' (CLI --tenant-value-case lower)");
    const lower = policyOf(NOTES, { tenantValueCase: 'lower' }, [note] as unknown as Model['entities']);
    expect(lower.leadingKeys).toMatchObject({ applied: true, isolated: true });
    // The key ElectroDB builds for a lower-case tenant passes for that tenant only.
    const key = note.get({ tenantId: 'acme', noteId: 'n1' }).params({ table: TABLE }).Key.pk as string;
    expect(policyAllows(lower.policy, { action: 'dynamodb:GetItem', resource: ARN, leadingKeys: [key], principalTags: { tenantId: 'acme' } })).toBe(true);
    expect(policyAllows(lower.policy, { action: 'dynamodb:GetItem', resource: ARN, leadingKeys: [key], principalTags: { tenantId: 'acm' } })).toBe(false);
  });

  it('an upper-cased key is not taken for one that holds the tenant value as sent', () => {
    const note = casedNote('upper');
    const { leadingKeys } = policyOf(NOTES, {}, [note] as unknown as Model['entities']);
    expect(leadingKeys.applied).toBe(false);
    expect(leadingKeys.reason).toContain('ElectroDB upper-cases that key');
    const upper = policyOf(NOTES, { tenantValueCase: 'upper' }, [note] as unknown as Model['entities']);
    const key = note.get({ tenantId: 'ACME', noteId: 'n1' }).params({ table: TABLE }).Key.pk as string;
    expect(policyAllows(upper.policy, { action: 'dynamodb:GetItem', resource: ARN, leadingKeys: [key], principalTags: { tenantId: 'ACME' } })).toBe(true);
  });
});

describe('IAM: only the actions the patterns use', () => {
  const noDeletes = ticketingCatalog.filter((p) => p.name !== 'deleteComment');

  it('a transaction that declares its parts grants exactly those: no DeleteItem when no pattern deletes', () => {
    const declared = noDeletes.map((p) => ({
      ...p,
      requests: p.requests.map((r) => (r.operation === 'TransactWriteItems' ? { ...r, transactItems: p.name === 'openTicket' ? (['ConditionCheck', 'Put'] as const) : (['Put', 'Update'] as const) } : r)),
    }));
    const { grants, notes } = policyOf(declared);
    expect(grants.map((g) => g.action)).not.toContain('dynamodb:DeleteItem');
    expect(grants.filter((g) => g.index === 'table').map((g) => g.action)).toEqual(['dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
    expect(notes).toEqual([]);
  });

  it('an undeclared transaction is noted, and actions narrows the grant; an action no pattern uses is refused', () => {
    const { grants, notes } = policyOf(noDeletes);
    expect(grants.map((g) => g.action)).toContain('dynamodb:DeleteItem');
    expect(notes.join('\n')).toContain('openTicket: its TransactWriteItems does not declare transactItems');
    const narrowed = policyOf(noDeletes, { actions: ['ConditionCheckItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'] });
    expect(narrowed.grants.map((g) => g.action)).not.toContain('dynamodb:DeleteItem');
    expect(() => policyOf(noDeletes, { actions: ['Scan'] })).toThrow('actions: dynamodb:Scan is not an action the selected patterns use');
  });

  it('defineCatalog refuses transactItems on another operation or with an unknown kind', () => {
    const base = { name: 'p', kind: 'write' as const, description: 'p', entities: ['x'] };
    expect(() => defineCatalog([{ ...base, requests: [{ operation: 'PutItem', index: 'table', key: 'k', transactItems: ['Put'] }] }])).toThrow('transactItems is only for a TransactWriteItems');
    expect(() => defineCatalog([{ ...base, requests: [{ operation: 'TransactWriteItems', index: 'table', key: 'k', transactItems: ['Remove' as 'Put'] }] }])).toThrow('transactItems must list one or more of');
  });

  it('the CLI narrows with --actions (export --format iam)', async () => {
    const text = await renderExport(ticketingModel as unknown as Model, { format: 'iam', json: true, size: 0, patterns: ['openTicket', 'getTenant'], actions: ['ConditionCheckItem', 'PutItem', 'GetItem'] });
    const out = JSON.parse(text) as { grants: { action: string }[] };
    expect(out.grants.map((g) => g.action).sort()).toEqual(['dynamodb:ConditionCheckItem', 'dynamodb:GetItem', 'dynamodb:PutItem']);
  });
});
