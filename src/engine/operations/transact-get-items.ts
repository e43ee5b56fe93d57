/**
 * TransactGetItems: up to 100 Gets on distinct items, read together; 2 read units per 4 KB.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactGetItems.html
 */
import type { EngineCore } from '../engine';
import { validation } from '../errors';
import { applyProjection, parseProjection, type Projection } from '../expressions';
import type { TableKey, TableState } from '../storage/table';
import type { Item } from '../types';
import { itemSize } from '../values/size';
import { chargeRead, keyString, makeScope, newMeter, normalizeKey, validateKey } from './common';
import { checkTransactionSize } from './transact-write-items';
import { NAMES_MAP, RETURN_CONSUMED, STRING, TABLE_NAME, validateRequest, type FieldSpec } from './validator';

const SCHEMA: Record<string, FieldSpec | string> = {
  TransactItems: {
    type: 'List',
    notNull: true,
    lengthGreaterThanOrEqual: 1,
    lengthLessThanOrEqual: 100,
    children: {
      type: 'ValueStruct<TransactGetItem>',
      children: {
        Get: {
          type: 'FieldStruct<Get>',
          notNull: true,
          children: { TableName: TABLE_NAME, Key: { type: 'Map<AttributeValue>', notNull: true, children: 'AttrStruct<ValueStruct>' }, ProjectionExpression: STRING, ExpressionAttributeNames: NAMES_MAP },
        },
      },
    },
  },
  ReturnConsumedCapacity: RETURN_CONSUMED,
};

export function transactGetItems(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, SCHEMA);
  const gets = (data.TransactItems as Array<{ Get: Record<string, unknown> }>).map((e) => {
    const g = e.Get;
    const scope = makeScope(g);
    let projection: Projection | undefined;
    if (g.ProjectionExpression !== undefined) projection = parseProjection(g.ProjectionExpression as string, scope);
    scope.assertAllUsed();
    return { tableName: g.TableName as string, key: normalizeKey(g.Key), projection };
  });
  const seen = new Set<string>();
  const resolved: Array<{ table: TableState; key: TableKey; projection?: Projection }> = [];
  for (const g of gets) {
    const table = core.activeTable(g.tableName);
    validateKey(table, g.key);
    const key = table.keyOf(g.key);
    const ks = table.name + '\u0001' + keyString(key);
    if (seen.has(ks)) throw validation('Transaction request cannot include multiple operations on one item');
    seen.add(ks);
    resolved.push({ table, key, ...(g.projection ? { projection: g.projection } : {}) });
  }
  const items = resolved.map((r) => r.table.getItem(r.key));
  // The whole items count (as for capacity), whatever the projection returns.
  checkTransactionSize(items.map((item) => (item ? itemSize(item) : 0)));
  const meter = newMeter();
  const responses = resolved.map((r, i) => {
    const item: Item | undefined = items[i];
    meter.touch(r.table.name);
    chargeRead(meter, r.table, item, 'transactional');
    if (!item) return {};
    return { Item: r.projection ? applyProjection(item, r.projection) : item };
  });
  const out: Record<string, unknown> = { Responses: responses };
  const cc = meter.renderAll(data.ReturnConsumedCapacity as never);
  if (cc) out.ConsumedCapacity = cc;
  return out;
}
