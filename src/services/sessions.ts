import { NotFoundError, TransactionCancelledError, deleteItem, isConditionalCheckFailed, queryAll, shaper, transactWrite, parseArguments, withOptions } from '../toolkit';
import { Session } from '../entities';
import type { Context } from './context';
import type { SessionItem } from './types';
import { inactiveUserError } from './user-reads';
import { sessionIdSchema, strict, ttlSecondsSchema, userAgentSchema, userIdSchema } from './validation';

const toSession = shaper<SessionItem>(Session);

export function sessionPatterns(ctx: Context) {
  // Argument schemas, built once: building a zod schema costs far more than checking a value with it.
  const schemas = {
    createSession: strict({ userId: userIdSchema, ttlSeconds: ttlSecondsSchema, userAgent: userAgentSchema.optional() }),
    listActiveSessions: strict({ userId: userIdSchema }),
    revokeSession: strict({ userId: userIdSchema, sessionId: sessionIdSchema }),
  };
  const { model } = ctx;
  return {
    /** Create Session for an active user; it expires after ttlSeconds (DynamoDB TTL deletes it later). */
    async createSession(userId: string, options: { ttlSeconds: number; userAgent?: string }): Promise<SessionItem> {
      const args = parseArguments(schemas.createSession, withOptions({ userId }, options));
      const now = ctx.now();
      const session: SessionItem = {
        sessionId: ctx.newId(),
        userId: args.userId,
        ...(args.userAgent ? { userAgent: args.userAgent } : {}),
        createdAt: now.toISOString(),
        expiresAt: Math.floor(now.getTime() / 1000) + args.ttlSeconds,
      };
      try {
        await transactWrite(
          ctx,
          model.transaction
            .write(({ session: s, user }) => [
              s.create(session).commit(),
              user.check({ userId: args.userId }).where((a, { eq }) => eq(a.status, 'active')).commit(),
            ])
            .params(),
        );
      } catch (error) {
        if (!(error instanceof TransactionCancelledError) || !error.failed(1)) throw error;
        throw await inactiveUserError(ctx, args.userId);
      }
      return session;
    },

    /**
     * List Active Sessions, newest first. Expired sessions are filtered out here: DynamoDB's TTL
     * deletes them late (up to days on AWS), and until then reads still return them.
     */
    async listActiveSessions(userId: string): Promise<SessionItem[]> {
      const args = parseArguments(schemas.listActiveSessions, { userId });
      const nowSeconds = Math.floor(ctx.now().getTime() / 1000);
      const raw = await queryAll(
        ctx,
        ctx.templates.get('session.active', { userId: args.userId, now: nowSeconds }, (s) =>
          model.entities.session.query.session({ userId: s.userId }).where((a, { gt }) => gt(a.expiresAt, s.now)).params({ order: 'desc' }),
        ),
      );
      return raw.map(toSession);
    },

    /** Revoke Session: NotFoundError when the user has no such session. */
    async revokeSession(userId: string, sessionId: string): Promise<void> {
      const args = parseArguments(schemas.revokeSession, { userId, sessionId });
      try {
        await deleteItem(
          ctx,
          model.entities.session.delete({ userId: args.userId, sessionId: args.sessionId }).where((a, { exists }) => exists(a.sessionId)).params(),
        );
      } catch (error) {
        if (isConditionalCheckFailed(error)) throw new NotFoundError('session', args.sessionId);
        throw error;
      }
    },
  };
}
