/** PutItem. Validation order and texts follow dynalite's validations/putItem.js (Apache-2.0). */
import type { EngineCore } from '../engine';
import { validation } from '../errors';
import { evaluateCondition, parseCondition, type Condition } from '../expressions';
import type { Item } from '../types';
import { itemSize } from '../values/size';
import { MAX_ITEM_SIZE, applyWrite, chargeFailedWrite, conditionFailed, itemCollectionMetrics, makeScope, newMeter, normalizeItem, validateItemKeys } from './common';
import { expectedCondition, validateExpected } from './legacy';
import { ATTR_MAP, EXPECTED, NAMES_MAP, RETURN_CONSUMED, RETURN_METRICS, STRING, TABLE_NAME, validateExpressionParams, validateRequest, type FieldSpec } from './validator';

export const PUT_SCHEMA: Record<string, FieldSpec | string> = {
  ReturnConsumedCapacity: RETURN_CONSUMED,
  TableName: TABLE_NAME,
  Item: { type: 'Map<AttributeValue>', notNull: true, children: 'AttrStruct<ValueStruct>' },
  ConditionalOperator: { type: 'String', enum: ['OR', 'AND'] },
  Expected: EXPECTED,
  ReturnValues: { type: 'String', enum: ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'] },
  ReturnItemCollectionMetrics: RETURN_METRICS,
  ReturnValuesOnConditionCheckFailure: { type: 'String', enum: ['ALL_OLD', 'NONE'] },
  ConditionExpression: STRING,
  ExpressionAttributeValues: ATTR_MAP,
  ExpressionAttributeNames: NAMES_MAP,
};

export interface PreparedPut {
  tableName: string;
  item: Item;
  condition?: Condition;
}

/** The request-level checks of a Put (also used by TransactWriteItems). */
export function preparePut(data: Record<string, unknown>, checkReturnValues = false): PreparedPut {
  validateExpressionParams(data, ['ConditionExpression'], ['Expected']);
  const item = normalizeItem(data.Item);
  if (checkReturnValues && data.ReturnValues && data.ReturnValues !== 'ALL_OLD' && data.ReturnValues !== 'NONE') throw validation('ReturnValues can only be ALL_OLD or NONE');
  if (itemSize(item) > MAX_ITEM_SIZE) throw validation('Item size has exceeded the maximum allowed size');
  validateExpected(data.Expected);
  const scope = makeScope(data);
  let condition: Condition | undefined = expectedCondition(data.Expected, data.ConditionalOperator);
  if (data.ConditionExpression !== undefined) condition = parseCondition(data.ConditionExpression as string, scope, 'ConditionExpression');
  scope.assertAllUsed();
  return { tableName: data.TableName as string, item, ...(condition ? { condition } : {}) };
}

export function putItem(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, PUT_SCHEMA);
  const p = preparePut(data, true);
  const table = core.activeTable(p.tableName);
  validateItemKeys(table, p.item);
  const key = table.keyOf(p.item);
  const old = table.getItem(key);
  const meter = newMeter();
  if (p.condition && !evaluateCondition(p.condition, old)) {
    chargeFailedWrite(meter, table, old);
    throw conditionFailed(data.ReturnValuesOnConditionCheckFailure, old);
  }
  applyWrite(core, table, key, old, p.item, { meter, eventName: 'put' });
  const out: Record<string, unknown> = {};
  if (data.ReturnValues === 'ALL_OLD' && old) out.Attributes = old;
  const cc = meter.render(table.name, data.ReturnConsumedCapacity as never);
  if (cc) out.ConsumedCapacity = cc;
  const icm = itemCollectionMetrics(table, key, data.ReturnItemCollectionMetrics);
  if (icm) out.ItemCollectionMetrics = icm;
  return out;
}
