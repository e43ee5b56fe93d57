import { Entity } from 'electrodb';
import { SERVICE } from './service-name';

/**
 * One per (user, idempotencyKey): written in placeOrder's transaction with attribute_not_exists,
 * so two racing calls with one key can never both write an order. Expires by TTL.
 */
export const OrderRequest = new Entity({
  model: { entity: 'orderRequest', version: '1', service: SERVICE },
  attributes: {
    userId: { type: 'string', required: true, readOnly: true },
    idempotencyKey: { type: 'string', required: true, readOnly: true },
    orderId: { type: 'string', required: true },
    createdAt: { type: 'string', required: true },
    /** Epoch seconds: the table's TTL attribute. */
    expiresAt: { type: 'number', required: true },
  },
  indexes: {
    // placeOrder: look up the first order for a key
    request: {
      collection: 'userData',
      pk: { field: 'pk', composite: ['userId'], casing: 'none' },
      sk: { field: 'sk', composite: ['idempotencyKey'], casing: 'none' },
    },
  },
});
