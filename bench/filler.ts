import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import type { WriteRequest } from '../src/toolkit';
import { createModel, userStatusShard } from '../src/reference';

const SINCE = Date.parse('2020-01-01T00:00:00.000Z');

/**
 * Items of other users, as the entities write them (keys and index keys included), dated before
 * the measured data: a table grows, the partitions the patterns read keep their contents. Each
 * filler user brings 1 user, 2 orders and 2 items per order (7 items).
 */
export function fillerItems(doc: DynamoDBDocumentClient, tableName: string, count: number, tag: string): WriteRequest[] {
  const model = createModel(doc, tableName);
  const id = monotonicFactory();
  const out: WriteRequest[] = [];
  for (let u = 0; out.length < count; u += 1) {
    const at = new Date(SINCE + u * 1000).toISOString();
    const userId = id(SINCE + u * 1000);
    const put = (item: Record<string, unknown>) => {
      if (out.length < count) out.push({ PutRequest: { Item: item } });
    };
    put(model.entities.user.put({ userId, email: `filler.${tag}.${u}@example.com`, name: `Filler ${u}`, status: u % 3 === 0 ? 'suspended' : 'active', createdAt: at, updatedAt: at, version: 1, statusShard: userStatusShard(userId) }).params().Item);
    for (let o = 0; o < 2; o += 1) {
      const orderId = id(SINCE + u * 1000 + o + 1);
      const status = o === 0 ? 'delivered' : 'pending';
      put(model.entities.order.put({ orderId, userId, status, currency: 'USD', totalCents: 5800, itemCount: 2, createdAt: at, updatedAt: at }).params().Item);
      for (const sku of ['KB-101', 'MS-220']) put(model.entities.orderItem.put({ orderId, sku, name: `Item ${sku}`, quantity: 1, unitPriceCents: 2900 }).params().Item);
    }
  }
  return out;
}
