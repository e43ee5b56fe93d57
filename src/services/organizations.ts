import { NotFoundError, TransactionCancelledError, UnavailableError, entityOf, executeStatement, getItem, partiqlKeySchemaOf, queryOnce, queryPage, quoteIdentifier, shaper, transactWrite, withoutEntityFilter, type Page, type PartiqlKeySchema, parseArguments, withOptions } from '../toolkit';
import { Membership, Organization, tableDefinition, type MemberRole, type OrganizationPlan } from '../entities';
import { AlreadyMemberError, LastOwnerError } from './errors';
import type { Context } from './context';
import type { MembershipItem, OrganizationItem } from './types';
import { inactiveUserError, readUser } from './user-reads';
import { cursorSchema, limitSchema, nameSchema, orgIdSchema, planSchema, roleSchema, strict, userIdSchema } from './validation';

const toOrganization = shaper<OrganizationItem>(Organization);
export const toMembership = shaper<MembershipItem>(Membership);
const MAX_RETRIES = 5;

export interface OrganizationWithMembers {
  organization: OrganizationItem;
  members: MembershipItem[];
}

async function readOrganization(ctx: Context, orgId: string, consistent: boolean): Promise<OrganizationItem | null> {
  const raw = await getItem(ctx, ctx.templates.get(`organization.get:${consistent}`, { orgId }, (s) => ctx.model.entities.organization.get(s).params({ consistent })));
  return raw ? toOrganization(raw) : null;
}

export async function readMembership(ctx: Context, orgId: string, userId: string): Promise<MembershipItem | null> {
  const raw = await getItem(ctx, ctx.model.entities.membership.get({ orgId, userId }).params({ consistent: true }));
  return raw ? toMembership(raw) : null;
}

function removeMembershipParams(ctx: Context, membership: MembershipItem, countOnUser: boolean) {
  const owner = membership.role === 'owner';
  const { orgId, userId } = membership;
  return ctx.model.transaction
    .write(({ membership: m, organization: o, user: u }) => [
      m.delete({ orgId, userId }).where((a, { eq }) => eq(a.role, membership.role)).commit(),
      o.patch({ orgId })
        .subtract({ memberCount: 1, ownerCount: owner ? 1 : 0 })
        .set({ updatedAt: ctx.now().toISOString() })
        .where((a, { gt }) => (owner ? gt(a.ownerCount, 1) : ''))
        .commit(),
      // The user's count of memberships (see User), unless the user is gone (a damaged table).
      ...(countOnUser ? [u.patch({ userId }).subtract({ membershipCount: 1 }).commit()] : []),
    ])
    .params();
}

/**
 * Removes a membership and keeps the organization's counts exact in the same transaction. The
 * membership must still have the role we read (else we re-read), and an owner can only leave
 * while another owner remains (ownerCount > 1), so concurrent removals can never strand an org.
 * `known` skips the first read when the caller already has the membership.
 */
export async function removeMembership(ctx: Context, orgId: string, userId: string, known?: MembershipItem): Promise<void> {
  let membership = known ?? null;
  let countOnUser = true;
  for (let attempt = 1; ; attempt += 1) {
    membership ??= await readMembership(ctx, orgId, userId);
    if (!membership) throw new NotFoundError('membership', `${orgId}/${userId}`);
    try {
      await transactWrite(ctx, removeMembershipParams(ctx, membership, countOnUser));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCancelledError)) throw error;
      if (error.failed(1) && !error.failed(0)) throw new LastOwnerError(orgId, userId);
      // Only the user refused: it does not exist, so there is no count to keep.
      if (countOnUser && error.failed(2) && !error.failed(0) && !error.failed(1) && !(await readUser(ctx, userId, true))) {
        countOnUser = false;
        continue;
      }
      if (attempt >= MAX_RETRIES) throw new UnavailableError(`membership ${orgId}/${userId} kept changing concurrently; retry later`, { cause: error });
      membership = null; // its role changed meanwhile, or it is gone: read it again
    }
  }
}

export function organizationPatterns(ctx: Context) {
  // Argument schemas, built once: building a zod schema costs far more than checking a value with it.
  const schemas = {
    createOrganization: strict({ name: nameSchema, ownerUserId: userIdSchema, plan: planSchema.optional() }),
    getOrganization: strict({ orgId: orgIdSchema }),
    addMember: strict({ orgId: orgIdSchema, userId: userIdSchema, role: roleSchema }),
    removeMember: strict({ orgId: orgIdSchema, userId: userIdSchema }),
    changeMemberRole: strict({ orgId: orgIdSchema, userId: userIdSchema, role: roleSchema }),
    listOrganizationMembers: strict({ orgId: orgIdSchema, role: roleSchema.optional(), limit: limitSchema, cursor: cursorSchema }),
    listUserOrganizations: strict({ userId: userIdSchema, limit: limitSchema, cursor: cursorSchema }),
    getOrganizationWithMembers: strict({ orgId: orgIdSchema, limit: limitSchema }),
  };
  const { model } = ctx;
  // The table's key names for PartiQL, derived once from the model's table on first use.
  let partiqlKeys: PartiqlKeySchema | undefined;
  return {
    /** Create Organization: the organization and its owner's membership in one transaction. */
    async createOrganization(input: { name: string; ownerUserId: string; plan?: OrganizationPlan }): Promise<OrganizationItem> {
      const args = parseArguments(schemas.createOrganization, input);
      for (let attempt = 1; ; attempt += 1) {
        const owner = await readUser(ctx, args.ownerUserId, true);
        if (!owner || owner.status !== 'active') throw await inactiveUserError(ctx, args.ownerUserId);
        const now = ctx.now().toISOString();
        const organization: OrganizationItem = {
          orgId: ctx.newId(),
          name: args.name,
          plan: args.plan ?? 'free',
          memberCount: 1,
          ownerCount: 1,
          createdAt: now,
          updatedAt: now,
        };
        try {
          await transactWrite(
            ctx,
            model.transaction
              .write(({ organization: o, membership: m, user: u }) => [
                o.create(organization).commit(),
                m.create({ orgId: organization.orgId, userId: owner.userId, role: 'owner', orgName: organization.name, userName: owner.name, userVersion: owner.version, joinedAt: now }).commit(),
                // Active (so never while deleteUser sweeps), still the version whose name we copy;
                // the epoch bump tells a concurrent deleteUser that the user gained an ownership.
                u.patch({ userId: owner.userId })
                  .add({ ownershipEpoch: 1, membershipCount: 1 })
                  .where((a, { eq }) => `${eq(a.status, 'active')} AND ${eq(a.version, owner.version)}`)
                  .commit(),
              ])
              .params(),
          );
          return organization;
        } catch (error) {
          if (!(error instanceof TransactionCancelledError) || !error.failed(2)) throw error;
          const current = await readUser(ctx, owner.userId, true);
          if (!current || current.status !== 'active') throw await inactiveUserError(ctx, owner.userId);
          // Only its version moved (a rename, say): copy the current name.
          if (attempt >= MAX_RETRIES) throw new UnavailableError(`user ${owner.userId} kept changing concurrently; retry later`, { cause: error });
        }
      }
    },

    /** Get Organization. */
    async getOrganization(orgId: string): Promise<OrganizationItem | null> {
      const args = parseArguments(schemas.getOrganization, { orgId });
      return readOrganization(ctx, args.orgId, false);
    },

    /**
     * Get Organization in PartiQL (getOrganization's twin): ElectroDB builds the key, PartiQL reads
     * it with one SELECT whose values are parameters; a statement that would scan is refused.
     */
    async getOrganizationWithPartiql(orgId: string): Promise<OrganizationItem | null> {
      const args = parseArguments(schemas.getOrganization, { orgId });
      partiqlKeys ??= partiqlKeySchemaOf(tableDefinition({ tableName: ctx.table }));
      const key = model.entities.organization.get({ orgId: args.orgId }).params().Key as Record<string, unknown>;
      const { hash, range = '' } = partiqlKeys.table;
      const statement = `SELECT * FROM ${quoteIdentifier(ctx.table)} WHERE ${quoteIdentifier(hash)} = ? AND ${quoteIdentifier(range)} = ?`;
      const [raw] = await executeStatement(ctx, { statement, parameters: [key[hash], key[range]] }, { keys: partiqlKeys });
      return raw ? toOrganization(raw) : null;
    },

    /** Add Member: the membership and memberCount + 1 in one transaction; org and user must exist. */
    async addMember(orgId: string, userId: string, role: MemberRole): Promise<MembershipItem> {
      const args = parseArguments(schemas.addMember, { orgId, userId, role });
      for (let attempt = 1; ; attempt += 1) {
        const [org, user] = await Promise.all([readOrganization(ctx, args.orgId, true), readUser(ctx, args.userId, true)]);
        if (!org) throw new NotFoundError('organization', args.orgId);
        if (!user || user.status === 'deleting') throw new NotFoundError('user', args.userId);
        const membership: MembershipItem = {
          orgId: org.orgId,
          userId: user.userId,
          role: args.role,
          orgName: org.name,
          userName: user.name,
          userVersion: user.version,
          joinedAt: ctx.now().toISOString(),
        };
        try {
          await transactWrite(
            ctx,
            model.transaction
              .write(({ membership: m, organization: o, user: u }) => [
                m.create(membership).commit(),
                o.patch({ orgId: org.orgId })
                  .add({ memberCount: 1, ownerCount: args.role === 'owner' ? 1 : 0 })
                  .set({ updatedAt: membership.joinedAt })
                  .commit(),
                // Still the version whose name we copy; deleteUser's mark bumps it, so this also
                // refuses a user being deleted. The user counts its memberships (see User); an
                // owner also bumps the ownership epoch.
                u.patch({ userId: user.userId })
                  .add(args.role === 'owner' ? { ownershipEpoch: 1, membershipCount: 1 } : { membershipCount: 1 })
                  .where((a, { eq }) => eq(a.version, user.version))
                  .commit(),
              ])
              .params(),
          );
          return membership;
        } catch (error) {
          if (!(error instanceof TransactionCancelledError)) throw error;
          if (error.failed(0)) throw new AlreadyMemberError(org.orgId, user.userId);
          if (error.failed(1)) throw new NotFoundError('organization', org.orgId);
          if (attempt >= MAX_RETRIES) throw new UnavailableError(`user ${user.userId} kept changing concurrently; retry later`, { cause: error });
          // The user changed (renamed, being deleted, gone): read it again.
        }
      }
    },

    /** Remove Member: memberCount − 1 in the same transaction; never the last owner. */
    async removeMember(orgId: string, userId: string): Promise<void> {
      const args = parseArguments(schemas.removeMember, { orgId, userId });
      await removeMembership(ctx, args.orgId, args.userId);
    },

    /** Change Member Role: demoting the last owner is refused (LastOwnerError). */
    async changeMemberRole(orgId: string, userId: string, role: MemberRole): Promise<MembershipItem> {
      const args = parseArguments(schemas.changeMemberRole, { orgId, userId, role });
      for (let attempt = 1; ; attempt += 1) {
        const membership = await readMembership(ctx, args.orgId, args.userId);
        if (!membership) throw new NotFoundError('membership', `${args.orgId}/${args.userId}`);
        if (membership.role === args.role) return membership;
        const ownerDelta = (args.role === 'owner' ? 1 : 0) - (membership.role === 'owner' ? 1 : 0);
        const now = ctx.now().toISOString();
        try {
          await transactWrite(
            ctx,
            model.transaction
              .write(({ membership: m, organization: o, user: u }) => [
                m.patch({ orgId: args.orgId, userId: args.userId })
                  .set({ role: args.role })
                  .where((a, { eq }) => eq(a.role, membership.role))
                  .commit(),
                ownerDelta < 0
                  ? o.patch({ orgId: args.orgId }).subtract({ ownerCount: 1 }).set({ updatedAt: now }).where((a, { gt }) => gt(a.ownerCount, 1)).commit()
                  : o.patch({ orgId: args.orgId }).add({ ownerCount: ownerDelta }).set({ updatedAt: now }).commit(),
                // No new owner while deleteUser sweeps: it could strand the organization.
                ...(ownerDelta > 0
                  ? [u.patch({ userId: args.userId }).add({ ownershipEpoch: 1 }).where((a, { ne }) => ne(a.status, 'deleting')).commit()]
                  : []),
              ])
              .params(),
          );
          return { ...membership, role: args.role };
        } catch (error) {
          if (!(error instanceof TransactionCancelledError)) throw error;
          if (error.failed(1) && !error.failed(0)) throw new LastOwnerError(args.orgId, args.userId);
          if (error.failed(2)) throw new NotFoundError('user', args.userId);
          if (attempt >= MAX_RETRIES) throw new UnavailableError(`membership ${args.orgId}/${args.userId} kept changing concurrently; retry later`, { cause: error });
        }
      }
    },

    /** List Organization Members, optionally one role, ordered by role then user. */
    async listOrganizationMembers(
      orgId: string,
      options: { role?: MemberRole; limit?: number; cursor?: string | null } = {},
    ): Promise<Page<MembershipItem>> {
      const args = parseArguments(schemas.listOrganizationMembers, withOptions({ orgId }, options));
      const role = args.role;
      const params = ctx.templates.get(`membership.byRole:${role ?? '*'}`, { orgId: args.orgId }, (s) =>
        (role ? model.entities.membership.query.byRole({ ...s, role }) : model.entities.membership.query.byRole(s)).params(),
      );
      const page = await queryPage(ctx, 'listOrganizationMembers', params, args);
      return { items: page.raw.map(toMembership), cursor: page.cursor };
    },

    /** List User Organizations: the inverted index, user → memberships. */
    async listUserOrganizations(userId: string, options: { limit?: number; cursor?: string | null } = {}): Promise<Page<MembershipItem>> {
      const args = parseArguments(schemas.listUserOrganizations, withOptions({ userId }, options));
      const page = await queryPage(ctx, 'listUserOrganizations', ctx.templates.get('membership.byUser', { userId: args.userId }, (s) => model.entities.membership.query.byUser(s).params()), args);
      return { items: page.raw.map(toMembership), cursor: page.cursor };
    },

    /** Get Organization With Members: one collection query, the organization first. */
    async getOrganizationWithMembers(orgId: string, options: { limit?: number } = {}): Promise<OrganizationWithMembers | null> {
      const args = parseArguments(schemas.getOrganizationWithMembers, withOptions({ orgId }, options));
      // Descending, the organization item sorts before its memberships; +1 makes room for it.
      const params = ctx.templates.get('organization.collection', { orgId: args.orgId }, (s) => withoutEntityFilter(model.collections.organization(s).params({ order: 'desc' })));
      const raw = await queryOnce(ctx, params, (args.limit ?? 25) + 1);
      const head = raw[0];
      if (!head || entityOf(head) !== 'organization') return null;
      return { organization: toOrganization(head), members: raw.slice(1).filter((r) => entityOf(r) === 'membership').map(toMembership) };
    },
  };
}
