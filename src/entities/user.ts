import { Entity } from 'electrodb';
import { SERVICE } from './service-name';

export const USER_STATUSES = ['active', 'suspended', 'deactivated'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];
/**
 * What the item may hold: the statuses above, and `deleting`, which deleteUser sets before its
 * sweep. Every write that adds something for a user conditions on the user not being `deleting`
 * (most on `active`), so nothing new can appear for a user while its belongings are swept.
 */
export const USER_ITEM_STATUSES = [...USER_STATUSES, 'deleting'] as const;
export type UserItemStatus = (typeof USER_ITEM_STATUSES)[number];

/**
 * Write sharding of the status index: every active user in ONE gsi3 partition caps user writes at
 * 1,000 WCU/s (each user write also writes its gsi3 copy). Users are spread over this many shards
 * by a hash of their id; listUsersByStatus reads all shards and merges them.
 */
export const USER_STATUS_SHARDS = 4;

/** The shard of a user: FNV-1a of the id, modulo the shard count. Stable for the user's life. */
export function userStatusShard(userId: string, shards: number = USER_STATUS_SHARDS): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < userId.length; i += 1) {
    hash ^= userId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return String(hash % shards);
}

export const User = new Entity({
  model: { entity: 'user', version: '1', service: SERVICE },
  attributes: {
    userId: { type: 'string', required: true, readOnly: true },
    email: { type: 'string', required: true },
    name: { type: 'string', required: true },
    status: { type: USER_ITEM_STATUSES, required: true },
    createdAt: { type: 'string', required: true },
    updatedAt: { type: 'string', required: true },
    /** Incremented by every write: optimistic locking for updateUserProfile. */
    version: { type: 'number', required: true },
    /**
     * Bumped by every write that can make the user an owner (createOrganization, addMember as
     * owner, a promotion). deleteUser's mark conditions on it, so an ownership gained after
     * deleteUser listed the memberships cancels the mark instead of slipping past it. Internal:
     * the service does not return it.
     */
    ownershipEpoch: { type: 'number' },
    /**
     * How many memberships the user has: every write that adds or removes one changes it in the
     * same transaction. gsi1 (user → memberships) lags the table; this count does not, so
     * deleteUser (and a rename's copy) know when the index has shown them every membership.
     * Internal: the service does not return it. Absent on users written before it existed (0).
     */
    membershipCount: { type: 'number' },
    /** Which shard of the status index the user lives in (see USER_STATUS_SHARDS). */
    statusShard: { type: 'string', required: true, readOnly: true },
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
    // listUsersByStatus, newest first: one Query per shard, merged. The userId after createdAt
    // makes the sort key total (users created in the same millisecond are ordered by id), so
    // the shard merge and each shard's cursor agree on one order.
    byStatus: {
      index: 'gsi3',
      pk: { field: 'gsi3pk', composite: ['status', 'statusShard'], casing: 'none' },
      sk: { field: 'gsi3sk', composite: ['createdAt', 'userId'], casing: 'none' },
    },
  },
});
