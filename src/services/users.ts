import { NotFoundError, TransactionCancelledError, UnavailableError, entityOf, isConditionalCheckFailed, queryAll, queryOnce, queryShardedPage, shaper, transactWrite, updateItem, withoutEntityFilter, type Page } from '../toolkit';
import { z } from 'zod';
import { Order, Session, userStatusShard, type UserStatus } from '../entities';
import { EmailTakenError, VersionConflictError } from './errors';
import type { Context } from './context';
import { removeMemberships } from './organizations';
import { MAX_TIME, MIN_TIME, readUser, toUser } from './user-reads';
import { batchDelete } from './bulk';
import type { OrderRecord, SessionItem, UserItem } from './types';
import {
  cursorSchema,
  emailSchema,
  limitSchema,
  nameSchema,
  parse,
  strict,
  timestampSchema,
  userIdSchema,
  userStatusSchema,
  versionSchema,
} from './validation';

const toSession = shaper<SessionItem>(Session);
const toOrder = shaper<OrderRecord>(Order);
const MAX_RETRIES = 5;

export interface UserAccount {
  user: UserItem;
  /** Unexpired sessions, newest first. */
  sessions: SessionItem[];
  /** Most recent orders, newest first. */
  orders: OrderRecord[];
}

async function requireUser(ctx: Context, userId: string): Promise<UserItem> {
  const user = await readUser(ctx, userId, true);
  if (!user) throw new NotFoundError('user', userId);
  return user;
}

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
      const { email, name } = parse(schemas.createUser, input);
      const now = ctx.now().toISOString();
      const userId = ctx.newId();
      const user: UserItem = { userId, email, name, status: 'active', createdAt: now, updatedAt: now, version: 1, statusShard: userStatusShard(userId, ctx.userStatusShards) };
      try {
        await transactWrite(
          ctx,
          model.transaction
            .write(({ user: u, emailClaim }) => [
              emailClaim.create({ email, userId: user.userId, claimedAt: now }).commit(),
              u.create(user).commit(),
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
      const args = parse(schemas.getUserById, { userId, ...options });
      return readUser(ctx, args.userId, args.consistent ?? false);
    },

    /** Get User By Email: one Query on the email index (eventually consistent, as every GSI). */
    async getUserByEmail(email: string): Promise<UserItem | null> {
      const args = parse(schemas.getUserByEmail, { email });
      const raw = await queryOnce(ctx, ctx.templates.get('user.byEmail', { email: args.email }, (s) => model.entities.user.query.byEmail(s).params()), 1);
      return raw[0] ? toUser(raw[0]) : null;
    },

    /** List Users By Status, newest first, optionally within a creation-date range: one Query per shard, merged. */
    async listUsersByStatus(
      status: UserStatus,
      options: { createdFrom?: string | Date; createdTo?: string | Date; limit?: number; cursor?: string | null } = {},
    ): Promise<Page<UserItem>> {
      const args = parse(schemas.listUsersByStatus, { status, ...options });
      const shards = Array.from({ length: ctx.userStatusShards }, (_, shard) =>
        ctx.templates.get(`user.byStatus:${args.status}:${shard}`, { from: args.createdFrom ?? MIN_TIME, to: args.createdTo ?? MAX_TIME }, (s) =>
          model.entities.user.query
            .byStatus({ status: args.status, statusShard: String(shard) })
            .between({ createdAt: s.from }, { createdAt: s.to })
            .params({ order: 'desc' }),
        ),
      );
      const page = await queryShardedPage(ctx, 'listUsersByStatus', shards, args, newestFirst);
      return { items: page.raw.map(toUser), cursor: page.cursor };
    },

    /** Update User Profile: optimistic locking on `version` when expectedVersion is given. */
    async updateUserProfile(userId: string, changes: { name: string }, options: { expectedVersion?: number } = {}): Promise<UserItem> {
      const args = parse(schemas.updateUserProfile, { userId, changes, options });
      const expected = args.options.expectedVersion;
      let updated: Record<string, unknown> | undefined;
      try {
        updated = await updateItem(
          ctx,
          model.entities.user
            .patch({ userId: args.userId })
            .set({ name: args.changes.name, updatedAt: ctx.now().toISOString() })
            .add({ version: 1 })
            .where((a, { eq }) => (expected === undefined ? '' : eq(a.version, expected)))
            .params({ response: 'all_new' }),
        );
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        const current = await readUser(ctx, args.userId, true);
        if (!current) throw new NotFoundError('user', args.userId);
        throw new VersionConflictError(expected ?? 0, current.version);
      }
      const user = toUser(updated ?? {});
      await propagateUserName(ctx, user);
      return user;
    },

    /** Change User Email: one transaction releases the old email and claims the new one. */
    async changeUserEmail(userId: string, newEmail: string): Promise<UserItem> {
      const args = parse(schemas.changeUserEmail, { userId, newEmail });
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
          if (attempt >= MAX_RETRIES) throw new VersionConflictError(user.version, user.version + 1);
        }
      }
    },

    /** Set User Status: moves the user between the status index's partitions. */
    async setUserStatus(userId: string, status: UserStatus): Promise<UserItem> {
      const args = parse(schemas.setUserStatus, { userId, status });
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
     * Delete User: memberships first (each organization's counts follow), then sessions and
     * idempotency records, and the user with its email claim last, so an interrupted delete can
     * simply be called again. Orders are kept.
     */
    async deleteUser(userId: string): Promise<void> {
      const args = parse(schemas.deleteUser, { userId });
      const user = await requireUser(ctx, args.userId);
      await removeMemberships(ctx, user.userId);
      const owned = await queryAll(ctx, model.collections.userData({ userId: user.userId }).params());
      const keys = owned.filter((raw) => entityOf(raw) !== 'user').map((raw) => ({ pk: raw.pk as string, sk: raw.sk as string }));
      await batchDelete(ctx, keys);
      try {
        await transactWrite(
          ctx,
          model.transaction
            .write(({ user: u, emailClaim }) => [
              u.delete({ userId: user.userId }).where((a, { exists }) => exists(a.userId)).commit(),
              emailClaim.delete({ email: user.email }).where((a, { eq }) => eq(a.userId, user.userId)).commit(),
            ])
            .params(),
        );
      } catch (error) {
        if (!(error instanceof TransactionCancelledError)) throw error;
        // The email changed or the user vanished meanwhile: start over from a fresh read.
        const again = await readUser(ctx, user.userId, true);
        if (!again) return;
        await this.deleteUser(user.userId);
      }
    },

    /** Get User Account: the user, its active sessions and recent orders in one collection query. */
    async getUserAccount(userId: string, options: { limit?: number } = {}): Promise<UserAccount | null> {
      const args = parse(schemas.getUserAccount, { userId, ...options });
      const params = ctx.templates.get('account', { userId: args.userId }, (s) => withoutEntityFilter(model.collections.account(s).params({ order: 'desc' })));
      const raw = await queryOnce(ctx, params, args.limit ?? 50);
      const nowSeconds = Math.floor(ctx.now().getTime() / 1000);
      let user: UserItem | undefined;
      const sessions: SessionItem[] = [];
      const orders: OrderRecord[] = [];
      for (const item of raw) {
        const kind = entityOf(item);
        if (kind === 'user') user = toUser(item);
        else if (kind === 'session' && (item.expiresAt as number) > nowSeconds) sessions.push(toSession(item));
        else if (kind === 'order') orders.push(toOrder(item));
      }
      return user ? { user, sessions, orders } : null;
    },
  };
}

// Code-unit order, as DynamoDB orders sort keys (UTF-8 bytes; these values are ASCII), and far
// cheaper than localeCompare, whose collation could disagree with the index order.
const descending = (a: string, b: string) => (a < b ? 1 : a > b ? -1 : 0);

/** Newest first; ties (same millisecond) by id, newest id first, so the merge order is total. */
function newestFirst(a: Record<string, unknown>, b: Record<string, unknown>): number {
  return descending(String(a.createdAt), String(b.createdAt)) || descending(String(a.userId), String(b.userId));
}

// Bounds for an open-ended createdAt range: every ISO-8601 timestamp sorts between them.

/** Memberships carry a copy of the user's name: keep them in step after a rename. */
async function propagateUserName(ctx: Context, user: UserItem): Promise<void> {
  const memberships = await queryAll(ctx, ctx.model.entities.membership.query.byUser({ userId: user.userId }).params());
  for (const raw of memberships) {
    if (raw.userName === user.name) continue;
    try {
      await updateItem(
        ctx,
        ctx.model.entities.membership
          .patch({ orgId: raw.orgId as string, userId: user.userId })
          .set({ userName: user.name })
          .params(),
      );
    } catch (error) {
      // Removed meanwhile: nothing to update.
      if (!isConditionalCheckFailed(error)) throw error;
    }
  }
}
