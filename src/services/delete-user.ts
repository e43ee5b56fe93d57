import { NotFoundError, TransactionCancelledError, UnavailableError, backoffDelay, deleteItem, entityOf, getItem, isConditionalCheckFailed, queryAll, transactWrite } from '../toolkit';
import { LastOwnerError } from './errors';
import type { Context } from './context';
import { batchDelete } from './bulk';
import { readMembership, removeMembership, toMembership } from './organizations';
import type { MembershipItem, UserItem } from './types';
import { readUser, toUser } from './user-reads';

/*
 * deleteUser in three steps, each bounded (ATTEMPTS, with backoff, then UnavailableError):
 *
 * 1. Mark: one transaction sets the user `deleting` (if still at the version read), leaves every
 *    organization the user owns (each only while another owner remains), and checks that the
 *    user's other memberships still have the role read. A last owner cancels it: LastOwnerError
 *    with nothing written. From here on no write adds anything for the user: addMember,
 *    createOrganization, createSession and placeOrder condition on the user's version or on it
 *    being active, and changeMemberRole will not make it an owner.
 * 2. Sweep: the remaining memberships (re-listed until none is left), then sessions and
 *    idempotency records, read strongly consistent from the user's partition.
 * 3. The user and its email claim, in one transaction (the user alone when its claim is missing).
 *
 * A call interrupted anywhere (UNAVAILABLE) leaves the user `deleting`; calling deleteUser again
 * finishes the job. Orders are kept.
 */

const ATTEMPTS = 5;
// TransactWriteItems' limit.
const MAX_ACTIONS = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pause = (attempt: number) => sleep(backoffDelay(attempt, { baseDelayMs: 20, maxDelayMs: 1000 }));

export async function deleteUserFully(ctx: Context, userId: string): Promise<void> {
  const user = await readRawUser(ctx, userId);
  if (!user) throw new NotFoundError('user', userId);
  const marked = await markDeleting(ctx, user);
  if (!marked) return; // a concurrent deleteUser finished it
  await sweepMemberships(ctx, userId);
  await sweepUserData(ctx, userId);
  await removeUserAndClaim(ctx, marked);
}

async function currentMemberships(ctx: Context, userId: string): Promise<MembershipItem[]> {
  const listed = (await queryAll(ctx, ctx.model.entities.membership.query.byUser({ userId }).params())).map(toMembership);
  // The inverted index lags the table: the role that counts is the one the table holds now.
  const read = await Promise.all(listed.map((m) => readMembership(ctx, m.orgId, userId)));
  return read.filter((m): m is MembershipItem => m !== null);
}

/** The user with its internal ownershipEpoch, which the mark conditions on. */
async function readRawUser(ctx: Context, userId: string): Promise<{ user: UserItem; epoch: number | undefined } | null> {
  const raw = await getItem(ctx, ctx.templates.get('user.get:true', { userId }, (s) => ctx.model.entities.user.get(s).params({ consistent: true })));
  return raw ? { user: toUser(raw), epoch: raw.ownershipEpoch as number | undefined } : null;
}

async function markDeleting(ctx: Context, first: { user: UserItem; epoch: number | undefined }): Promise<UserItem | null> {
  let read: { user: UserItem; epoch: number | undefined } | null = first;
  for (let attempt = 1; ; attempt += 1) {
    if (!read) return null;
    if (read.user.status === 'deleting') return read.user;
    const current: UserItem = read.user;
    // Read (with the user) before the memberships: a later ownership bumps it and cancels the mark.
    const epoch = read.epoch;
    const memberships = await currentMemberships(ctx, current.userId);
    const owned = memberships.filter((m) => m.role === 'owner').slice(0, Math.floor((MAX_ACTIONS - 1) / 2));
    const rest = memberships.filter((m) => !owned.includes(m)).slice(0, MAX_ACTIONS - 1 - 2 * owned.length);
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
              .where((a, { eq, notExists }) => `${eq(a.version, current.version)} AND ${epoch === undefined ? notExists(a.ownershipEpoch) : eq(a.ownershipEpoch, epoch)}`)
              .commit(),
            ...owned.flatMap((x) => [
              m.delete({ orgId: x.orgId, userId: x.userId }).where((a, { eq }) => eq(a.role, 'owner')).commit(),
              o.patch({ orgId: x.orgId })
                .subtract({ memberCount: 1, ownerCount: 1 })
                .set({ updatedAt: now })
                .where((a, { gt }) => gt(a.ownerCount, 1))
                .commit(),
            ]),
            ...rest.map((x) => m.check({ orgId: x.orgId, userId: x.userId }).where((a, { eq }) => eq(a.role, x.role)).commit()),
          ])
          .params(),
      );
      return { ...current, status: 'deleting', updatedAt: now, version: current.version + 1 };
    } catch (error) {
      if (!(error instanceof TransactionCancelledError)) throw error;
      // The organization refused while the membership was still an owner's: a real last owner.
      const stranded = owned.find((_, i) => error.failed(2 + 2 * i) && !error.failed(1 + 2 * i));
      if (stranded) throw new LastOwnerError(stranded.orgId, current.userId);
      if (attempt >= ATTEMPTS) throw new UnavailableError(`user ${current.userId} or its memberships kept changing during deleteUser; retry later`, { cause: error });
      await pause(attempt);
      read = await readRawUser(ctx, current.userId);
    }
  }
}

async function sweepMemberships(ctx: Context, userId: string): Promise<void> {
  for (let round = 1; ; round += 1) {
    const left = (await queryAll(ctx, ctx.model.entities.membership.query.byUser({ userId }).params())).map(toMembership);
    if (left.length === 0) return;
    if (round > ATTEMPTS) throw new UnavailableError(`memberships of user ${userId} were still listed after ${ATTEMPTS} rounds; call deleteUser again`);
    if (round > 1) await pause(round);
    for (const m of left) {
      try {
        await removeMembership(ctx, m.orgId, userId, m);
      } catch (error) {
        // Removed concurrently: the goal is reached.
        if (!(error instanceof NotFoundError)) throw error;
      }
    }
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
            u.delete({ userId: user.userId }).where((a, { eq }) => eq(a.status, 'deleting')).commit(),
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
          await deleteItem(ctx, model.entities.user.delete({ userId: user.userId }).where((a, { eq }) => eq(a.status, 'deleting')).params());
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
