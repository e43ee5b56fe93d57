import { defineCatalog, type DeclaredRequest, type TransactItemKind } from '../toolkit';
import { USER_STATUS_SHARDS } from '../entities/user';

/*
 * The reference model's access patterns, declared once. Each name is the service method, the
 * test's name and the README row. `requests` is what ONE call sends (one page, for listings);
 * the access-pattern tests check every call against it through the request recorder.
 */

// A write reads what it is about to change strongly consistent; read patterns say otherwise.
const get = (key: string, purpose?: string, times: DeclaredRequest['times'] = 1, consistency: DeclaredRequest['consistency'] = 'strong'): DeclaredRequest => ({
  operation: 'GetItem',
  index: 'table',
  key,
  times,
  consistency,
  ...(purpose ? { purpose } : {}),
});
// The parts are read from the key text (`Put x + Update y + ConditionCheck z`): the IAM policy grants exactly these.
const transact = (key: string, purpose?: string, times: DeclaredRequest['times'] = 1): DeclaredRequest => ({
  operation: 'TransactWriteItems',
  index: 'table',
  key,
  times,
  transactItems: (['ConditionCheck', 'Delete', 'Put', 'Update'] as const).filter((k: TransactItemKind) => new RegExp(`\\b${k}\\b`).test(key)),
  ...(purpose ? { purpose } : {}),
});

const ACCOUNT_ORDERS: DeclaredRequest = {
  operation: 'Query',
  index: 'gsi1',
  key: 'gsi1pk = userId, gsi1sk begins_with order (descending)',
  keyConditions: ['gsi1pk = ? and begins_with(gsi1sk, ?)'],
  purpose: 'recent orders',
};
const ACCOUNT_SESSIONS: DeclaredRequest = {
  operation: 'Query',
  index: 'gsi1',
  key: 'gsi1pk = userId, gsi1sk >= sessions created within the longest TTL (descending); filter expiresAt > now',
  keyConditions: ['gsi1pk = ? and gsi1sk >= ?'],
  filters: ['expiresat > ?'],
  times: { min: 1 },
  purpose: 'live sessions',
};

export const catalog = defineCatalog([
  // Users
  {
    name: 'createUser',
    kind: 'write',
    description: 'Create a user; the email is claimed in the same transaction, so it is unique.',
    entities: ['user', 'emailClaim'],
    requests: [transact('Put emailClaim (pk = email, must not exist) + Put user (pk = userId)')],
  },
  {
    name: 'getUserById',
    kind: 'read',
    description: 'Get a user by id, strongly consistent on request.',
    entities: ['user'],
    requests: [get('pk = userId, sk = user', undefined, 1, 'either')],
  },
  {
    name: 'getUserByEmail',
    kind: 'read',
    description: 'Find a user by email (normalized).',
    entities: ['user'],
    requests: [{ operation: 'Query', index: 'gsi2', key: 'gsi2pk = email', keyConditions: ['gsi2pk = ? and gsi2sk = ?'] }],
  },
  {
    name: 'listUsersByStatus',
    kind: 'read',
    description: `Users with a status, newest first, optionally within a creation-date range; write-sharded over ${USER_STATUS_SHARDS} partitions, merged.`,
    entities: ['user'],
    paged: true,
    requests: [
      {
        operation: 'Query',
        index: 'gsi3',
        key: 'gsi3pk = status + shard, gsi3sk between createdFrom and createdTo',
        keyConditions: ['gsi3pk = ? and gsi3sk between ? and ?'],
        // one Query per shard on the first page; later pages skip exhausted shards
        times: { min: 1, max: USER_STATUS_SHARDS },
        purpose: 'one per shard not yet exhausted, in parallel',
      },
    ],
  },
  {
    name: 'updateUserProfile',
    kind: 'write',
    description: 'Rename a user (version + 1, optional expectedVersion); memberships get the new name.',
    entities: ['user', 'membership'],
    // Also run by the membership-names stream consumer, which completes copies a rename left part way.
    trigger: { stream: 'membership-names' },
    requests: [
      { operation: 'UpdateItem', index: 'table', key: 'pk = userId (if version = expectedVersion)' },
      { operation: 'Query', index: 'gsi1', key: 'gsi1pk = userId, gsi1sk begins_with membership', times: { min: 1 }, purpose: "the user's memberships" },
      { operation: 'UpdateItem', index: 'table', key: 'pk = orgId, sk = userId', times: { min: 0 }, purpose: 'copy the name to each membership' },
    ],
  },
  {
    name: 'changeUserEmail',
    kind: 'write',
    description: "Change a user's email: one transaction releases the old claim and takes the new one.",
    entities: ['user', 'emailClaim'],
    requests: [
      get('pk = userId', 'current email and version'),
      transact('Update user (if version unchanged) + Delete old emailClaim + Put new emailClaim (must not exist)'),
    ],
  },
  {
    name: 'setUserStatus',
    kind: 'write',
    description: "Set a user's status (moves it between status partitions of gsi3).",
    entities: ['user'],
    requests: [get('pk = userId', 'createdAt and version'), { operation: 'UpdateItem', index: 'table', key: 'pk = userId (if version unchanged)' }],
  },
  {
    name: 'deleteUser',
    kind: 'write',
    description:
      'Delete a user: mark it deleting (leaving the organizations it owns, never the last owner) so nothing new is added for it, sweep memberships, sessions and idempotency records, then the user and its email claim; orders are kept.',
    entities: ['user', 'emailClaim', 'session', 'membership', 'organization', 'orderRequest'],
    requests: [
      get('pk = userId', 'the user, its email and its membership count', { min: 1, max: 1 }),
      {
        operation: 'Query',
        index: 'gsi1',
        key: 'gsi1pk = userId, gsi1sk begins_with membership',
        purpose: 'memberships (re-listed, with the user, while the index shows fewer than the count)',
      },
      get('pk = orgId, sk = userId', "each membership's current role (the index lags)", { min: 0 }),
      transact(
        "Update user status = deleting, count − owned (if version, ownership epoch and count unchanged) + per owned organization: Delete membership + Update counts (if ownerCount > 1) + ConditionCheck other memberships' roles",
        'the mark',
        { min: 0, max: 1 },
      ),
      transact('Delete membership + Update organization counts (owner: if ownerCount > 1) + Update user count − 1', 'one per membership the mark found', { min: 0 }),
      get('pk = userId', "the user's count: memberships left", 1),
      { operation: 'Query', index: 'gsi1', key: 'gsi1pk = userId, gsi1sk begins_with membership', times: { min: 0 }, purpose: 'only while the count says some are left' },
      transact('Delete membership + Update organization counts + Update user count − 1', 'each membership left', { min: 0 }),
      get('pk = userId', "the user's count again", { min: 0 }),
      {
        operation: 'Query',
        index: 'table',
        key: 'pk = userId (userData collection)',
        times: { min: 1 },
        consistency: 'strong',
        purpose: 'sessions and idempotency records, strongly consistent so none written before the mark is missed',
        // ElectroDB's entity-marker filter for a collection of three entities.
        filters: ['((__edb_e__ = ? and __edb_v__ = ?) or (__edb_e__ = ? and __edb_v__ = ?) or (__edb_e__ = ? and __edb_v__ = ?))'],
      },
      { operation: 'BatchWriteItem', index: 'table', key: 'pk = userId, sk = each session / record', times: { min: 0 } },
      transact("Delete user (if deleting and counting no membership) + Delete emailClaim (if still this user's)"),
    ],
  },
  {
    name: 'getUserAccount',
    kind: 'read',
    description: 'A user with its live sessions and recent orders: the user, then its orders and sessions side by side, so sessions (expired ones too) never crowd orders out.',
    entities: ['user', 'session', 'order'],
    requests: [get('pk = userId', 'the user', 1, 'eventual'), ACCOUNT_ORDERS, ACCOUNT_SESSIONS],
    alternatives: [
      {
        when: 'the sessions query is sent first (the two run in parallel)',
        requests: [get('pk = userId', 'the user', 1, 'eventual'), { ...ACCOUNT_SESSIONS, times: 1 }, ACCOUNT_ORDERS, { ...ACCOUNT_SESSIONS, times: { min: 0 }, purpose: 'more live sessions' }],
      },
      { when: 'the user does not exist', requests: [get('pk = userId', 'the user', 1, 'eventual')] },
    ],
  },
  // Organizations
  {
    name: 'createOrganization',
    kind: 'write',
    description: "Create an organization with its owner's membership; the owner must exist and be active.",
    entities: ['organization', 'membership', 'user'],
    requests: [get('pk = ownerUserId', "owner's name"), transact('Put organization + Put membership + Update user membership count + 1 (if active and its version unchanged)')],
  },
  {
    name: 'getOrganization',
    kind: 'read',
    description: 'Get an organization by id.',
    entities: ['organization'],
    requests: [get('pk = orgId, sk = organization', undefined, 1, 'eventual')],
  },
  {
    name: 'getOrganizationWithPartiql',
    kind: 'read',
    description: "Get an organization by id in PartiQL: getOrganization's twin, one parameterized SELECT on the full key.",
    entities: ['organization'],
    requests: [{ operation: 'ExecuteStatement', index: 'table', key: 'pk = orgId, sk = organization', consistency: 'eventual', partiql: ['SELECT'] }],
  },
  {
    name: 'addMember',
    kind: 'write',
    description: 'Add a member: membership (must not exist) and memberCount + 1 in one transaction.',
    entities: ['membership', 'organization', 'user'],
    requests: [get('pk = orgId / pk = userId', 'names to copy', 2), transact('Put membership (must not exist) + Update organization counts + Update user membership count + 1 (if its version is unchanged: its name is copied; deleteUser bumps it)')],
  },
  {
    name: 'removeMember',
    kind: 'write',
    description: 'Remove a member, memberCount − 1 in the same transaction; never the last owner.',
    entities: ['membership', 'organization', 'user'],
    requests: [get('pk = orgId, sk = userId', 'role'), transact('Delete membership (if role unchanged) + Update organization counts (owner: if ownerCount > 1) + Update user membership count − 1')],
  },
  {
    name: 'changeMemberRole',
    kind: 'write',
    description: "Change a member's role; demoting the last owner is refused.",
    entities: ['membership', 'organization'],
    requests: [get('pk = orgId, sk = userId', 'current role'), transact('Update membership role (if unchanged) + Update ownerCount (demotion: if ownerCount > 1; promotion: ConditionCheck user not being deleted)')],
  },
  {
    name: 'listOrganizationMembers',
    kind: 'read',
    description: "An organization's members, optionally one role (the role leads gsi2's sort key).",
    entities: ['membership'],
    paged: true,
    requests: [{ operation: 'Query', index: 'gsi2', key: 'gsi2pk = orgId, gsi2sk begins_with role', keyConditions: ['gsi2pk = ? and begins_with(gsi2sk, ?)'] }],
  },
  {
    name: 'listUserOrganizations',
    kind: 'read',
    description: "A user's memberships (the inverted index, gsi1).",
    entities: ['membership'],
    paged: true,
    requests: [{ operation: 'Query', index: 'gsi1', key: 'gsi1pk = userId, gsi1sk begins_with membership', keyConditions: ['gsi1pk = ? and begins_with(gsi1sk, ?)'] }],
  },
  {
    name: 'getOrganizationWithMembers',
    kind: 'read',
    description: 'An organization and its first members, one collection query.',
    entities: ['organization', 'membership'],
    requests: [{ operation: 'Query', index: 'table', key: 'pk = orgId, sk begins_with organization (descending)', keyConditions: ['pk = ? and begins_with(sk, ?)'] }],
  },
  // Orders
  {
    name: 'placeOrder',
    kind: 'write',
    description: 'Place an order with 1-97 items for an active user; an idempotency key returns the first order.',
    entities: ['order', 'orderItem', 'orderRequest'],
    requests: [
      get('pk = userId, sk = idempotencyKey', 'only with an idempotencyKey: an earlier order for it', { min: 0, max: 1 }),
      transact('Put order + Put each item + ConditionCheck user is active + Put orderRequest (if key new or expired)'),
    ],
    alternatives: [
      {
        when: 'the idempotency key already placed an order',
        requests: [
          get('pk = userId, sk = idempotencyKey', 'the earlier order for this key'),
          { operation: 'Query', index: 'table', key: 'pk = orderId, sk begins_with orderDetails (consistent)', keyConditions: ['pk = ? and begins_with(sk, ?)'], consistency: 'strong' },
        ],
      },
    ],
  },
  {
    name: 'getOrderWithItems',
    kind: 'read',
    description: 'An order with its items, one collection query.',
    entities: ['order', 'orderItem'],
    requests: [{ operation: 'Query', index: 'table', key: 'pk = orderId, sk begins_with orderDetails', keyConditions: ['pk = ? and begins_with(sk, ?)'] }],
  },
  {
    name: 'listOrdersForUser',
    kind: 'read',
    description: "A user's orders, newest first, the date range on the sort key.",
    entities: ['order'],
    paged: true,
    requests: [{ operation: 'Query', index: 'gsi1', key: 'gsi1pk = userId, gsi1sk between from and to', keyConditions: ['gsi1pk = ? and gsi1sk between ? and ?'] }],
  },
  {
    name: 'listOrdersByStatus',
    kind: 'read',
    description: 'Open orders (pending, paid, shipped) by status, newest first: a sparse index.',
    entities: ['order'],
    paged: true,
    requests: [{ operation: 'Query', index: 'gsi3', key: 'gsi3pk = status, gsi3sk between from and to', keyConditions: ['gsi3pk = ? and gsi3sk between ? and ?'] }],
  },
  {
    name: 'updateOrderStatus',
    kind: 'write',
    description: 'Move an order along pending→paid→shipped→delivered, or cancel it; racing moves: one wins.',
    entities: ['order'],
    requests: [get('pk = orderId', 'current status'), { operation: 'UpdateItem', index: 'table', key: 'pk = orderId (if status unchanged)' }],
  },
  // Sessions
  {
    name: 'createSession',
    kind: 'write',
    description: 'Start a session for an active user, expiring after ttlSeconds (TTL).',
    entities: ['session'],
    requests: [transact('Put session + ConditionCheck user is active')],
  },
  {
    name: 'listActiveSessions',
    kind: 'read',
    description: "A user's unexpired sessions, newest first (expired ones are filtered: TTL deletes late).",
    entities: ['session'],
    requests: [{ operation: 'Query', index: 'table', key: 'pk = userId, sk begins_with session; filter expiresAt > now', keyConditions: ['pk = ? and begins_with(sk, ?)'], filters: ['expiresat > ?'], times: { min: 1 } }],
  },
  {
    name: 'revokeSession',
    kind: 'write',
    description: 'End a session.',
    entities: ['session'],
    requests: [{ operation: 'DeleteItem', index: 'table', key: 'pk = userId, sk = sessionId (if it exists)' }],
  },
]);

export type AccessPatternName = (typeof catalog)[number]['name'];
