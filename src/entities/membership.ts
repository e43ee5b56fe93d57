import { Entity } from 'electrodb';
import { SERVICE } from './service-name';

export const MEMBER_ROLES = ['owner', 'admin', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const Membership = new Entity({
  model: { entity: 'membership', version: '1', service: SERVICE },
  attributes: {
    orgId: { type: 'string', required: true, readOnly: true },
    userId: { type: 'string', required: true, readOnly: true },
    role: { type: MEMBER_ROLES, required: true },
    /** Denormalized so a user's organization list needs no second read. */
    orgName: { type: 'string', required: true },
    /** Denormalized so a member list needs no second read. */
    userName: { type: 'string', required: true },
    /**
     * The user version userName was copied from: a copy only overwrites an older one, so racing
     * renames and late copies settle on the newest name (see propagateUserName).
     */
    userVersion: { type: 'number' },
    joinedAt: { type: 'string', required: true },
  },
  indexes: {
    // getOrganizationWithMembers; add/remove/changeRole address a membership by org and user
    member: {
      collection: 'organization',
      pk: { field: 'pk', composite: ['orgId'], casing: 'none' },
      sk: { field: 'sk', composite: ['userId'], casing: 'none' },
    },
    // listUserOrganizations: the inverted index (user → organizations)
    byUser: {
      index: 'gsi1',
      pk: { field: 'gsi1pk', composite: ['userId'], casing: 'none' },
      sk: { field: 'gsi1sk', composite: ['orgId'], casing: 'none' },
    },
    // listOrganizationMembers, optionally one role: the role leads the sort key
    byRole: {
      index: 'gsi2',
      pk: { field: 'gsi2pk', composite: ['orgId'], casing: 'none' },
      sk: { field: 'gsi2sk', composite: ['role', 'userId'], casing: 'none' },
    },
  },
});
