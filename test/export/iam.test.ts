import { iamPolicy, openModelSession, policyAllows, recordIamUses, type IamUse, type Model } from '../../src/toolkit';
import { MODELS } from './export-fixtures';
import type { TicketingSeed } from '../fixtures/ticketing-model';

const TABLE = 'iam-table';

/** The tenant a ticketing request addresses, read from its partition keys (one tenant per request). */
function tenantOf(use: IamUse): string | undefined {
  const ids = new Set((use.leadingKeys ?? []).map((k) => /tenantId_([^#]+)/.exec(k)?.[1]));
  return ids.size === 1 ? [...ids][0] : undefined;
}
const arnOf = (use: Pick<IamUse, 'index'>) => `arn:aws:dynamodb:us-east-1:123456789012:table/${TABLE}${use.index === 'table' ? '' : `/index/${use.index}`}`;

/** Seeds the model, then runs every catalog pattern `rounds` times through its runners, recording IAM uses. */
async function runSuite(model: Model, rounds: number): Promise<{ uses: IamUse[]; seed: unknown }> {
  const session = await openModelSession(model, { tableName: `${TABLE}-${Math.random().toString(36).slice(2, 8)}` });
  const partitionKey = session.definition.input.KeySchema?.find((k) => k.KeyType === 'HASH')?.AttributeName;
  const recorder = recordIamUses(session.client, { partitionKey });
  try {
    const seed = await model.seed(session.services, { size: 12 });
    recorder.clear();
    const runners = model.runners(session.services, seed) as Record<string, (i: number) => Promise<() => Promise<unknown>>>;
    for (let round = 0; round < rounds; round += 1) {
      for (const pattern of model.catalog) {
        const call = await (runners[pattern.name] as (i: number) => Promise<() => Promise<unknown>>)(round);
        await call();
      }
    }
    // Uses name the session's table; the policy is for TABLE.
    return { uses: recorder.uses().map((u) => ({ ...u, table: TABLE })), seed };
  } finally {
    recorder.detach();
    await session.close();
  }
}

describe.each(MODELS)('IAM policy of the %s model', (_name, model) => {
  let uses: IamUse[];
  let seed: unknown;
  beforeAll(async () => {
    ({ uses, seed } = await runSuite(model, 2));
  }, 180_000);

  const exported = () => iamPolicy(model, { tableName: TABLE, region: 'us-east-1', accountId: '123456789012' });

  it('allows every (action, table or index) the whole pattern suite sent, and nothing it never sent', () => {
    const { policy, grants, leadingKeys } = exported();
    const sent = [...new Set(uses.map((u) => `${u.action} ${u.index}`))].sort();
    expect(grants.map((g) => `${g.action} ${g.index}`).sort()).toEqual(sent);
    const tags = (use: IamUse): Record<string, string> => {
      if (!leadingKeys.applied || !leadingKeys.attribute) return {};
      // The caller is the tenant whose id the request's key carries (createTenant makes new ones).
      const tenant = tenantOf(use);
      return tenant ? { [leadingKeys.attribute]: tenant } : {};
    };
    for (const use of uses) {
      expect({ use: `${use.action} ${use.index}`, allowed: policyAllows(policy, { action: use.action, resource: arnOf(use), leadingKeys: use.leadingKeys, principalTags: tags(use) }) }).toEqual({ use: `${use.action} ${use.index}`, allowed: true });
    }
    // Nothing beyond: a Scan, or a write on an index, is refused.
    expect(policyAllows(policy, { action: 'dynamodb:Scan', resource: arnOf({ index: 'table' }) })).toBe(false);
    expect(policyAllows(policy, { action: 'dynamodb:PutItem', resource: `${arnOf({ index: 'table' })}-other` })).toBe(false);
  });

  it('limits base-table requests to the caller\'s own tenant where every partition key is per tenant', () => {
    const { policy, leadingKeys } = exported();
    if (model.name.startsWith('reference')) {
      // The email claim's partition key is the email: not per tenant, so no LeadingKeys on the whole model.
      expect(leadingKeys).toMatchObject({ applied: false });
      expect(leadingKeys.reason).toContain('emailClaim');
      // No grant is conditioned (the one conditioned statement is the Deny of PartiQL full table scans).
      expect(policy.Statement.filter((s) => s.Effect === 'Allow').every((s) => s.Condition === undefined)).toBe(true);
      return;
    }
    expect(leadingKeys).toMatchObject({ applied: true, attribute: 'tenantId' });
    const tenants = (seed as TicketingSeed).tenants;
    const tableUses = uses.filter((u) => u.index === 'table' && u.leadingKeys?.length);
    expect(tableUses.length).toBeGreaterThan(10);
    for (const use of tableUses) {
      const own = tenantOf(use) as string;
      const other = tenants.find((t) => t.tenantId !== own)?.tenantId as string;
      const request = { action: use.action, resource: arnOf(use), leadingKeys: use.leadingKeys };
      expect(policyAllows(policy, { ...request, principalTags: { tenantId: own } })).toBe(true);
      expect(policyAllows(policy, { ...request, principalTags: { tenantId: other } })).toBe(false);
      // A tenant id that is a prefix of the caller's must not pass either (the key template ends it with #).
      expect(policyAllows(policy, { ...request, principalTags: { tenantId: own.slice(0, -1) } })).toBe(false);
    }
  });
});

describe('IAM policy per group of patterns', () => {
  it('grants only what the group declares, and refuses unknown pattern names', () => {
    const [, model] = MODELS[1] as (typeof MODELS)[number];
    const reads = iamPolicy(model, { tableName: TABLE, patterns: ['getTenant', 'listAssignedTickets'] });
    expect(reads.grants).toEqual([{ action: 'dynamodb:GetItem', index: 'table' }, { action: 'dynamodb:Query', index: 'GSI2' }]);
    expect(() => iamPolicy(model, { tableName: TABLE, patterns: ['nope'] })).toThrow('patterns: no access pattern named "nope"');
  });
});
