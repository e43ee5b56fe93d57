import { getItem, shaper } from '../toolkit';
import { User } from '../entities';
import type { Context } from './context';
import type { UserItem } from './types';

/** Reads every pattern that needs the user shares (owner checks, active checks, names to copy). */

export const toUser = shaper<UserItem>(User);

export async function readUser(ctx: Context, userId: string, consistent: boolean): Promise<UserItem | null> {
  const raw = await getItem(ctx, ctx.templates.get(`user.get:${consistent}`, { userId }, (s) => ctx.model.entities.user.get(s).params({ consistent })));
  return raw ? toUser(raw) : null;
}

/** Bounds of an open date range on an ISO-8601 sort key. */
export const MIN_TIME = '0000-01-01T00:00:00.000Z';
export const MAX_TIME = '9999-12-31T23:59:59.999Z';
