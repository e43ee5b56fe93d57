import { GetItemCommand, QueryCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { convertToAttr } from '@aws-sdk/util-dynamodb';
import type { MeasuredRead, MeasuredRequest, MeasuredWrite } from '../capacity/compute-units';
import { itemSize, type AttributeMap } from '../capacity/item-size';
import type { TableLayout } from '../capacity/table-layout';
import type { ReadConsistency } from '../cost/unit-rules';

/*
 * How the recorder measures the stored items a request's units depend on: side requests sent
 * outside the measured one (strongly consistent GetItem of each written item before and after the
 * request; for a read, the same keys or the same Query/Scan page without its filter and
 * projection). Chosen over ReturnValues (it changes what the caller gets back, and
 * TransactWriteItems has none on success) and over the stream (asynchronous, optional per model,
 * and a ConditionCheck or a failed write leaves no record). Side requests cost extra requests, so
 * only analysis turns this on, and they are exact only while nothing else writes the same items
 * concurrently (measurePatterns runs one call at a time).
 */

type Input = Record<string, unknown>;

/** Inputs of the recorder's own side requests: every recorder lets them through unrecorded. */
export const SIDE_REQUESTS = new WeakSet<object>();

const AV_TYPES = new Set(['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL']);
// A DocumentClient request reaches the recorder before it is marshalled: accept both forms.
function toAttribute(value: unknown): AttributeValue {
  if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Uint8Array)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && AV_TYPES.has(keys[0] as string)) return value as AttributeValue;
  }
  return convertToAttr(value, { removeUndefinedValues: true });
}
const toMap = (obj: unknown): AttributeMap =>
  Object.fromEntries(Object.entries((obj as Input | undefined) ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toAttribute(v)]));
const keyOf = (item: unknown, keys: readonly string[]): AttributeMap => {
  const map = (item ?? {}) as Input;
  return Object.fromEntries(keys.filter((k) => map[k] !== undefined).map((k) => [k, toAttribute(map[k])]));
};

interface Target {
  action: MeasuredWrite['action'] | 'Get';
  table: string;
  key: AttributeMap;
  consistency: ReadConsistency;
}

/** Items a request addresses by key (writes, gets), in request order. */
export function targetsOf(operation: string, input: Input, layout: TableLayout): Target[] {
  const table = (t: unknown) => (typeof t === 'string' ? t : layout.tableName);
  const eventual = (consistent: unknown): ReadConsistency => (consistent === true ? 'strong' : 'eventual');
  switch (operation) {
    case 'PutItem':
      return [{ action: 'Put', table: table(input.TableName), key: keyOf(input.Item, layout.keys), consistency: 'strong' }];
    case 'UpdateItem':
    case 'DeleteItem':
      return [{ action: operation === 'UpdateItem' ? 'Update' : 'Delete', table: table(input.TableName), key: toMap(input.Key), consistency: 'strong' }];
    case 'GetItem':
      return [{ action: 'Get', table: table(input.TableName), key: toMap(input.Key), consistency: eventual(input.ConsistentRead) }];
    case 'TransactWriteItems':
    case 'TransactGetItems':
      return ((input.TransactItems as Input[] | undefined) ?? []).flatMap((entry) => {
        const [action, body] = Object.entries(entry).find(([, v]) => v !== undefined) ?? [];
        const b = (body ?? {}) as Input;
        if (!action) return [];
        const key = action === 'Put' ? keyOf(b.Item, layout.keys) : toMap(b.Key);
        return [{ action: action as Target['action'], table: table(b.TableName), key, consistency: 'transactional' as const }];
      });
    case 'BatchWriteItem':
      return Object.entries((input.RequestItems as Record<string, Input[]> | undefined) ?? {}).flatMap(([t, requests]) =>
        requests.map((w): Target => {
          const put = w.PutRequest as Input | undefined;
          return put
            ? { action: 'Put', table: t, key: keyOf(put.Item, layout.keys), consistency: 'strong' }
            : { action: 'Delete', table: t, key: toMap((w.DeleteRequest as Input | undefined)?.Key), consistency: 'strong' };
        }),
      );
    case 'BatchGetItem':
      return Object.entries((input.RequestItems as Record<string, Input> | undefined) ?? {}).flatMap(([t, req]) =>
        ((req.Keys as unknown[] | undefined) ?? []).map((k): Target => ({ action: 'Get', table: t, key: toMap(k), consistency: eventual(req.ConsistentRead) })),
      );
    default:
      return [];
  }
}

async function side<T>(client: DynamoDBClient, command: { input: object }, send: () => Promise<T>): Promise<T> {
  SIDE_REQUESTS.add(command.input);
  return send();
}

async function storedItem(client: DynamoDBClient, target: Target): Promise<AttributeMap | undefined> {
  const command = new GetItemCommand({ TableName: target.table, Key: target.key, ConsistentRead: true });
  const out = await side(client, command, () => client.send(command));
  return out.Item;
}

/** Names and values the key condition uses (a side request must not carry unused ones). */
function keyConditionParams(input: Input): Input {
  const expression = typeof input.KeyConditionExpression === 'string' ? input.KeyConditionExpression : '';
  const names = Object.fromEntries(Object.entries((input.ExpressionAttributeNames as Record<string, string> | undefined) ?? {}).filter(([k]) => expression.includes(k)));
  const values = Object.fromEntries(Object.entries((input.ExpressionAttributeValues as Input | undefined) ?? {}).filter(([k]) => expression.includes(k)).map(([k, v]) => [k, toAttribute(v)]));
  return {
    ...(expression ? { KeyConditionExpression: expression } : {}),
    ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
    ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
  };
}

/** The page a Query or Scan read, re-read without its filter and projection: what DynamoDB charged for. */
async function pageRead(client: DynamoDBClient, operation: 'Query' | 'Scan', input: Input, layout: TableLayout): Promise<MeasuredRead> {
  const common = {
    TableName: input.TableName as string,
    IndexName: input.IndexName as string | undefined,
    ExclusiveStartKey: input.ExclusiveStartKey ? toMap(input.ExclusiveStartKey) : undefined,
    Limit: input.Limit as number | undefined,
    ConsistentRead: input.ConsistentRead as boolean | undefined,
  };
  const command =
    operation === 'Query'
      ? new QueryCommand({ ...common, ...keyConditionParams(input), ScanIndexForward: input.ScanIndexForward as boolean | undefined })
      : new ScanCommand({ ...common, Segment: input.Segment as number | undefined, TotalSegments: input.TotalSegments as number | undefined });
  const out = await side(client, command, () => client.send(command as QueryCommand));
  return {
    kind: 'page',
    table: common.TableName ?? layout.tableName,
    index: common.IndexName ?? 'table',
    consistency: input.ConsistentRead === true ? 'strong' : 'eventual',
    sizes: (out.Items ?? []).map((item) => itemSize(item)),
  };
}

/** Measures before the request: the stored images of the items a write addresses. */
export async function measureBefore(client: DynamoDBClient, operation: string, input: Input, layout: TableLayout): Promise<{ targets: Target[]; before: (AttributeMap | undefined)[] }> {
  const targets = targetsOf(operation, input, layout).filter((t) => t.action !== 'Get');
  return { targets, before: await Promise.all(targets.map((t) => storedItem(client, t))) };
}

/** Measures after the request: written items' new images, and what a read read. */
export async function measureAfter(
  client: DynamoDBClient,
  operation: string,
  input: Input,
  layout: TableLayout,
  written: { targets: Target[]; before: (AttributeMap | undefined)[] },
): Promise<MeasuredRequest> {
  const after = await Promise.all(written.targets.map((t) => storedItem(client, t)));
  const writes = written.targets.map((t, i): MeasuredWrite => ({ action: t.action as MeasuredWrite['action'], table: t.table, before: written.before[i], after: after[i] }));
  const reads: MeasuredRead[] = [];
  if (operation === 'Query' || operation === 'Scan') reads.push(await pageRead(client, operation, input, layout));
  const gets = targetsOf(operation, input, layout).filter((t) => t.action === 'Get');
  if (gets.length) {
    const items = await Promise.all(gets.map((t) => storedItem(client, t)));
    gets.forEach((t, i) => reads.push({ kind: 'item', table: t.table, index: 'table', consistency: t.consistency, sizes: [itemSize(items[i])] }));
  }
  return { writes, reads };
}
