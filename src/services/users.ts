import {
  NotFoundError,
  TransactionCancelledError,
  UnavailableError,
  ValidationError,
  backoffDelay,
  isConditionalCheckFailed,
  getItem,
  queryAll,
  queryOnce,
  queryShardedPage,
  shaper,
  transactWrite,
  updateItem,
  type Page,
  parseArguments,
  withOptions,
} from '../toolkit';
import { z } from 'zod';
import { Order, Session, userStatusShard, type UserStatus } from '../entities';
import { EmailTakenError, VersionConflictError } from './errors';
import type { Context } from './context';
import { deleteUserFully } from './delete-user';
import { MAX_TIME, MIN_TIME, readUser, requireUser, toUser } from './user-reads';
import { LIMITS } from './validation';
import type { OrderRecord, SessionItem, UserItem } from './types';
import {
  cursorSchema,
  emailSchema,
  limitSchema,
  nameSchema,
  strict,
  timestampSchema,
  userIdSchema,
  userStatusSchema,
  versionSchema,
} from './validation';

const toSession = shaper<SessionItem>(Session);
const toOrder = shaper<OrderRecord>(Order);
const MAX_RETRIES = 5;
/** Rounds of waiting for gsi1 to list every membership the user counts (see propagateUserName). */
const LAG_ATTEMPTS = 8;

export interface UserAccount {
  user: UserItem;
  /** Unexpired sessions, newest first. */
  sessions: SessionItem[];
  /** Most recent orders, newest first. */
  orders: OrderRecord[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
// Above every ULID character: the upper bound of a createdAt range includes all ids at `to`.
const AFTER_EVERY_ID = '~';

export function userPatterns(ctx: Context) {
  // Argument schemas, built once: building a zod schema costs far more than checking a value with it.
  const schemas = {
    createUser: strict({ email: emailSchema, name: nameSchema }),
    getUserById: strict({ userId: userIdSchema, consistent: z.boolean().optional() }),
    getUserByEmail: strict({ email: emailSchema }),
    listUsersByStatus: strict({ status: userStatusSchema, createdFrom: timestampSchema.optional(), createdTo: timestampSchema.optional(), limit: limitSchema, cursor: cursorSchema }),
    updateUserProfile: strict({ userId: userIdSchema, changes: strict({ name: nameSchema }), options: strict({ expectedVersion: versionSchema.optional() }) }),
    changeUserEmail: strict({ userId: userIdSchema, newEmail: emailSchema }),
    setUserStatus: strict({ userId: userIdSchema, status: userStatusSchema }),
    deleteUser: strict({ userId: userIdSchema }),
    getUserAccount: strict({ userId: userIdSchema, limit: limitSchema }),
  };
  const { model } = ctx;
  return {
    /** Create User: the email is claimed in the same transaction, so it is unique across users. */
    async createUser(input: { email: string; name: string }): Promise<UserItem> {
      const { email, name } = parseArguments(schemas.createUser, input);
      const now = ctx.now().toISOString();
      const userId = ctx.newId();
      const user: UserItem = { userId, email, name, status: 'active', createdAt: now, updatedAt: now, version: 1, statusShard: userStatusShard(userId, ctx.userStatusShards) };
      try {
        await transactWrite(
          ctx,
          model.transaction
            .write(({ user: u, emailClaim }) => [
              emailClaim.create({ email, userId: user.userId, claimedAt: now }).commit(),
              u.create({ ...user, membershipCount: 0 }).commit(),
            ])
            .params(),
        );
      } catch (error) {
        if (error instanceof TransactionCancelledError && error.failed(0)) throw new EmailTakenError(email);
        throw error;
      }
      return user;
    },

    /** Get User By Id; strongly consistent when asked. */
    async getUserById(userId: string, options: { consistent?: boolean } = {}): Promise<UserItem | null> {
      const args = parseArguments(schemas.getUserById, withOptions({ userId }, options));
      return readUser(ctx, args.userId, args.consistent ?? false);
    },

    /** Get User By Email: one Query on the email index (eventually consistent, as every GSI). */
    async getUserByEmail(email: string): Promise<UserItem | null> {
      const args = parseArguments(schemas.getUserByEmail, { email });
      const raw = await queryOnce(ctx, ctx.templates.get('user.byEmail', { email: args.email }, (s) => model.entities.user.query.byEmail(s).params()), 1);
      return raw[0] ? toUser(raw[0]) : null;
    },

    /** List Users By Status, newest first, optionally within a creation-date range: one Query per shard, merged. */
    async listUsersByStatus(
      status: UserStatus,
      options: { createdFrom?: string | Date; createdTo?: string | Date; limit?: number; cursor?: string | null } = {},
    ): Promise<Page<UserItem>> {
      const args = parseArguments(schemas.listUsersByStatus, withOptions({ status }, options));
      if (args.createdFrom && args.createdTo && args.createdFrom > args.createdTo) {
        throw new ValidationError([{ field: 'createdFrom', rule: `must not be after createdTo (${args.createdTo})`, received: `'${args.createdFrom}'` }]);
      }
      const shards = Array.from({ length: ctx.userStatusShards }, (_, shard) =>
        ctx.templates.get(`user.byStatus:${args.status}:${shard}`, { from: args.createdFrom ?? MIN_TIME, to: args.createdTo ?? MAX_TIME }, (s) =>
          model.entities.user.query
            .byStatus({ status: args.status, statusShard: String(shard) })
            .between({ createdAt: s.from }, { createdAt: s.to, userId: AFTER_EVERY_ID })
            .params({ order: 'desc' }),
        ),
      );
      const page = await queryShardedPage(ctx, 'listUsersByStatus', shards, args, newestFirst);
      return { items: page.raw.map(toUser), cursor: page.cursor };
    },

    /**
     * Update User Profile: optimistic locking on `version` when expectedVersion is given. The
     * memberships' copy of the name follows (see propagateUserName); a call that fails while
     * copying can simply be repeated: a repeat of a rename that already applied returns the user,
     * and every call, also one refused with VERSION_CONFLICT, first brings the copies up to date.
     */
    async updateUserProfile(userId: string, changes: { name: string }, options: { expectedVersion?: number } = {}): Promise<UserItem> {
      const args = parseArguments(schemas.updateUserProfile, { userId, changes, options });
      const expected = args.options.expectedVersion;
      let updated: Record<string, unknown> | undefined;
      try {
        updated = await updateItem(
          ctx,
          model.entities.user
            .patch({ userId: args.userId })
            .set({ name: args.changes.name, updatedAt: ctx.now().toISOString() })
            .add({ version: 1 })
            .where((a, { eq, ne }) => `${ne(a.status, 'deleting')}${expected === undefined ? '' : ` AND ${eq(a.version, expected)}`}`)
            .params({ response: 'all_new' }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        const current = await readUser(ctx, args.userId, true);
        if (!current || current.status === 'deleting') throw new NotFoundError('user', args.userId);
        await propagateUserName(ctx, current);
        // Our own earlier attempt, whose answer was lost: the rename is in place.
        if (expected !== undefined && current.version === expected + 1 && current.name === args.changes.name) return current;
        throw new VersionConflictError(expected ?? 0, current.version);
      }
      const user = toUser(updated ?? {});
      await propagateUserName(ctx, user, (updated?.membershipCount as number | undefined) ?? 0);
      return user;
    },

    /** Change User Email: one transaction releases the old email and claims the new one. */
    async changeUserEmail(userId: string, newEmail: string): Promise<UserItem> {
      const args = parseArguments(schemas.changeUserEmail, { userId, newEmail });
      for (let attempt = 1; ; attempt += 1) {
        const user = await requireUser(ctx, args.userId);
        if (user.email === args.newEmail) return user;
        const now = ctx.now().toISOString();
        try {
          await transactWrite(
            ctx,
            model.transaction
              .write(({ user: u, emailClaim }) => [
                u.patch({ userId: user.userId })
                  .set({ email: args.newEmail, updatedAt: now })
                  .add({ version: 1 })
                  .where((a, { eq }) => eq(a.version, user.version))
                  .commit(),
                emailClaim.delete({ email: user.email }).where((a, { eq }) => eq(a.userId, user.userId)).commit(),
                emailClaim.create({ email: args.newEmail, userId: user.userId, claimedAt: now }).commit(),
              ])
              .params(),
          );
          return { ...user, email: args.newEmail, updatedAt: now, version: user.version + 1 };
        } catch (error) {
          if (!(error instanceof TransactionCancelledError)) throw error;
          if (error.failed(2)) throw new EmailTakenError(args.newEmail);
          // The user changed under us (another write bumped its version): read it again.
          if (attempt >= MAX_RETRIES) throw new UnavailableError(`user ${user.userId} kept changing concurrently; retry later`, { cause: error });
          await sleep(backoffDelay(attempt, { baseDelayMs: 20, maxDelayMs: 500 }));
        }
      }
    },

    /** Set User Status: moves the user between the status index's partitions. */
    async setUserStatus(userId: string, status: UserStatus): Promise<UserItem> {
      const args = parseArguments(schemas.setUserStatus, { userId, status });
      for (let attempt = 1; ; attempt += 1) {
        const user = await requireUser(ctx, args.userId);
        if (user.status === args.status) return user;
        try {
          const updated = await updateItem(
            ctx,
            model.entities.user
              .patch({ userId: user.userId })
              .set({ status: args.status, updatedAt: ctx.now().toISOString() })
              .composite({ createdAt: user.createdAt, statusShard: user.statusShard })
              .add({ version: 1 })
              .where((a, { eq }) => eq(a.version, user.version))
              .params({ response: 'all_new' }),
          );
          return toUser(updated ?? {});
        } catch (error) {
          if (!isConditionalCheckFailed(error)) throw error;
          // Another write bumped the version between our read and write: read again.
          if (attempt >= MAX_RETRIES) throw new UnavailableError(`user ${user.userId} kept changing concurrently; retry later`, { cause: error });
        }
      }
    },

    /**
     * Delete User: marks the user `deleting` (leaving every organization it owns in the same
     * transaction), then sweeps its memberships, sessions and idempotency records, and deletes the
     * user with its email claim last. Writes that add something for a user condition on it not
     * being `deleting`, so nothing new appears during the sweep. Orders are kept. LastOwnerError
     * comes before any write; an interrupted delete (UNAVAILABLE) can simply be called again.
     */
    async deleteUser(userId: string): Promise<void> {
      const args = parseArguments(schemas.deleteUser, { userId });
      await deleteUserFully(ctx, args.userId);
    },

    /**
     * Get User Account: the user, then its live sessions and its recent orders side by side. Two
     * queries rather than one collection query, so that no number of sessions (expired ones
     * included: TTL deletes late) can crowd the orders out of the page.
     */
    async getUserAccount(userId: string, options: { limit?: number } = {}): Promise<UserAccount | null> {
      const args = parseArguments(schemas.getUserAccount, withOptions({ userId }, options));
      const limit = args.limit ?? 50;
      const nowSeconds = Math.floor(ctx.now().getTime() / 1000);
      // Sessions live at most LIMITS.ttlSeconds.max: older ones are expired, whatever TTL has done.
      const since = new Date((nowSeconds - LIMITS.ttlSeconds.max) * 1000).toISOString();
      const user = await readUser(ctx, args.userId, false);
      if (!user) return null;
      const [orders, sessions] = await Promise.all([
        queryOnce(ctx, ctx.templates.get('account.orders', { userId: args.userId }, (s) => model.entities.order.query.byUser(s).params({ order: 'desc' })), limit),
        queryAll(
          ctx,
          ctx.templates.get('account.sessions', { userId: args.userId, since, now: nowSeconds }, (s) =>
            model.entities.session.query
              .account({ userId: s.userId })
              .gte({ createdAt: s.since })
              .where((a, { gt }) => gt(a.expiresAt, s.now))
              .params({ order: 'desc' }),
          ),
        ),
      ]);
      return { user, sessions: sessions.slice(0, limit).map(toSession), orders: orders.map(toOrder) };
    },
  };
}

// Code-unit order, as DynamoDB orders sort keys (UTF-8 bytes; these values are ASCII), and far
// cheaper than localeCompare, whose collation could disagree with the index order.
const descending = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

/**
 * Exactly the status index's order, descending: its sort key itself (createdAt, then userId),
 * compared as DynamoDB compares it. Merging shards in any other order than the one each shard
 * is read in would skip or repeat users at page boundaries.
 */
function newestFirst(a: Record<string, unknown>, b: Record<string, unknown>): number {
  return descending(String(a.gsi3sk), String(b.gsi3sk));
}

/**
 * Memberships carry a copy of the user's name. Each copy records the user version it came from
 * and is only overwritten by a newer one, so racing renames (and a slow copy landing after a
 * newer one) settle on the newest name. Chosen over a stream-driven copy because it needs no
 * stream consumer to deploy and keeps the model runnable on DynamoDB Local alone; what it costs
 * is that the copy is done by the call, so a call that fails midway leaves older copies until it
 * (or any later rename) is repeated.
 *
 * gsi1 lags the table, so a membership added just before the rename may not be listed yet: the
 * copy goes on (re-listing with backoff) until as many memberships as the user counts are
 * confirmed on the table (updated, or found holding a copy at least as new), else UNAVAILABLE
 * and the rename stays to be repeated. `count`: the user's membershipCount, read when absent.
 */
export async function propagateUserName(ctx: Context, user: UserItem, count?: number): Promise<void> {
  let expected = count;
  if (expected === undefined) {
    const raw = await getItem(ctx, ctx.templates.get('user.get:true', { userId: user.userId }, (s) => ctx.model.entities.user.get(s).params({ consistent: true })));
    expected = (raw?.membershipCount as number | undefined) ?? 0;
  }
  const confirmed = new Set<string>();
  for (let round = 1; ; round += 1) {
    const memberships = await queryAll(ctx, ctx.model.entities.membership.query.byUser({ userId: user.userId }).params());
    for (const raw of memberships) {
      const orgId = raw.orgId as string;
      if (confirmed.has(orgId)) continue;
      try {
        await updateItem(ctx, {
          ...ctx.model.entities.membership
            .patch({ orgId, userId: user.userId })
            .set({ userName: user.name, userVersion: user.version })
            .where((a, { notExists, lt }) => `(${notExists(a.userVersion)} OR ${lt(a.userVersion, user.version)})`)
            .params(),
          // On a failed condition, whether the membership is still there (with a newer copy).
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        });
        confirmed.add(orgId);
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        // A newer copy is already there (it exists), or it was removed (listed by a lagging index).
        if ((error as { Item?: unknown }).Item !== undefined) confirmed.add(orgId);
      }
    }
    if (confirmed.size >= expected) return;
    if (round >= LAG_ATTEMPTS) {
      throw new UnavailableError(`user ${user.userId} was renamed, but ${expected - confirmed.size} of its memberships are not listed by the index yet; repeat the call to copy the name to them`);
    }
    await sleep(backoffDelay(round, { baseDelayMs: 50, maxDelayMs: 1000 }));
  }
}
