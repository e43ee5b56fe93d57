import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createModel } from '../../src/reference';
import { ParamsTemplates, withoutEntityFilter } from '../../src/toolkit';

// Only .params() is called: no request is sent.
const model = createModel(DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' })), 'params-table');
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const id = fc.stringMatching(ULID);
const email = fc.emailAddress().map((e) => e.toLowerCase());
const iso = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());

describe('request templates give exactly the request ElectroDB builds', () => {
  // One ParamsTemplates across all runs: every run after the first is filled from the template.
  const templates = new ParamsTemplates();
  const same = <S extends Record<string, string | number>, P>(variant: string, slots: S, build: (s: S) => P) => {
    expect(templates.get(variant, slots, build)).toEqual(build(slots));
  };

  it('for gets, queries and collection queries, whatever the key values', () => {
    fc.assert(
      fc.property(id, id, email, iso, iso, fc.boolean(), fc.constantFrom('owner', 'admin', 'member' as const), (a, b, mail, from, to, consistent, role) => {
        same(`user.get:${consistent}`, { userId: a }, (s) => model.entities.user.get(s).params({ consistent }));
        same('user.byEmail', { email: mail }, (s) => model.entities.user.query.byEmail(s).params());
        same('user.byStatus:active:2', { from, to }, (s) =>
          model.entities.user.query.byStatus({ status: 'active', statusShard: '2' }).between({ createdAt: s.from }, { createdAt: s.to }).params({ order: 'desc' }),
        );
        same('account', { userId: a }, (s) => model.collections.account(s).params({ order: 'desc' }));
        same('organization.collection', { orgId: b }, (s) => model.collections.organization(s).params({ order: 'desc' }));
        same(`orderDetails:${consistent}`, { orderId: b }, (s) => model.collections.orderDetails(s).params({ consistent }));
        same(`membership.byRole:${role}`, { orgId: a }, (s) => model.entities.membership.query.byRole({ ...s, role }).params());
        same('session.active', { userId: a, now: Math.floor(Date.parse(from) / 1000) }, (s) =>
          model.entities.session.query.session({ userId: s.userId }).where((x, { gt }) => gt(x.expiresAt, s.now)).params({ order: 'desc' }),
        );
        same('order.byUser', { userId: a, from, to }, (s) => model.entities.order.query.byUser({ userId: s.userId }).between({ createdAt: s.from }, { createdAt: s.to }).params({ order: 'desc' }));
      }),
      { numRuns: 200 },
    );
    for (const variant of ['user.get:true', 'user.get:false', 'user.byEmail', 'user.byStatus:active:2', 'account', 'organization.collection', 'orderDetails:true', 'membership.byRole:owner', 'session.active', 'order.byUser']) {
      expect([variant, templates.isTemplated(variant)]).toEqual([variant, true]);
    }
  });

  it('keep a numeric slot a number', () => {
    const params = templates.get('session.active', { userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV', now: 1700000000 }, (s) =>
      model.entities.session.query.session({ userId: s.userId }).where((x, { gt }) => gt(x.expiresAt, s.now)).params({ order: 'desc' }),
    );
    expect(Object.values(params.ExpressionAttributeValues ?? {})).toContain(1700000000);
  });

  it('keep two calls apart: a filled request is a copy, never the template itself', () => {
    const first = templates.get('user.get:false', { userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }, (s) => model.entities.user.get(s).params());
    (first.Key as Record<string, string>).pk = 'changed';
    const second = templates.get('user.get:false', { userId: '01ARZ3NDEKTSV4RRFFQ69G5FAW' }, (s) => model.entities.user.get(s).params());
    expect(second.Key).toEqual({ pk: '$app#userId_01ARZ3NDEKTSV4RRFFQ69G5FAW', sk: '$userData#user_1' });
  });

  it('build directly when a value does not pass through verbatim, or holds the marker character', () => {
    const own = new ParamsTemplates();
    const hashed = (s: { id: string }) => ({ Key: { pk: createHash('sha256').update(s.id).digest('hex') } });
    expect(own.get('hashed', { id: 'a' }, hashed)).toEqual(hashed({ id: 'a' }));
    expect(own.get('hashed', { id: 'b' }, hashed)).toEqual(hashed({ id: 'b' }));
    expect(own.isTemplated('hashed')).toBe(false);
    const plain = (s: { id: string }) => ({ Key: { pk: `p#${s.id}` } });
    own.get('plain', { id: 'x' }, plain);
    expect(own.get('plain', { id: 'a\u00000\u0000b' }, plain)).toEqual({ Key: { pk: 'p#a\u00000\u0000b' } });
  });
});

describe('withoutEntityFilter', () => {
  it("drops ElectroDB's entity-marker filter from a collection query, and nothing else", () => {
    const params = model.collections.orderDetails({ orderId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }).params();
    expect(params.FilterExpression).toContain('__edb_e__');
    const stripped = withoutEntityFilter(params);
    expect(stripped.FilterExpression).toBeUndefined();
    expect(JSON.stringify(stripped)).not.toContain('__edb_');
    expect(stripped.KeyConditionExpression).toBe(params.KeyConditionExpression);
    expect(stripped.ExpressionAttributeValues?.[':pk']).toBe(params.ExpressionAttributeValues?.[':pk']);
  });
  it('keeps any other filter', () => {
    const params = model.entities.session.query.session({ userId: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }).where((a, { gt }) => gt(a.expiresAt, 5)).params();
    expect(withoutEntityFilter(params)).toBe(params);
  });
});

describe('request templates with hostile literal text', () => {
  // Table names, attribute names and key text reach the generated filler only as quoted literals.
  const nasty = ['t"); globalThis.__stkPwned = 1; ("', "t'`${globalThis.__stkPwned = 2}`", 'line\u2028sep\u2029x\\', '__proto__', 'constructor'];
  it('gives exactly the request the builder gives, and runs none of it', () => {
    const templates = new ParamsTemplates();
    fc.assert(
      fc.property(fc.constantFrom(...nasty), fc.constantFrom(...nasty), id, (table, text, userId) => {
        const build = (s: { userId: string }) =>
          JSON.parse(JSON.stringify({ TableName: table, ExpressionAttributeNames: { [text]: text, '#pk': 'pk' }, Key: { pk: `${text}#${s.userId}`, [text]: [text, s.userId] } })) as Record<string, unknown>;
        const variant = `hostile:${table}:${text}`;
        const filled = templates.get(variant, { userId }, build);
        expect(filled).toEqual(build({ userId }));
        expect(Object.keys(filled)).toEqual(Object.keys(build({ userId })));
        expect(Object.getPrototypeOf(filled)).toBe(Object.prototype);
        expect(templates.isTemplated(variant)).toBe(true);
      }),
      { numRuns: 100 },
    );
    expect((globalThis as { __stkPwned?: number }).__stkPwned).toBeUndefined();
  });
});

describe('without code generation from strings (node --disallow-code-generation-from-strings, a CSP)', () => {
  it('templates and item copiers still give the same results, from closures', () => {
    // The built package, as users load it; global setup builds dist/ before the suite.
    const entry = join(__dirname, '..', '..', 'dist', 'toolkit', 'index.js');
    const script = `
      const { ParamsTemplates, shaper } = require(${JSON.stringify(entry)});
      const build = (s) => ({ TableName: 't', Key: { pk: 'user#' + s.id, sk: 'profile' }, ConsistentRead: false, n: s.n });
      const t = new ParamsTemplates();
      const a = t.get('v', { id: 'a', n: 1 }, build);
      const b = t.get('v', { id: 'b', n: 2 }, build);
      const copy = shaper({ schema: { attributes: { id: {}, name: {} } } })({ pk: 'x', id: 'b', name: 'B' });
      process.stdout.write(JSON.stringify({ a, b, templated: t.isTemplated('v'), copy }));
    `;
    const run = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({
      a: { TableName: 't', Key: { pk: 'user#a', sk: 'profile' }, ConsistentRead: false, n: 1 },
      b: { TableName: 't', Key: { pk: 'user#b', sk: 'profile' }, ConsistentRead: false, n: 2 },
      templated: true,
      copy: { id: 'b', name: 'B' },
    });
  });
});
