/** Every error a service method throws on purpose: a stable `code` callers can switch on. */
export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `items.2.quantity`. */
  field: string;
  /** The rule it broke, in words: `must be an email address`. */
  rule: string;
  /** What was received, abbreviated for the message. */
  received?: string;
}

/** Bad input: nothing was sent to DynamoDB. */
export class ValidationError extends ServiceError {
  readonly field: string;
  readonly rule: string;
  constructor(readonly issues: readonly ValidationIssue[]) {
    const first = issues[0] ?? { field: '(input)', rule: 'is invalid' };
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super('VALIDATION', `${first.field}: ${first.received !== undefined ? `${first.received} ` : ''}${first.rule}${more}`);
    this.field = first.field;
    this.rule = first.rule;
  }
}

export class NotFoundError extends ServiceError {
  constructor(readonly entity: string, readonly id: string) {
    super('NOT_FOUND', `${entity} ${id} does not exist`);
  }
}

export class EmailTakenError extends ServiceError {
  constructor(readonly email: string) {
    super('EMAIL_TAKEN', `email ${email} is already used by another user`);
  }
}

export class VersionConflictError extends ServiceError {
  constructor(readonly expectedVersion: number, readonly actualVersion: number) {
    super('VERSION_CONFLICT', `user was at version ${actualVersion}, expected ${expectedVersion}: re-read it and retry`);
  }
}

export class AlreadyMemberError extends ServiceError {
  constructor(readonly orgId: string, readonly userId: string) {
    super('ALREADY_MEMBER', `user ${userId} is already a member of organization ${orgId}`);
  }
}

export class LastOwnerError extends ServiceError {
  constructor(readonly orgId: string, readonly userId: string) {
    super('LAST_OWNER', `user ${userId} is the last owner of organization ${orgId}: make another member owner first`);
  }
}

export class InvalidTransitionError extends ServiceError {
  constructor(readonly from: string, readonly to: string, readonly allowed: readonly string[]) {
    super(
      'INVALID_TRANSITION',
      `order cannot move from ${from} to ${to}; from ${from} it can move to ${allowed.length ? allowed.join(', ') : 'nothing (final)'}`,
    );
  }
}

/** The user exists but is suspended or deactivated, and the operation needs an active user. */
export class UserNotActiveError extends ServiceError {
  constructor(readonly userId: string, readonly status: string) {
    super('USER_NOT_ACTIVE', `user ${userId} is ${status}; only active users can do this`);
  }
}

/** DynamoDB stayed unavailable (throttling, conflicts, faults) after every retry. Safe to retry later. */
export class UnavailableError extends ServiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UNAVAILABLE', message, options);
  }
}
