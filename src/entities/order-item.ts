import { Entity } from 'electrodb';
import { SERVICE } from './service-name';

export const OrderItem = new Entity({
  model: { entity: 'orderItem', version: '1', service: SERVICE },
  attributes: {
    orderId: { type: 'string', required: true, readOnly: true },
    sku: { type: 'string', required: true, readOnly: true },
    name: { type: 'string', required: true },
    quantity: { type: 'number', required: true },
    unitPriceCents: { type: 'number', required: true },
  },
  indexes: {
    // getOrderWithItems: items live in their order's partition
    item: {
      collection: 'orderDetails',
      pk: { field: 'pk', composite: ['orderId'], casing: 'none' },
      sk: { field: 'sk', composite: ['sku'], casing: 'none' },
    },
  },
});
