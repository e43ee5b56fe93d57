/** UpdateItem. Validation order and texts follow dynalite's validations/updateItem.js (Apache-2.0). */
import type { EngineCore } from '../engine';
import { checkKeyPaths } from './read-page';
import { applyProjection, applyUpdate, assertKeysNotUpdated, evaluateCondition, type Path, type UpdateOperand, parseCondition, parseUpdate, type Condition, type Update } from '../expressions';
import type { TableState } from '../storage/table';
import type { Item } from '../types';
import { applyWrite, chargeFailedWrite, conditionFailed, itemCollectionMetrics, makeScope, newMeter, normalizeKey, pickAttributes, validateItemKeys, validateKey } from './common';
import { EngineError } from '../errors';
import { attributeUpdatesUpdate, expectedCondition, validateAttributeUpdates, validateExpected } from './legacy';
import { ATTR_MAP, EXPECTED, NAMES_MAP, RETURN_CONSUMED, RETURN_METRICS, STRING, TABLE_NAME, validateExpressionParams, validateRequest, type FieldSpec } from './validator';

export const UPDATE_SCHEMA: Record<string, FieldSpec | string> = {
  ReturnConsumedCapacity: RETURN_CONSUMED,
  TableName: TABLE_NAME,
  Key: { type: 'Map<AttributeValue>', notNull: true, children: 'AttrStruct<ValueStruct>' },
  AttributeUpdates: {
    type: 'Map<AttributeValueUpdate>',
    children: {
      type: 'ValueStruct<AttributeValueUpdate>',
      children: { Action: { type: 'String', enum: ['DELETE', 'PUT', 'ADD'] }, Value: 'AttrStruct<FieldStruct>' },
    },
  },
  ConditionalOperator: { type: 'String', enum: ['OR', 'AND'] },
  Expected: EXPECTED,
  ReturnValues: { type: 'String', enum: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'] },
  ReturnItemCollectionMetrics: RETURN_METRICS,
  ReturnValuesOnConditionCheckFailure: { type: 'String', enum: ['ALL_OLD', 'NONE'] },
  UpdateExpression: STRING,
  ConditionExpression: STRING,
  ExpressionAttributeValues: ATTR_MAP,
  ExpressionAttributeNames: NAMES_MAP,
};

export interface PreparedUpdate {
  tableName: string;
  key: Item;
  condition?: Condition;
  update?: Update;
  /** Sent as AttributeUpdates: a type clash then has the legacy text. */
  legacy?: boolean;
}

export function prepareUpdate(data: Record<string, unknown>): PreparedUpdate {
  validateExpressionParams(data, ['UpdateExpression', 'ConditionExpression'], ['AttributeUpdates', 'Expected']);
  const key = normalizeKey(data.Key);
  validateAttributeUpdates(data.AttributeUpdates);
  validateExpected(data.Expected);
  const scope = makeScope(data);
  const legacy = data.AttributeUpdates !== undefined && data.AttributeUpdates !== null;
  let update: Update | undefined = legacy ? attributeUpdatesUpdate(data.AttributeUpdates) : undefined;
  let condition: Condition | undefined = expectedCondition(data.Expected, data.ConditionalOperator);
  if (data.UpdateExpression !== undefined) update = parseUpdate(data.UpdateExpression as string, scope);
  if (data.ConditionExpression !== undefined) condition = parseCondition(data.ConditionExpression as string, scope, 'ConditionExpression');
  scope.assertAllUsed();
  return { tableName: data.TableName as string, key, ...(condition ? { condition } : {}), ...(update ? { update } : {}), ...(legacy ? { legacy } : {}) };
}

/** Checks that need no item: a key attribute updated, a nested path into a key (before any condition). */
export function checkUpdateStatically(table: TableState, p: PreparedUpdate): void {
  if (!p.update) return;
  assertKeysNotUpdated(p.update, table.keyNames);
  // Paths read by SET operands count too (dynalite's nestedPaths: `SET g = g.g` on a key g is refused).
  const read: Path[] = [];
  const operand = (o: UpdateOperand): void => {
    if (o.k === 'path') read.push(o.path);
    else if (o.k === 'if_not_exists') {
      read.push(o.path);
      operand(o.fallback);
    } else if (o.k === 'list_append' || o.k === 'arith') {
      operand(o.a);
      operand(o.b);
    }
  };
  for (const a of p.update.actions) if (a.action === 'SET') operand(a.value);
  checkKeyPaths(table, [...p.update.paths, ...read]);
}

/** The item an update produces (validated against the table), and the top-level names it changed. */
export function computeUpdate(table: TableState, p: PreparedUpdate, old: Item | undefined): { item: Item; changed: string[] } {
  const base: Item = old ? { ...old } : { ...p.key };
  let result: { item: Item; changed: string[] };
  try {
    result = p.update ? applyUpdate(p.update, base, table.keyNames) : { item: base, changed: [] };
  } catch (e) {
    if (p.legacy && e instanceof EngineError && e.message === 'An operand in the update expression has an incorrect data type') {
      throw new EngineError(e.type, 'Type mismatch for attribute to update', e.status, e.extra);
    }
    throw e;
  }
  validateItemKeys(table, result.item, true);
  return result;
}

export function updateItem(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, UPDATE_SCHEMA);
  const p = prepareUpdate(data);
  const table = core.activeTable(p.tableName);
  validateKey(table, p.key);
  checkUpdateStatically(table, p);
  const key = table.keyOf(p.key);
  const old = table.getItem(key);
  const meter = newMeter();
  if (p.condition && !evaluateCondition(p.condition, old)) {
    chargeFailedWrite(meter, table, old);
    throw conditionFailed(data.ReturnValuesOnConditionCheckFailure, old);
  }
  const { item, changed } = computeUpdate(table, p, old);
  applyWrite(core, table, key, old, item, { meter, eventName: 'update' });
  const out: Record<string, unknown> = {};
  switch (data.ReturnValues) {
    case 'ALL_OLD':
      if (old) out.Attributes = old;
      break;
    case 'ALL_NEW':
      out.Attributes = item;
      break;
    // The updated paths only, nested ones included (dynalite's mapPaths, verified on DynamoDB).
    case 'UPDATED_OLD':
      if (old) {
        const a = p.update ? applyProjection(old, { paths: p.update.paths }) : pickAttributes(old, changed);
        if (Object.keys(a).length) out.Attributes = a;
      }
      break;
    case 'UPDATED_NEW': {
      const a = p.update ? applyProjection(item, { paths: p.update.paths }) : pickAttributes(item, changed);
      if (Object.keys(a).length) out.Attributes = a;
      break;
    }
  }
  const cc = meter.render(table.name, data.ReturnConsumedCapacity as never);
  if (cc) out.ConsumedCapacity = cc;
  const icm = itemCollectionMetrics(table, key, data.ReturnItemCollectionMetrics);
  if (icm) out.ItemCollectionMetrics = icm;
  return out;
}
