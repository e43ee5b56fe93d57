import { ServiceError } from '../toolkit';

/*
 * The reference model's own error codes, on top of the toolkit's generic ones (VALIDATION,
 * NOT_FOUND, UNAVAILABLE, TRANSACTION_CANCELLED): how a model extends the taxonomy.
 */

export class EmailTakenError extends ServiceError<'EMAIL_TAKEN'> {
  constructor(readonly email: string) {
    super('EMAIL_TAKEN', `email ${email} is already used by another user`);
  }
}

export class VersionConflictError extends ServiceError<'VERSION_CONFLICT'> {
  constructor(readonly expectedVersion: number, readonly actualVersion: number) {
    super('VERSION_CONFLICT', `user was at version ${actualVersion}, expected ${expectedVersion}: re-read it and retry`);
  }
}

export class AlreadyMemberError extends ServiceError<'ALREADY_MEMBER'> {
  constructor(readonly orgId: string, readonly userId: string) {
    super('ALREADY_MEMBER', `user ${userId} is already a member of organization ${orgId}`);
  }
}

export class LastOwnerError extends ServiceError<'LAST_OWNER'> {
  constructor(readonly orgId: string, readonly userId: string) {
    super('LAST_OWNER', `user ${userId} is the last owner of organization ${orgId}: make another member owner first`);
  }
}

export class InvalidTransitionError extends ServiceError<'INVALID_TRANSITION'> {
  constructor(readonly from: string, readonly to: string, readonly allowed: readonly string[]) {
    super(
      'INVALID_TRANSITION',
      `order cannot move from ${from} to ${to}; from ${from} it can move to ${allowed.length ? allowed.join(', ') : 'nothing (final)'}`,
    );
  }
}

/** The user exists but is suspended or deactivated, and the operation needs an active user. */
export class UserNotActiveError extends ServiceError<'USER_NOT_ACTIVE'> {
  constructor(readonly userId: string, readonly status: string) {
    super('USER_NOT_ACTIVE', `user ${userId} is ${status}; only active users can do this`);
  }
}
