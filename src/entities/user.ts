import { Entity } from 'electrodb';
import { SERVICE } from './service-name';

export const USER_STATUSES = ['active', 'suspended', 'deactivated'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

export const User = new Entity({
  model: { entity: 'user', version: '1', service: SERVICE },
  attributes: {
    userId: { type: 'string', required: true, readOnly: true },
    email: { type: 'string', required: true },
    name: { type: 'string', required: true },
    status: { type: USER_STATUSES, required: true },
    createdAt: { type: 'string', required: true },
    updatedAt: { type: 'string', required: true },
    /** Incremented by every write: optimistic locking for updateUserProfile. */
    version: { type: 'number', required: true },
  },
  indexes: {
    // getUserById, and every write to a user; deleteUser reads the userData collection
    user: {
      collection: 'userData',
      pk: { field: 'pk', composite: ['userId'], casing: 'none' },
      sk: { field: 'sk', composite: [], casing: 'none' },
    },
    // getUserAccount: the user heads its own account collection (with its sessions and orders)
    account: {
      index: 'gsi1',
      collection: 'account',
      pk: { field: 'gsi1pk', composite: ['userId'], casing: 'none' },
      sk: { field: 'gsi1sk', composite: [], casing: 'none' },
    },
    // getUserByEmail
    byEmail: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['email'], casing: 'none' },
      sk: { field: 'gsi2sk', composite: [], casing: 'none' },
    },
    // listUsersByStatus, newest first
    byStatus: {
      index: 'gsi3',
      pk: { field: 'gsi3pk', composite: ['status'], casing: 'none' },
      sk: { field: 'gsi3sk', composite: ['createdAt'], casing: 'none' },
    },
  },
});
