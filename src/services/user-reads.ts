import { NotFoundError, getItem, shaper } from '../toolkit';
import { UserNotActiveError } from './errors';
import { User } from '../entities';
import type { Context } from './context';
import type { UserItem } from './types';

/** Reads every pattern that needs the user shares (owner checks, active checks, names to copy). */

/** The user as the service returns it: without the internal ownershipEpoch and membershipCount. */
export const toUser = shaper<UserItem>(User, { omit: ['ownershipEpoch', 'membershipCount'] });

export async function readUser(ctx: Context, userId: string, consistent: boolean): Promise<UserItem | null> {
  const raw = await getItem(ctx, ctx.templates.get(`user.get:${consistent}`, { userId }, (s) => ctx.model.entities.user.get(s).params({ consistent })));
  return raw ? toUser(raw) : null;
}

/** Bounds of an open date range on an ISO-8601 sort key. */
export const MIN_TIME = '0000-01-01T00:00:00.000Z';
export const MAX_TIME = '9999-12-31T23:59:59.999Z';

/** The user a write is about; a user being deleted counts as gone. */
export async function requireUser(ctx: Context, userId: string): Promise<UserItem> {
  const user = await readUser(ctx, userId, true);
  if (!user || user.status === 'deleting') throw new NotFoundError('user', userId);
  return user;
}

/**
 * Why a write's "user is active" condition failed: the user is gone (or being deleted), or it
 * exists with another status.
 */
export async function inactiveUserError(ctx: Context, userId: string): Promise<Error> {
  const user = await readUser(ctx, userId, true);
  if (!user || user.status === 'deleting') return new NotFoundError('user', userId);
  return new UserNotActiveError(user.userId, user.status);
}
