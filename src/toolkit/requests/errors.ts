/**
 * The error taxonomy every service built on the toolkit shares: a stable `code` callers switch on.
 * A model adds its own codes by extending ServiceError (`class EmailTakenError extends
 * ServiceError<'EMAIL_TAKEN'>`); the toolkit's request helpers only ever throw the classes below.
 */
export class ServiceError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
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
export class ValidationError extends ServiceError<'VALIDATION'> {
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

/** The item a call needs does not exist. */
export class NotFoundError extends ServiceError<'NOT_FOUND'> {
  constructor(readonly entity: string, readonly id: string) {
    super('NOT_FOUND', `${entity} ${id} does not exist`);
  }
}

/** DynamoDB stayed unavailable (throttling, conflicts, faults) after every retry. Safe to retry later. */
export class UnavailableError extends ServiceError<'UNAVAILABLE'> {
  constructor(message: string, options?: { cause?: unknown }) {
    super('UNAVAILABLE', message, options);
  }
}

/**
 * A transaction DynamoDB cancelled: one reason code per action, in order. Services turn the
 * reasons they expect into their own errors; any other cancellation reaches the caller as this
 * typed error (code TRANSACTION_CANCELLED), never as a raw SDK exception.
 */
export class TransactionCancelledError extends ServiceError<'TRANSACTION_CANCELLED'> {
  constructor(readonly reasons: readonly string[]) {
    super('TRANSACTION_CANCELLED', `transaction cancelled: ${reasons.join(', ')}`);
  }
  /** True when action `index` failed its condition. */
  failed(index: number): boolean {
    return this.reasons[index] === 'ConditionalCheckFailed';
  }
}
