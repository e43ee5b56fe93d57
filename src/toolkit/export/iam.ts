import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { declaredRequests, type DynamoOperation } from '../catalog/types';
import type { Model } from '../model/define-model';
import { logicalName } from './infrastructure';
import { ExportError } from './provisioned-plan';

/** One (IAM action, table or index) a request needs: `index` is `table` for the base table. */
export interface IamUse {
  action: string;
  table: string;
  index: string;
  /** Base-table partition-key values the request addresses (what dynamodb:LeadingKeys sees), when asked for. */
  leadingKeys?: string[];
}

export interface IamStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

export interface IamPolicyDocument {
  Version: '2012-10-17';
  Statement: IamStatement[];
}

/** The IAM actions of a transaction's parts: TransactWriteItems itself is not an IAM action. */
export const TRANSACT_WRITE_ACTIONS = ['dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'] as const;

/** Partition-key attributes that scope data to one tenant or user, in the order they are tried. */
export const DEFAULT_TENANT_ATTRIBUTES = ['tenantId', 'organizationId', 'orgId', 'accountId', 'customerId', 'userId', 'ownerId'] as const;

export interface IamPolicyOptions {
  tableName: string;
  /** Default `*` (any region). */
  region?: string;
  /** Default `*` (any account). */
  accountId?: string;
  /** Default `aws`. */
  partition?: string;
  /** Only these patterns (a policy per group of patterns, e.g. one service's). Default: the whole catalog. */
  patterns?: readonly string[];
  /**
   * What a declared TransactWriteItems may do. The catalog does not say which parts a transaction
   * has; default all four (ConditionCheckItem, DeleteItem, PutItem, UpdateItem).
   */
  transactWriteActions?: readonly string[];
  /** Attributes whose value scopes a partition to one tenant or user. Default DEFAULT_TENANT_ATTRIBUTES. */
  tenantAttributes?: readonly string[];
}

export interface LeadingKeysFinding {
  applied: boolean;
  /** The tenant attribute every base-table partition key of the selected patterns starts with. */
  attribute?: string;
  /** Allowed partition-key values (IAM StringLike, with the principal tag in place of the tenant). */
  values?: string[];
  reason: string;
}

export interface IamPolicyExport {
  policy: IamPolicyDocument;
  /** Every (action, index) the policy grants, from the catalog. */
  grants: { action: string; index: string }[];
  leadingKeys: LeadingKeysFinding;
}

/** The IAM actions a declared request needs. */
export function iamActionsForOperation(operation: DynamoOperation, transactWriteActions: readonly string[] = TRANSACT_WRITE_ACTIONS): string[] {
  switch (operation) {
    case 'TransactWriteItems':
      return [...transactWriteActions];
    case 'TransactGetItems':
      return ['dynamodb:GetItem'];
    default:
      return [`dynamodb:${operation}`];
  }
}

type Input = Record<string, unknown>;

const plain = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof (v as { S?: unknown } | undefined)?.S === 'string' ? (v as { S: string }).S : undefined);

/** Partition-key values a request (or a transaction part) addresses on the base table. */
function leadingKeysOf(request: Input, partitionKey: string): string[] {
  const keys: string[] = [];
  for (const source of [request.Key, request.Item]) {
    const v = plain((source as Input | undefined)?.[partitionKey]);
    if (v !== undefined) keys.push(v);
  }
  if (typeof request.KeyConditionExpression === 'string' && request.IndexName === undefined) {
    const names = (request.ExpressionAttributeNames ?? {}) as Record<string, string>;
    for (const m of request.KeyConditionExpression.matchAll(/(#?[A-Za-z0-9_]+)\s*=\s*(:[A-Za-z0-9_]+)/g)) {
      if ((names[m[1] as string] ?? m[1]) !== partitionKey) continue;
      const v = plain((request.ExpressionAttributeValues as Input | undefined)?.[m[2] as string]);
      if (v !== undefined) keys.push(v);
    }
  }
  return keys;
}

/**
 * The (action, table, index) uses of one request as sent, a transaction's parts one by one; with
 * the table's partition-key attribute, the partition-key values each addresses.
 */
export function iamUsesOf(operation: string, input: Input, partitionKey?: string): IamUse[] {
  const index = typeof input.IndexName === 'string' ? input.IndexName : 'table';
  const withKeys = (use: IamUse, request: Input): IamUse => (partitionKey && use.index === 'table' ? { ...use, leadingKeys: leadingKeysOf(request, partitionKey) } : use);
  if (operation === 'TransactWriteItems' || operation === 'TransactGetItems') {
    const parts: Record<string, string> = { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem', Get: 'GetItem' };
    return ((input.TransactItems as Input[] | undefined) ?? []).flatMap((item) =>
      Object.entries(item).map(([kind, body]) => withKeys({ action: `dynamodb:${parts[kind] ?? kind}`, table: String((body as Input).TableName), index: 'table' }, body as Input)),
    );
  }
  if (operation === 'BatchGetItem' || operation === 'BatchWriteItem') {
    return Object.entries((input.RequestItems as Input | undefined) ?? {}).map(([table, entry]) => {
      const requests: Input[] = Array.isArray(entry) ? (entry as Input[]).map((w) => (w.PutRequest ?? w.DeleteRequest ?? {}) as Input) : (((entry as Input).Keys as Input[] | undefined) ?? []).map((Key) => ({ Key }));
      const use: IamUse = { action: `dynamodb:${operation}`, table, index: 'table' };
      return partitionKey ? { ...use, leadingKeys: requests.flatMap((r) => leadingKeysOf(r, partitionKey)) } : use;
    });
  }
  return [withKeys({ action: `dynamodb:${operation}`, table: String(input.TableName), index }, input)];
}

/**
 * Records the IAM uses of every request a client sends (SDK middleware): what a policy must allow
 * for the calls made while attached. For proving a policy against a run of the patterns.
 */
export function recordIamUses(client: DynamoDBClient, options: { partitionKey?: string } = {}): { uses(): IamUse[]; clear(): void; detach(): void } {
  const log: IamUse[] = [];
  const name = `singleTableKitIamUses${(recorders += 1)}`;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = String(context.commandName ?? '').replace(/Command$/, '');
      log.push(...iamUsesOf(operation, args.input as Input, options.partitionKey));
      return next(args);
    },
    { step: 'initialize', name },
  );
  return { uses: () => [...log], clear: () => void log.splice(0), detach: () => void client.middlewareStack.remove(name) };
}
let recorders = 0;

interface KeyedEntity {
  schema: { model: { entity: string }; indexes: Record<string, { index?: string; pk: { field: string; composite?: readonly string[] }; sk?: { field: string; composite?: readonly string[] } }> };
  get?: (key: Record<string, string>) => { params(options?: { table?: string }): { Key?: Record<string, unknown> } };
}

const SENTINEL = 'STK0LEADINGKEY0SENTINEL';

/**
 * LeadingKeys: applied when every entity the selected patterns touch has a base-table partition
 * key whose FIRST composite attribute is the same tenant attribute. The allowed values are read
 * from the key the entity itself builds (ElectroDB's key template), with the tenant's value
 * replaced by `${aws:PrincipalTag/<attribute>}` and anything after it by `*`.
 */
function leadingKeysFinding(model: Pick<Model, 'entities'>, entityNames: Set<string>, tenantAttributes: readonly string[]): LeadingKeysFinding {
  const entities = (model.entities as unknown as readonly KeyedEntity[]).filter((e) => entityNames.has(e.schema.model.entity));
  if (entities.length === 0) return { applied: false, reason: 'the selected patterns name no entity of the model' };
  let attribute: string | undefined;
  const values = new Set<string>();
  for (const entity of entities) {
    const name = entity.schema.model.entity;
    const primary = Object.values(entity.schema.indexes).find((d) => !d.index);
    const first = primary?.pk.composite?.[0];
    if (!primary || !first || !tenantAttributes.includes(first)) {
      return { applied: false, reason: `${name}'s partition key starts with ${first ?? 'no attribute'}, not a tenant attribute (${tenantAttributes.join(', ')})` };
    }
    if (attribute && attribute !== first) return { applied: false, reason: `partition keys start with different attributes (${attribute}, ${first})` };
    attribute = first;
    if (typeof entity.get !== 'function') return { applied: false, reason: `${name} cannot build its keys (not an ElectroDB entity)` };
    const key: Record<string, string> = {};
    for (const a of [...(primary.pk.composite ?? []), ...(primary.sk?.composite ?? [])]) key[a] = a === first ? SENTINEL : `${a}-value`;
    let pk: unknown;
    try {
      pk = entity.get(key).params({ table: 'leading-keys' }).Key?.[primary.pk.field];
    } catch (error) {
      return { applied: false, reason: `${name}: could not build a key to read its template (${(error as Error).message})` };
    }
    const at = typeof pk === 'string' ? pk.indexOf(SENTINEL) : -1;
    if (typeof pk !== 'string' || at < 0) return { applied: false, reason: `${name}: the tenant value is not part of its partition key as built` };
    const prefix = pk.slice(0, at).replace(/\$\{/g, '${$}{').replace(/[*?]/g, (c) => `\${${c}}`);
    values.add(`${prefix}\${aws:PrincipalTag/${first}}${at + SENTINEL.length < pk.length ? `${pk.charAt(at + SENTINEL.length)}*` : ''}`);
  }
  return {
    applied: true,
    attribute,
    values: [...values].sort(),
    reason: `every partition key of ${[...entityNames].sort().join(', ')} starts with ${attribute}: base-table requests are limited to the caller's ${attribute} (principal tag ${attribute})`,
  };
}

/**
 * A least-privilege IAM policy from the catalog: exactly the actions the (selected) patterns
 * declare, on the table and index ARNs they use, with `dynamodb:LeadingKeys` on the table
 * statement where every partition key they use is per tenant or per user.
 */
export function iamPolicy(model: Pick<Model, 'catalog' | 'entities'>, options: IamPolicyOptions): IamPolicyExport {
  const patterns = options.patterns ? model.catalog.filter((p) => options.patterns?.includes(p.name)) : model.catalog;
  for (const name of options.patterns ?? []) if (!model.catalog.some((p) => p.name === name)) throw new ExportError(`patterns: no access pattern named "${name}" in the catalog`);
  const arn = `arn:${options.partition ?? 'aws'}:dynamodb:${options.region ?? '*'}:${options.accountId ?? '*'}:table/${options.tableName}`;
  const byIndex = new Map<string, Set<string>>();
  const entityNames = new Set<string>();
  for (const p of patterns) {
    for (const r of declaredRequests(p)) {
      const slot = byIndex.get(r.index) ?? new Set<string>();
      for (const action of iamActionsForOperation(r.operation, options.transactWriteActions)) slot.add(action);
      byIndex.set(r.index, slot);
      if (r.index === 'table') for (const e of p.entities) entityNames.add(e);
    }
  }
  const leadingKeys = byIndex.has('table')
    ? leadingKeysFinding(model, entityNames, options.tenantAttributes ?? DEFAULT_TENANT_ATTRIBUTES)
    : { applied: false, reason: 'the selected patterns send no base-table request' };
  const indexes = [...byIndex.keys()].sort((a, b) => (a === 'table' ? -1 : b === 'table' ? 1 : a.localeCompare(b, 'en', { numeric: true })));
  const statements: IamStatement[] = indexes.map((index) => ({
    Sid: index === 'table' ? 'TableItems' : `Index${logicalName(index)}`,
    Effect: 'Allow',
    Action: [...(byIndex.get(index) as Set<string>)].sort(),
    Resource: [index === 'table' ? arn : `${arn}/index/${index}`],
    ...(index === 'table' && leadingKeys.applied && leadingKeys.values ? { Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeys.values } } } : {}),
  }));
  return {
    policy: { Version: '2012-10-17', Statement: statements },
    grants: indexes.flatMap((index) => [...(byIndex.get(index) as Set<string>)].sort().map((action) => ({ action, index }))),
    leadingKeys,
  };
}

/** IAM StringLike: `*` any run, `?` one character; `${*}`, `${?}`, `${$}` literal; `${aws:PrincipalTag/x}` from the tags. */
function stringLike(pattern: string, value: string, tags: Record<string, string>): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; ) {
    const variable = /^\$\{([^}]+)\}/.exec(pattern.slice(i));
    if (variable) {
      const name = variable[1] as string;
      const literal = name === '*' || name === '?' || name === '$' ? name : name.startsWith('aws:PrincipalTag/') ? tags[name.slice('aws:PrincipalTag/'.length)] : undefined;
      if (literal === undefined) return false;
      re += literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i += variable[0].length;
      continue;
    }
    const c = pattern.charAt(i);
    re += c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    i += 1;
  }
  return new RegExp(`^${re}$`, 's').test(value);
}

/**
 * Whether a policy made by iamPolicy allows an action on a resource ARN, for the given partition
 * keys (LeadingKeys) and principal tags. Evaluates only what iamPolicy emits (Allow statements,
 * exact actions and ARNs with `*` region/account, ForAllValues:StringLike on LeadingKeys).
 */
export function policyAllows(policy: IamPolicyDocument, request: { action: string; resource: string; leadingKeys?: readonly string[]; principalTags?: Record<string, string> }): boolean {
  return policy.Statement.some((s) => {
    if (!s.Action.includes(request.action)) return false;
    if (!s.Resource.some((r) => stringLike(r, request.resource, {}))) return false;
    const allowed = s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
    if (!allowed) return true;
    return (request.leadingKeys ?? []).every((k) => allowed.some((p) => stringLike(p, k, request.principalTags ?? {})));
  });
}
