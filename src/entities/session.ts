import { Entity } from 'electrodb';
import { SERVICE } from './service-name';

export const Session = new Entity({
  model: { entity: 'session', version: '1', service: SERVICE },
  attributes: {
    sessionId: { type: 'string', required: true, readOnly: true },
    userId: { type: 'string', required: true, readOnly: true },
    userAgent: { type: 'string' },
    createdAt: { type: 'string', required: true },
    /** Epoch seconds: the table's TTL attribute; DynamoDB deletes expired sessions late. */
    expiresAt: { type: 'number', required: true },
  },
  indexes: {
    // listActiveSessions, revokeSession: sessions live in their user's partition
    session: {
      collection: 'userData',
      pk: { field: 'pk', composite: ['userId'], casing: 'none' },
      sk: { field: 'sk', composite: ['sessionId'], casing: 'none' },
    },
    // getUserAccount
    account: {
      index: 'gsi1',
      collection: 'account',
      pk: { field: 'gsi1pk', composite: ['userId'], casing: 'none' },
      sk: { field: 'gsi1sk', composite: ['createdAt'], casing: 'none' },
    },
  },
});
