/** GetItem. Validation order and texts follow dynalite's validations/getItem.js (Apache-2.0). */
import type { EngineCore } from '../engine';
import { applyProjection, parseProjection, type Projection } from '../expressions';
import { checkKeyPaths } from './read-page';
import { chargeRead, makeScope, newMeter, normalizeKey, readItem, validateKey } from './common';
import { attributesProjection, validateAttributesToGet } from './legacy';
import { ATTR_MAP, ATTRIBUTES_TO_GET, NAMES_MAP, RETURN_CONSUMED, STRING, TABLE_NAME, validateExpressionParams, validateRequest } from './validator';

export function getItem(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, {
    AttributesToGet: ATTRIBUTES_TO_GET,
    TableName: TABLE_NAME,
    Key: { type: 'Map<AttributeValue>', notNull: true, children: 'AttrStruct<ValueStruct>' },
    ConsistentRead: 'Boolean',
    ReturnConsumedCapacity: RETURN_CONSUMED,
    ProjectionExpression: STRING,
    ExpressionAttributeNames: NAMES_MAP,
  });
  void ATTR_MAP;
  validateExpressionParams(data, ['ProjectionExpression'], ['AttributesToGet']);
  const key = normalizeKey(data.Key);
  validateAttributesToGet(data.AttributesToGet);
  const scope = makeScope(data);
  let projection: Projection | undefined = attributesProjection(data.AttributesToGet);
  if (data.ProjectionExpression !== undefined) projection = parseProjection(data.ProjectionExpression as string, scope);
  scope.assertAllUsed();
  const table = core.activeTable(data.TableName as string);
  validateKey(table, key);
  if (projection) checkKeyPaths(table, projection.paths);
  const consistent = data.ConsistentRead === true;
  const item = readItem(core, table, table.keyOf(key), consistent);
  const meter = newMeter();
  chargeRead(meter, table, item, consistent ? 'strong' : 'eventual');
  const out: Record<string, unknown> = {};
  if (item) out.Item = projection ? applyProjection(item, projection) : item;
  const cc = meter.render(table.name, data.ReturnConsumedCapacity as never);
  if (cc) out.ConsumedCapacity = cc;
  return out;
}
