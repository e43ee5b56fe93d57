import { Entity } from 'electrodb';
import { SERVICE } from './service-name';

export const ORDER_STATUSES = ['pending', 'paid', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Statuses kept in the sparse byStatus index; closed orders leave it. */
export const OPEN_ORDER_STATUSES = ['pending', 'paid', 'shipped'] as const;
export type OpenOrderStatus = (typeof OPEN_ORDER_STATUSES)[number];

export function isOpenOrderStatus(status: string): status is OpenOrderStatus {
  return (OPEN_ORDER_STATUSES as readonly string[]).includes(status);
}

export const Order = new Entity({
  model: { entity: 'order', version: '1', service: SERVICE },
  attributes: {
    orderId: { type: 'string', required: true, readOnly: true },
    userId: { type: 'string', required: true, readOnly: true },
    status: { type: ORDER_STATUSES, required: true },
    currency: { type: 'string', required: true },
    totalCents: { type: 'number', required: true },
    itemCount: { type: 'number', required: true },
    createdAt: { type: 'string', required: true },
    updatedAt: { type: 'string', required: true },
    idempotencyKey: { type: 'string' },
  },
  indexes: {
    // getOrderWithItems, updateOrderStatus: the order heads its own item collection
    order: {
      collection: 'orderDetails',
      pk: { field: 'pk', composite: ['orderId'], casing: 'none' },
      sk: { field: 'sk', composite: [], casing: 'none' },
    },
    // listOrdersForUser (newest first, date range on the sort key); getUserAccount
    byUser: {
      index: 'gsi1',
      collection: 'account',
      pk: { field: 'gsi1pk', composite: ['userId'], casing: 'none' },
      sk: { field: 'gsi1sk', composite: ['createdAt'], casing: 'none' },
    },
    // listOrdersByStatus: SPARSE, only open orders carry gsi3 keys
    byStatus: {
      index: 'gsi3',
      condition: (attr) => typeof attr.status === 'string' && isOpenOrderStatus(attr.status),
      pk: { field: 'gsi3pk', composite: ['status'], casing: 'none' },
      sk: { field: 'gsi3sk', composite: ['createdAt'], casing: 'none' },
    },
  },
});
