/**
 * TransactWriteItems: Put/Update/Delete/ConditionCheck on distinct items, all or nothing.
 * Conditions are evaluated on the state before the transaction; any failure cancels everything
 * with TransactionCanceledException and CancellationReasons in request order. ClientRequestToken
 * makes a request idempotent for 10 minutes of engine clock.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
import { createHash } from 'node:crypto';
import { writeUnits } from '../capacity/unit-rules';
import type { EngineCore } from '../engine';
import { EngineError, validation } from '../errors';
import { evaluateCondition, parseCondition, type Condition } from '../expressions';
import type { TableKey, TableState } from '../storage/table';
import type { Item } from '../types';
import { itemSize } from '../values/size';
import { applyWrite, itemCollectionMetrics, keyString, MAX_ITEM_SIZE, makeScope, newMeter, normalizeItem, normalizeKey, validateItemKeys, validateKey } from './common';
import { checkUpdateStatically, computeUpdate, prepareUpdate, type PreparedUpdate } from './update-item';
import { ATTR_MAP, NAMES_MAP, RETURN_CONSUMED, RETURN_METRICS, STRING, TABLE_NAME, validateRequest, type FieldSpec } from './validator';

const RVOCCF: FieldSpec = { type: 'String', enum: ['ALL_OLD', 'NONE'] };
const KEY: FieldSpec = { type: 'Map<AttributeValue>', notNull: true, children: 'AttrStruct<ValueStruct>' };
const COMMON = { TableName: TABLE_NAME, ExpressionAttributeNames: NAMES_MAP, ExpressionAttributeValues: ATTR_MAP, ReturnValuesOnConditionCheckFailure: RVOCCF };

const SCHEMA: Record<string, FieldSpec | string> = {
  TransactItems: {
    type: 'List',
    notNull: true,
    lengthGreaterThanOrEqual: 1,
    lengthLessThanOrEqual: 100,
    children: {
      type: 'ValueStruct<TransactWriteItem>',
      children: {
        ConditionCheck: { type: 'FieldStruct<ConditionCheck>', children: { ...COMMON, Key: KEY, ConditionExpression: { type: 'String', notNull: true } } },
        Put: { type: 'FieldStruct<Put>', children: { ...COMMON, Item: KEY, ConditionExpression: STRING } },
        Delete: { type: 'FieldStruct<Delete>', children: { ...COMMON, Key: KEY, ConditionExpression: STRING } },
        Update: { type: 'FieldStruct<Update>', children: { ...COMMON, Key: KEY, UpdateExpression: { type: 'String', notNull: true }, ConditionExpression: STRING } },
      },
    },
  },
  ReturnConsumedCapacity: RETURN_CONSUMED,
  ReturnItemCollectionMetrics: RETURN_METRICS,
  ClientRequestToken: { type: 'String', lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 36 },
};

const TOKEN_MS = 10 * 60 * 1000;
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

/**
 * "The aggregate size of the items in the transaction cannot exceed 4 MB" (API_TransactWriteItems,
 * API_TransactGetItems). Each item is sized by DynamoDB's item-size rules (values/size.ts), as
 * the write-capacity rules size it: the larger of the item before and after the action (a Delete,
 * the item deleted; a ConditionCheck, the item checked). docs/engine-fidelity.md, KD row.
 */
export function checkTransactionSize(itemBytes: readonly number[]): void {
  const total = itemBytes.reduce((sum, b) => sum + b, 0);
  if (total > MAX_TRANSACTION_BYTES) {
    throw validation('The aggregate size of the items in the transaction exceeds 4 MB: ' + total + ' bytes (limit ' + MAX_TRANSACTION_BYTES + ')');
  }
}

interface Action {
  kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  tableName: string;
  returnOld: unknown;
  item?: Item;
  key?: Item;
  condition?: Condition;
  update?: PreparedUpdate;
  table?: TableState;
  tableKey?: TableKey;
}

export function transactWriteItems(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, SCHEMA);
  const raw = data.TransactItems as Array<Record<string, Record<string, unknown>>>;
  const actions: Action[] = [];
  for (const element of raw) {
    const kinds = (['ConditionCheck', 'Put', 'Delete', 'Update'] as const).filter((k) => element[k] !== undefined);
    if (kinds.length !== 1) throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
    const kind = kinds[0] as Action['kind'];
    const d = element[kind] as Record<string, unknown>;
    const base = { kind, tableName: d.TableName as string, returnOld: d.ReturnValuesOnConditionCheckFailure };
    if (kind === 'Update') {
      const p = prepareUpdate(d);
      actions.push({ ...base, key: p.key, update: p, ...(p.condition ? { condition: p.condition } : {}) });
      continue;
    }
    const scope = makeScope(d);
    let condition: Condition | undefined;
    if (d.ConditionExpression !== undefined) condition = parseCondition(d.ConditionExpression as string, scope, 'ConditionExpression');
    scope.assertAllUsed();
    if (kind === 'Put') {
      const item = normalizeItem(d.Item);
      if (itemSize(item) > MAX_ITEM_SIZE) throw validation('Item size has exceeded the maximum allowed size');
      actions.push({ ...base, item, ...(condition ? { condition } : {}) });
    } else {
      actions.push({ ...base, key: normalizeKey(d.Key), ...(condition ? { condition } : {}) });
    }
  }
  const seen = new Set<string>();
  for (const a of actions) {
    const table = core.activeTable(a.tableName);
    if (a.item) validateItemKeys(table, a.item);
    else validateKey(table, a.key as Item);
    if (a.update) checkUpdateStatically(table, a.update);
    a.table = table;
    a.tableKey = table.keyOf((a.item ?? a.key) as Item);
    const ks = table.name + '\u0001' + keyString(a.tableKey);
    if (seen.has(ks)) throw validation('Transaction request cannot include multiple operations on one item');
    seen.add(ks);
  }

  const token = data.ClientRequestToken as string | undefined;
  const now = core.now();
  // What a token is checked against: a digest of the request without it (a run of many
  // transactions keeps one per token for ten minutes: the digest, not the request, is kept).
  let fingerprint = '';
  if (token !== undefined) {
    const { ClientRequestToken: _t, ...rest } = data;
    void _t;
    fingerprint = createHash('sha256').update(JSON.stringify(rest)).digest('base64');
    // Tokens are kept in the order they were recorded: sweep the expired ones from the front and
    // stop at the first live one (a sweep of the whole map per call was quadratic over a run).
    // A clock set back can leave an expired token behind the first live one: the lookup checks it.
    for (const [t, v] of core.tokens) {
      if (now - v.at < TOKEN_MS) break;
      core.tokens.delete(t);
    }
    const prior = core.tokens.get(token);
    if (prior && now - prior.at < TOKEN_MS) {
      if (prior.fingerprint !== fingerprint) {
        throw new EngineError('IdempotentParameterMismatchException', 'Request with the same client token was already processed with different parameters');
      }
      return prior.response;
    }
  }

  // Every action's item before and after it, on the state before the transaction (nothing written).
  const images = actions.map((a) => {
    const table = a.table as TableState;
    const old = table.getItem(a.tableKey as TableKey);
    if (a.kind === 'Put') return { old, next: a.item };
    if (a.kind === 'ConditionCheck') return { old, next: old };
    if (a.kind === 'Delete') return { old, next: undefined };
    try {
      return { old, next: computeUpdate(table, a.update as PreparedUpdate, old).item };
    } catch (e) {
      if (!(e instanceof EngineError) || e.type !== 'ValidationException') throw e;
      return { old, next: undefined, error: e };
    }
  });
  checkTransactionSize(images.map((i) => Math.max(i.old ? itemSize(i.old) : 0, i.next ? itemSize(i.next) : 0)));

  // Evaluate every action against the state before the transaction.
  const reasons: Array<Record<string, unknown>> = [];
  const planned: Array<{ old?: Item; next?: Item }> = [];
  let cancelled = false;
  actions.forEach((a, i) => {
    const { old, next, error } = images[i] as { old?: Item; next?: Item; error?: EngineError };
    if (a.condition && !evaluateCondition(a.condition, old)) {
      cancelled = true;
      reasons.push({ Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(a.returnOld === 'ALL_OLD' && old ? { Item: old } : {}) });
      planned.push({});
      return;
    }
    if (error) {
      cancelled = true;
      reasons.push({ Code: 'ValidationError', Message: error.message });
      planned.push({});
      return;
    }
    planned.push({ ...(old ? { old } : {}), ...(next && a.kind !== 'Delete' ? { next } : {}) });
    reasons.push({ Code: 'None' });
  });
  if (cancelled) {
    throw new EngineError(
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [' + reasons.map((r) => r.Code as string).join(', ') + ']',
      400,
      { CancellationReasons: reasons },
    );
  }
  const meter = newMeter();
  const metrics: Record<string, unknown[]> = {};
  actions.forEach((a, i) => {
    const table = a.table as TableState;
    const p = planned[i] as { old?: Item; next?: Item };
    meter.touch(table.name);
    if (a.kind === 'ConditionCheck') {
      meter.add(table.name, 'write', writeUnits(p.old ? itemSize(p.old) : 0, true));
      return;
    }
    applyWrite(core, table, a.tableKey as TableKey, p.old, a.kind === 'Delete' ? undefined : p.next, { meter, transactional: true, eventName: a.kind === 'Put' ? 'put' : a.kind === 'Update' ? 'update' : 'delete' });
    const icm = itemCollectionMetrics(table, a.tableKey as TableKey, data.ReturnItemCollectionMetrics);
    if (icm) (metrics[table.name] ??= []).push(icm);
  });
  const out: Record<string, unknown> = {};
  const cc = meter.renderAll(data.ReturnConsumedCapacity as never);
  if (cc) out.ConsumedCapacity = cc;
  if (data.ReturnItemCollectionMetrics === 'SIZE') out.ItemCollectionMetrics = metrics;
  if (token !== undefined) {
    // Re-inserted at the end, so the map stays in recording order for the sweep above.
    core.tokens.delete(token);
    core.tokens.set(token, { fingerprint, at: now, response: out });
  }
  return out;
}
