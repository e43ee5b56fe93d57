import { NotFoundError, TransactionCancelledError, UnavailableError, backoffDelay, deleteItem, entityOf, getItem, isConditionalCheckFailed, queryAll, transactWrite } from '../toolkit';
import { LastOwnerError } from './errors';
import type { Context } from './context';
import { batchDelete } from './bulk';
import { readMembership, removeMembership, toMembership } from './organizations';
import type { MembershipItem, UserItem } from './types';
import { readUser, toUser } from './user-reads';

/*
 * deleteUser in three steps, each bounded (with backoff, then UnavailableError):
 *
 * 1. Mark: the user is read with its membershipCount (kept exact by every write that adds or
 *    removes a membership, in the same transaction), and its memberships are listed through gsi1
 *    and confirmed on the table until as many are found as the count says: gsi1 lags the table,
 *    the count does not. Then one transaction sets the user `deleting` (if still at the version,
 *    ownership epoch and count read), leaves every organization the user owns (each only while
 *    another owner remains), and checks that the user's other memberships still have the role
 *    read. A last owner cancels it: LastOwnerError with nothing written; an index that stays
 *    behind: UnavailableError with nothing written. From here on no write adds anything for the
 *    user: addMember, createOrganization, createSession and placeOrder condition on the user's
 *    version or on it being active, and changeMemberRole will not make it an owner.
 * 2. Sweep: the memberships the mark found, then (by the count) any left, re-listed until the
 *    count is 0; then sessions and idempotency records, read strongly consistent from the user's
 *    partition.
 * 3. The user (if `deleting` and counting no membership) and its email claim, in one transaction
 *    (the user alone when its claim is missing).
 *
 * A call interrupted anywhere after the mark (UNAVAILABLE) leaves the user `deleting`; calling
 * deleteUser again finishes the job. Orders are kept.
 */

const ATTEMPTS = 5;
/**
 * Waits for gsi1 to show every membership the user counts. AWS's index lag is typically well
 * under a second: full-jitter backoff from 50 ms, capped at 1 s, about 2 s in all on average.
 */
const LAG_ATTEMPTS = 8;
// TransactWriteItems' limit.
const MAX_ACTIONS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pause = (attempt: number) => sleep(backoffDelay(attempt, { baseDelayMs: 20, maxDelayMs: 1000 }));
const lagPause = (attempt: number) => sleep(backoffDelay(attempt, { baseDelayMs: 50, maxDelayMs: 1000 }));

export async function deleteUserFully(ctx: Context, userId: string): Promise<void> {
  const user = await readRawUser(ctx, userId);
  if (!user) throw new NotFoundError('user', userId);
  const marked = await markDeleting(ctx, user);
  if (!marked) return; // a concurrent deleteUser finished it
  await sweepMemberships(ctx, userId, marked.left);
  await sweepUserData(ctx, userId);
  await removeUserAndClaim(ctx, marked.user);
}

/** The user's memberships gsi1 lists, each confirmed (and its role read) on the table. */
async function currentMemberships(ctx: Context, userId: string): Promise<MembershipItem[]> {
  const listed = (await queryAll(ctx, ctx.model.entities.membership.query.byUser({ userId }).params())).map(toMembership);
  // The inverted index lags the table: the role that counts is the one the table holds now, and
  // a membership removed but still listed is not one.
  const read = await Promise.all(listed.map((m) => readMembership(ctx, m.orgId, userId)));
  return read.filter((m): m is MembershipItem => m !== null);
}

interface RawUser {
  user: UserItem;
  /** Internal ownershipEpoch, which the mark conditions on. */
  epoch: number | undefined;
  /** Internal membershipCount as stored (undefined on users written before it existed). */
  count: number | undefined;
}

async function readRawUser(ctx: Context, userId: string): Promise<RawUser | null> {
  const raw = await getItem(ctx, ctx.templates.get('user.get:true', { userId }, (s) => ctx.model.entities.user.get(s).params({ consistent: true })));
  return raw ? { user: toUser(raw), epoch: raw.ownershipEpoch as number | undefined, count: raw.membershipCount as number | undefined } : null;
}

async function markDeleting(ctx: Context, first: RawUser): Promise<{ user: UserItem; left: MembershipItem[] } | null> {
  let read: RawUser | null = first;
  let conflicts = 0;
  let lagWaits = 0;
  for (;;) {
    if (!read) return null;
    if (read.user.status === 'deleting') return { user: read.user, left: [] }; // an earlier call marked it: the sweep goes by the count
    const current: UserItem = read.user;
    // Read (with the user) before the memberships: a later ownership bumps it and cancels the mark.
    const { epoch, count } = read;
    const memberships = await currentMemberships(ctx, current.userId);
    if (memberships.length < (count ?? 0)) {
      // The index has not caught up with the table yet: wait for it, writing nothing.
      lagWaits += 1;
      if (lagWaits >= LAG_ATTEMPTS) {
        throw new UnavailableError(`user ${current.userId} has ${count} memberships but the index lists ${memberships.length} so far; nothing was changed, retry later`);
      }
      await lagPause(lagWaits);
      read = await readRawUser(ctx, current.userId);
      continue;
    }
    const owned = memberships.filter((m) => m.role === 'owner').slice(0, Math.floor((MAX_ACTIONS - 1) / 2));
    const rest = memberships.filter((m) => !owned.includes(m));
    const checked = rest.slice(0, MAX_ACTIONS - 1 - 2 * owned.length);
    const now = ctx.now().toISOString();
    try {
      await transactWrite(
        ctx,
        ctx.model.transaction
          .write(({ user: u, membership: m, organization: o }) => [
            u.patch({ userId: current.userId })
              .set({ status: 'deleting', updatedAt: now })
              .composite({ createdAt: current.createdAt, statusShard: current.statusShard })
              .add({ version: 1 })
              // The owned memberships leave with the mark: the count follows in the same transaction.
              .subtract({ membershipCount: owned.length })
              .where(
                (a, { eq, notExists }) =>
                  `${eq(a.version, current.version)} AND ${epoch === undefined ? notExists(a.ownershipEpoch) : eq(a.ownershipEpoch, epoch)} AND ${count === undefined ? notExists(a.membershipCount) : eq(a.membershipCount, count)}`,
              )
              .commit(),
            ...owned.flatMap((x) => [
              m.delete({ orgId: x.orgId, userId: x.userId }).where((a, { eq }) => eq(a.role, 'owner')).commit(),
              o.patch({ orgId: x.orgId })
                .subtract({ memberCount: 1, ownerCount: 1 })
                .set({ updatedAt: now })
                .where((a, { gt }) => gt(a.ownerCount, 1))
                .commit(),
            ]),
            ...checked.map((x) => m.check({ orgId: x.orgId, userId: x.userId }).where((a, { eq }) => eq(a.role, x.role)).commit()),
          ])
          .params(),
      );
      return { user: { ...current, status: 'deleting', updatedAt: now, version: current.version + 1 }, left: rest };
    } catch (error) {
      if (!(error instanceof TransactionCancelledError)) throw error;
      // The organization refused while the membership was still an owner's: a real last owner.
      const stranded = owned.find((_, i) => error.failed(2 + 2 * i) && !error.failed(1 + 2 * i));
      if (stranded) throw new LastOwnerError(stranded.orgId, current.userId);
      conflicts += 1;
      if (conflicts >= ATTEMPTS) throw new UnavailableError(`user ${current.userId} or its memberships kept changing during deleteUser; retry later`, { cause: error });
      await pause(conflicts);
      read = await readRawUser(ctx, current.userId);
    }
  }
}

async function removeQuietly(ctx: Context, userId: string, m: MembershipItem): Promise<void> {
  try {
    await removeMembership(ctx, m.orgId, userId, m);
  } catch (error) {
    // Removed concurrently: the goal is reached.
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/**
 * Removes the memberships the mark found, then goes by the user's count: while it says some are
 * left (ones beyond the mark's transaction, or an interrupted earlier call's), re-lists gsi1 with
 * backoff. No membership can be added after the mark, so the count only goes down.
 */
async function sweepMemberships(ctx: Context, userId: string, known: readonly MembershipItem[]): Promise<void> {
  for (const m of known) await removeQuietly(ctx, userId, m);
  for (let round = 1; ; round += 1) {
    const user = await readRawUser(ctx, userId);
    if (!user || (user.count ?? 0) <= 0) return;
    if (round > LAG_ATTEMPTS) {
      throw new UnavailableError(`user ${userId} still has ${user.count} memberships the index does not list yet; the user stays deleting: call deleteUser again`);
    }
    if (round > 1) await lagPause(round - 1);
    const listed = (await queryAll(ctx, ctx.model.entities.membership.query.byUser({ userId }).params())).map(toMembership);
    for (const m of listed) await removeQuietly(ctx, userId, m);
  }
}

async function sweepUserData(ctx: Context, userId: string): Promise<void> {
  // Strongly consistent: a session or idempotency record written before the mark is seen here.
  const owned = await queryAll(ctx, ctx.model.collections.userData({ userId }).params({ consistent: true }));
  const keys = owned.filter((raw) => entityOf(raw) !== 'user').map((raw) => ({ pk: raw.pk as string, sk: raw.sk as string }));
  await batchDelete(ctx, keys);
}

async function removeUserAndClaim(ctx: Context, user: UserItem): Promise<void> {
  const { model } = ctx;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await transactWrite(
        ctx,
        model.transaction
          .write(({ user: u, emailClaim }) => [
            // Counting no membership: none can be left behind (the sweep went by this count).
            u.delete({ userId: user.userId }).where((a, { eq, lte, notExists }) => `${eq(a.status, 'deleting')} AND (${notExists(a.membershipCount)} OR ${lte(a.membershipCount, 0)})`).commit(),
            emailClaim.delete({ email: user.email }).where((a, { eq }) => eq(a.userId, user.userId)).commit(),
          ])
          .params(),
      );
      return;
    } catch (error) {
      if (!(error instanceof TransactionCancelledError)) throw error;
      if (!(await readUser(ctx, user.userId, true))) return; // a concurrent deleteUser finished
      if (error.failed(1) && !error.failed(0)) {
        // The claim is missing or names another user: there is nothing of this user to release.
        try {
          await deleteItem(
            ctx,
            model.entities.user.delete({ userId: user.userId }).where((a, { eq, lte, notExists }) => `${eq(a.status, 'deleting')} AND (${notExists(a.membershipCount)} OR ${lte(a.membershipCount, 0)})`).params(),
          );
        } catch (e) {
          if (!isConditionalCheckFailed(e)) throw e;
        }
        if (!(await readUser(ctx, user.userId, true))) return;
      }
      if (attempt >= ATTEMPTS) throw new UnavailableError(`user ${user.userId} could not be removed; call deleteUser again`, { cause: error });
      await pause(attempt);
    }
  }
}
