import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { declaredRequests, PARTIQL_OPERATIONS, type DeclaredRequest, type DynamoOperation, type PartiQLStatementKind } from '../catalog/types';
import type { Model } from '../model/define-model';
import { uniqueLogicalNames } from './infrastructure';
import { streamConsumerStatements } from './stream-consumers';
import { resolveStreamConsumerSettings } from '../streams/settings';
import { ExportError } from './provisioned-plan';
import { conjuncts, parsePartiql, type PqlOperand } from '../../engine';

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
  Effect: 'Allow' | 'Deny';
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
  /**
   * Only these IAM actions (`dynamodb:PutItem` or `PutItem`): narrows what the catalog grants,
   * e.g. to drop `DeleteItem` from a transaction whose parts are not declared. An action the
   * selected patterns do not use is an error.
   */
  actions?: readonly string[];
  /**
   * Your tenant values (the principal tags) are already in this case: then a partition key that
   * ElectroDB lower- or upper-cases (its default casing is lower) can still be matched.
   */
  tenantValueCase?: 'lower' | 'upper';
  /**
   * The on-failure destination (SQS queue or SNS topic ARN) of each stream consumer that has one, by
   * consumer name: granted to that consumer. The infrastructure exports create the destination and
   * grant it themselves; without it here, the statement is left out and a note says so.
   */
  failureDestinations?: Record<string, string>;
}

/** The IAM action of each PartiQL statement kind. */
export const PARTIQL_ACTIONS: Record<PartiQLStatementKind, string> = {
  SELECT: 'dynamodb:PartiQLSelect',
  INSERT: 'dynamodb:PartiQLInsert',
  UPDATE: 'dynamodb:PartiQLUpdate',
  DELETE: 'dynamodb:PartiQLDelete',
};

/** Actions that send no `dynamodb:LeadingKeys`: a LeadingKeys condition cannot scope them. */
export const KEYLESS_ACTIONS = ['dynamodb:Scan'] as const;

export interface LeadingKeysFinding {
  applied: boolean;
  /** The tenant attribute every base-table partition key of the selected patterns starts with. */
  attribute?: string;
  /** Allowed partition-key values (IAM StringLike, with the principal tag in place of the tenant). */
  values?: string[];
  reason: string;
  /**
   * True only when every base-table grant is scoped to the caller's tenant: LeadingKeys applied
   * and no key-less action (a Scan reads every tenant's items) granted on the table.
   */
  isolated: boolean;
  /** Table actions the condition cannot scope (they send no partition key), granted in their own statement. */
  unscoped: string[];
}

export interface IamPolicyExport {
  policy: IamPolicyDocument;
  /** Every (action, index) the policy grants, from the catalog. */
  grants: { action: string; index: string }[];
  leadingKeys: LeadingKeysFinding;
  /** What the policy assumes and a person should check (undeclared transaction parts...). */
  notes: string[];
  /**
   * One policy per stream consumer of the model, for its Lambda function's execution role (not the
   * application's): read and list the table's streams (`<table ARN>/stream/*`: the stream's label is
   * not known before the table exists) and send to its failure destination.
   */
  streamConsumers: { name: string; policy: IamPolicyDocument }[];
}

/** The IAM actions a declared request needs (a request's declared `transactItems` win over `transactWriteActions`). */
export function iamActionsForOperation(operation: DynamoOperation | DeclaredRequest, transactWriteActions: readonly string[] = TRANSACT_WRITE_ACTIONS): string[] {
  const declared = typeof operation === 'string' ? undefined : operation;
  switch (declared?.operation ?? operation) {
    case 'TransactWriteItems':
      if (declared?.transactItems) return [...new Set(declared.transactItems.map((k) => `dynamodb:${k === 'ConditionCheck' ? 'ConditionCheckItem' : `${k}Item`}`))].sort();
      return [...transactWriteActions];
    case 'TransactGetItems':
      return ['dynamodb:GetItem'];
    case 'ExecuteStatement':
    case 'BatchExecuteStatement':
    case 'ExecuteTransaction':
      // PartiQL is authorized per statement kind: there is no ExecuteStatement action.
      if (!declared?.partiql?.length) throw new ExportError(`${declared?.operation ?? String(operation)} must declare partiql (the statement kinds it sends): its IAM actions are PartiQLSelect, PartiQLInsert, PartiQLUpdate or PartiQLDelete`);
      return [...new Set(declared.partiql.map((k) => PARTIQL_ACTIONS[k]))].sort();
    default:
      return [`dynamodb:${declared?.operation ?? (operation as DynamoOperation)}`];
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
  if (operation === 'ExecuteStatement') return partiqlUses(input, partitionKey);
  if (operation === 'BatchExecuteStatement' || operation === 'ExecuteTransaction') {
    const parts = ((operation === 'BatchExecuteStatement' ? input.Statements : input.TransactStatements) as Input[] | undefined) ?? [];
    return parts.flatMap((part) => partiqlUses(part, partitionKey));
  }
  return [withKeys({ action: `dynamodb:${operation}`, table: String(input.TableName), index }, input)];
}

/**
 * A PartiQL statement's use: its kind's PartiQL action on the table or index it names, and the
 * partition-key values it addresses (`pk = ?` in its WHERE, or the key in an INSERT's document).
 * A statement that does not parse is the action DynamoDB would refuse it under: none.
 */
function partiqlUses(request: Input, partitionKey?: string): IamUse[] {
  let parsed: ReturnType<typeof parsePartiql>;
  try {
    parsed = parsePartiql(String(request.Statement));
  } catch {
    return [];
  }
  const st = parsed.statement;
  const use: IamUse = { action: PARTIQL_ACTIONS[st.kind], table: st.table, index: st.kind === 'SELECT' && st.index !== undefined ? st.index : 'table' };
  if (!partitionKey || use.index !== 'table') return [use];
  const parameters = (request.Parameters as unknown[] | undefined) ?? [];
  const valueOf = (o: PqlOperand | undefined): string | undefined =>
    o?.k === 'param' ? plain(parameters[o.index]) : o?.k === 'literal' ? plain(o.value) : undefined;
  const keys: string[] = [];
  if (st.kind === 'INSERT') {
    const v = st.value.k === 'document' ? valueOf(st.value.entries.find((e) => e.key === partitionKey)?.value) : plain((parameters[st.value.index] as Input | undefined)?.[partitionKey]);
    if (v !== undefined) keys.push(v);
  } else {
    for (const c of conjuncts(st.where)) {
      if (c.k !== 'cmp' || c.op !== '=') continue;
      const isKey = (o: PqlOperand) => o.k === 'path' && o.root === partitionKey && o.steps.length === 0;
      const v = isKey(c.a) ? valueOf(c.b) : isKey(c.b) ? valueOf(c.a) : undefined;
      if (v !== undefined) keys.push(v);
    }
  }
  return [{ ...use, leadingKeys: keys }];
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

// Mixed case, so a key that ElectroDB lower- or upper-cases is told apart from one it keeps as given.
const SENTINEL = 'Stk0LeadingKey0Sentinel';

type KeyFinding = Omit<LeadingKeysFinding, 'isolated' | 'unscoped'>;

/**
 * LeadingKeys: applied when every entity the selected patterns touch has a base-table partition
 * key whose FIRST composite attribute is the same tenant attribute. The allowed values are read
 * from the key the entity itself builds (ElectroDB's key template), with the tenant's value
 * replaced by `${aws:PrincipalTag/<attribute>}` and anything after it by `*`.
 */
function leadingKeysFinding(model: Pick<Model, 'entities'>, entityNames: Set<string>, tenantAttributes: readonly string[], tenantValueCase: 'lower' | 'upper' | undefined): KeyFinding {
  const entities = (model.entities as unknown as readonly KeyedEntity[]).filter((e) => entityNames.has(e.schema.model.entity));
  if (entities.length === 0) return { applied: false, reason: 'the selected patterns name no entity of the model' };
  let attribute: string | undefined;
  const values = new Set<string>();
  for (const entity of entities) {
    const name = entity.schema.model.entity;
    const [accessPattern, primary] = Object.entries(entity.schema.indexes).find(([, d]) => !d.index) ?? [];
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
    if (typeof pk !== 'string') return { applied: false, reason: `${name}: could not build its partition key to read its template` };
    const cased = pk.includes(SENTINEL) ? undefined : pk.includes(SENTINEL.toLowerCase()) ? 'lower' : pk.includes(SENTINEL.toUpperCase()) ? 'upper' : 'absent';
    if (cased === 'absent') return { applied: false, reason: `${name}: the tenant value is not part of its partition key as built` };
    if (cased !== undefined && cased !== tenantValueCase) {
      return {
        applied: false,
        reason:
          `${name}: the tenant value is not part of its partition key as built: ElectroDB ${cased}-cases that key ` +
          `(${cased === 'lower' ? "its default casing, 'lower'" : "casing: 'upper'"}), so a tenant value as sent ("Acme") is not what the key holds ` +
          `("${cased === 'lower' ? 'acme' : 'ACME'}") and a LeadingKeys condition on the principal tag would refuse the tenant's own requests. ` +
          `Fix: set casing: 'none' on the pk of ${name}'s ${accessPattern ?? 'primary'} index (keys then hold the value as given; ` +
          `a change of key, so existing items must be rewritten), or, when every tenant value is already ${cased}-case, ` +
          `say so with tenantValueCase: '${cased}' (CLI --tenant-value-case ${cased})`,
      };
    }
    const sentinel = cased === 'lower' ? SENTINEL.toLowerCase() : cased === 'upper' ? SENTINEL.toUpperCase() : SENTINEL;
    const at = pk.indexOf(sentinel);
    const literal = (text: string) => text.replace(/\$\{/g, '${$}{').replace(/[*?]/g, (c) => `\${${c}}`);
    const prefix = literal(pk.slice(0, at));
    values.add(`${prefix}\${aws:PrincipalTag/${first}}${at + sentinel.length < pk.length ? `${literal(pk.charAt(at + sentinel.length))}*` : ''}`);
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
 * statement where every partition key they use is per tenant or per user. Key-less actions (a
 * Scan) never share that statement: `ForAllValues` holds for a request that sends no key at all,
 * so they get their own statement and the finding says the policy does not isolate tenants.
 */
export function iamPolicy(model: Pick<Model, 'catalog' | 'entities'> & Partial<Pick<Model, 'streamConsumers'>>, options: IamPolicyOptions): IamPolicyExport {
  const patterns = options.patterns ? model.catalog.filter((p) => options.patterns?.includes(p.name)) : model.catalog;
  for (const name of options.patterns ?? []) if (!model.catalog.some((p) => p.name === name)) throw new ExportError(`patterns: no access pattern named "${name}" in the catalog`);
  const arn = `arn:${options.partition ?? 'aws'}:dynamodb:${options.region ?? '*'}:${options.accountId ?? '*'}:table/${options.tableName}`;
  const byIndex = new Map<string, Set<string>>();
  const entityNames = new Set<string>();
  const notes: string[] = [];
  // Indexes where a pattern declares a PartiQL full table scan on purpose: no FullTableScan deny there.
  const scanned = new Set<string>();
  for (const p of patterns) {
    for (const r of declaredRequests(p)) {
      if (r.fullTableScan && PARTIQL_OPERATIONS.includes(r.operation)) {
        scanned.add(r.index);
        notes.push(`${p.name}: declares a PartiQL full table scan (fullTableScan) on ${r.index === 'table' ? 'the table' : `index ${r.index}`}, so PartiQLSelect is not denied full scans there (every item is read and billed)`);
      }
      const slot = byIndex.get(r.index) ?? new Set<string>();
      for (const action of iamActionsForOperation(r, options.transactWriteActions)) slot.add(action);
      byIndex.set(r.index, slot);
      if (r.index === 'table') for (const e of p.entities) entityNames.add(e);
      if (r.operation === 'TransactWriteItems' && !r.transactItems) {
        notes.push(`${p.name}: its TransactWriteItems does not declare transactItems, so it is granted ${(options.transactWriteActions ?? TRANSACT_WRITE_ACTIONS).join(', ')}; declare the parts it sends, or narrow with actions (--actions)`);
      }
    }
  }
  if (options.actions) {
    const wanted = new Set(options.actions.map((a) => (a.startsWith('dynamodb:') ? a : `dynamodb:${a}`)));
    const used = new Set([...byIndex.values()].flatMap((set) => [...set]));
    for (const a of wanted) if (!used.has(a)) throw new ExportError(`actions: ${a} is not an action the selected patterns use (${[...used].sort().join(', ')})`);
    for (const [index, set] of byIndex) {
      for (const a of set) if (!wanted.has(a)) set.delete(a);
      if (set.size === 0) byIndex.delete(index);
    }
  }
  const tableActions = [...(byIndex.get('table') ?? [])].sort();
  // A PartiQL SELECT that scans on purpose sends no partition key either.
  const keyless = new Set<string>([...KEYLESS_ACTIONS, ...(scanned.has('table') ? [PARTIQL_ACTIONS.SELECT] : [])]);
  const keyed = tableActions.filter((a) => !keyless.has(a));
  const unscoped = [...new Set([...byIndex.values()].flatMap((set) => [...set].filter((a) => keyless.has(a))))].sort();
  const found: KeyFinding = keyed.length
    ? leadingKeysFinding(model, entityNames, options.tenantAttributes ?? DEFAULT_TENANT_ATTRIBUTES, options.tenantValueCase)
    : { applied: false, reason: 'the selected patterns send no keyed base-table request' };
  const isolated = found.applied && unscoped.length === 0;
  const leadingKeys: LeadingKeysFinding = {
    ...found,
    reason: found.applied && unscoped.length ? `${found.reason}; EXCEPT ${unscoped.join(', ')}: it sends no partition key, so no LeadingKeys condition can scope it and a caller allowed it reads every tenant's items (not tenant-isolated)` : found.reason,
    isolated,
    unscoped,
  };
  const indexes = [...byIndex.keys()].sort((a, b) => (a === 'table' ? -1 : b === 'table' ? 1 : a.localeCompare(b, 'en', { numeric: true })));
  const sids = uniqueLogicalNames(indexes.filter((i) => i !== 'table'));
  const statements: IamStatement[] = [];
  for (const index of indexes) {
    const actions = [...(byIndex.get(index) as Set<string>)].sort();
    if (index !== 'table') {
      statements.push({ Sid: `Index${sids.get(index) ?? ''}`, Effect: 'Allow', Action: actions, Resource: [`${arn}/index/${index}`] });
      continue;
    }
    if (keyed.length) {
      statements.push({
        Sid: 'TableItems',
        Effect: 'Allow',
        Action: keyed,
        Resource: [arn],
        // Null false: a request without LeadingKeys never passes, whatever ForAllValues says of an empty set.
        ...(leadingKeys.applied && leadingKeys.values ? { Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': leadingKeys.values }, Null: { 'dynamodb:LeadingKeys': ['false'] } } } : {}),
      });
    }
    const scans = tableActions.filter((a) => keyless.has(a));
    if (scans.length) statements.push({ Sid: 'TableScanNotTenantScoped', Effect: 'Allow', Action: scans, Resource: [arn] });
  }
  // A PartiQL SELECT without = or IN on the partition key silently becomes a full Scan: denied
  // wherever it is granted, unless a pattern declares that scan (AWS's own example policy form).
  const denyScans = indexes.filter((index) => byIndex.get(index)?.has(PARTIQL_ACTIONS.SELECT) && !scanned.has(index));
  if (denyScans.length) {
    statements.push({
      Sid: 'DenyPartiQLFullTableScan',
      Effect: 'Deny',
      Action: [PARTIQL_ACTIONS.SELECT],
      Resource: denyScans.map((index) => (index === 'table' ? arn : `${arn}/index/${index}`)),
      Condition: { Bool: { 'dynamodb:FullTableScan': ['true'] } },
    });
  }
  const consumers = (model.streamConsumers ?? []).map((c) => resolveStreamConsumerSettings(c.settings));
  for (const name of Object.keys(options.failureDestinations ?? {})) {
    if (!consumers.some((c) => c.name === name)) throw new ExportError(`failureDestinations: no stream consumer named "${name}" in the model`);
  }
  const streamConsumers = consumers.map((settings) => {
    const destination = options.failureDestinations?.[settings.name];
    if (settings.onFailure !== 'none' && destination === undefined) {
      notes.push(`stream consumer ${settings.name}: sends failed records to ${settings.onFailure.toUpperCase()}, but no destination ARN was given (failureDestinations), so its policy does not grant ${settings.onFailure === 'sqs' ? 'sqs:SendMessage' : 'sns:Publish'}; the CloudFormation, CDK and Terraform exports create and grant it`);
    }
    return { name: settings.name, policy: { Version: '2012-10-17' as const, Statement: streamConsumerStatements<string>({ settings }, { streamArn: `${arn}/stream/*`, tableStreams: `${arn}/stream/*`, destinationArn: destination }) } };
  });
  return {
    policy: { Version: '2012-10-17', Statement: statements },
    grants: indexes.flatMap((index) => [...(byIndex.get(index) as Set<string>)].sort().map((action) => ({ action, index }))),
    leadingKeys,
    notes,
    streamConsumers,
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
 * keys (LeadingKeys), principal tags and whether the request is a full table scan (a PartiQL SELECT
 * without `=`/`IN` on the partition key). Evaluates only what iamPolicy emits (Allow statements, the
 * Deny of PartiQL full scans, which wins, exact actions and ARNs with `*` region/account,
 * ForAllValues:StringLike and Null on LeadingKeys, Bool on FullTableScan),
 * as AWS does: `ForAllValues` over a request with no LeadingKeys (a Scan) is true, so only a
 * `Null: false` on the key refuses such a request.
 */
export function policyAllows(policy: IamPolicyDocument, request: { action: string; resource: string; leadingKeys?: readonly string[]; principalTags?: Record<string, string>; fullTableScan?: boolean }): boolean {
  const keys = request.leadingKeys ?? [];
  // An explicit Deny that matches wins over every Allow.
  const matches = (s: IamStatement) => {
    if (!s.Action.includes(request.action)) return false;
    if (!s.Resource.some((r) => stringLike(r, request.resource, {}))) return false;
    for (const [operator, conditions] of Object.entries(s.Condition ?? {})) {
      for (const [key, values] of Object.entries(conditions)) {
        // Only LeadingKeys is in the request context we model: any other key is absent.
        const present = key === 'dynamodb:LeadingKeys' ? keys.length > 0 : key === 'dynamodb:FullTableScan' && request.fullTableScan !== undefined;
        const context = key === 'dynamodb:LeadingKeys' ? keys : key === 'dynamodb:FullTableScan' && present ? [String(request.fullTableScan)] : [];
        if (operator === 'Bool') {
          // Bool on an absent key does not match (IAM); on a present one, the value must be listed.
          if (!present || !values.includes(context[0] as string)) return false;
        } else if (operator === 'Null') {
          if (!values.some((v) => (v === 'true') === !present)) return false;
        } else if (operator === 'ForAllValues:StringLike') {
          if (!context.every((k) => values.some((p) => stringLike(p, k, request.principalTags ?? {})))) return false;
        } else {
          // An operator iamPolicy does not emit: refuse rather than guess.
          return false;
        }
      }
    }
    return true;
  };
  return !policy.Statement.some((s) => s.Effect === 'Deny' && matches(s)) && policy.Statement.some((s) => s.Effect === 'Allow' && matches(s));
}
