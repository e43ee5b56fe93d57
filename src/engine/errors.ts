/**
 * Errors the engine raises, as DynamoDB sends them on the wire.
 * Texts follow DynamoDB (as verified by dynalite, Apache-2.0, whose messages we reuse).
 */
export class EngineError extends Error {
  /** e.g. 'ValidationException', 'ConditionalCheckFailedException'. */
  readonly type: string;
  /** HTTP status: 400 for client errors, 500 for InternalServerError. */
  readonly status: number;
  /** Extra wire fields (CancellationReasons, Item, ...). */
  readonly extra?: Record<string, unknown>;

  constructor(type: string, message: string, status = 400, extra?: Record<string, unknown>) {
    super(message);
    this.name = 'EngineError';
    this.type = type;
    this.status = status;
    if (extra !== undefined) this.extra = extra;
  }

  /** The `__type` DynamoDB sends: ValidationException comes from the coral validator. */
  get wireType(): string {
    return wireType(this.type);
  }

  /** The JSON body DynamoDB sends for this error. */
  toWire(): Record<string, unknown> {
    return { __type: this.wireType, message: this.message, ...(this.extra ?? {}) };
  }
}

/** Errors raised by AWS's request layer (coral), not by DynamoDB itself, carry its prefix on the wire. */
const CORAL_SERVICE_ERRORS = new Set([
  'SerializationException',
  'UnknownOperationException',
  'InvalidSignatureException',
  'MissingAuthenticationTokenException',
  'IncompleteSignatureException',
  'UnrecognizedClientException',
  'AccessDeniedException',
]);

export function wireType(type: string): string {
  if (type === 'ValidationException') return 'com.amazon.coral.validate#ValidationException';
  if (CORAL_SERVICE_ERRORS.has(type)) return 'com.amazon.coral.service#' + type;
  return 'com.amazonaws.dynamodb.v20120810#' + type;
}

export function validation(message: string): EngineError {
  return new EngineError('ValidationException', message);
}

export function conditionalCheckFailed(item?: Record<string, unknown>): EngineError {
  return new EngineError(
    'ConditionalCheckFailedException',
    'The conditional request failed',
    400,
    item === undefined ? undefined : { Item: item },
  );
}

export function resourceNotFound(message = 'Requested resource not found'): EngineError {
  return new EngineError('ResourceNotFoundException', message);
}

export function resourceInUse(message: string): EngineError {
  return new EngineError('ResourceInUseException', message);
}

export function serialization(message: string): EngineError {
  return new EngineError('SerializationException', message);
}

export function internalServerError(message = 'Internal server error'): EngineError {
  return new EngineError('InternalServerError', message, 500);
}

export function isEngineError(e: unknown): e is EngineError {
  return e instanceof EngineError;
}
