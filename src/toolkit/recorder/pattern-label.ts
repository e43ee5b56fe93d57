import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/*
 * Requests are labelled with their access pattern per command: no AsyncLocalStorage, whose first
 * use turns on a promise hook for the whole process (on Node 20 every promise of the application
 * would pay for it, for good). The label is kept on the command the SDK runs (for a DocumentClient
 * command, also on the client command it wraps), and read back from the handler
 * context's `commandInstance`; a middleware added to each command worked too, but made the SDK
 * resolve a longer stack on every send (~10 µs per request).
 */
const LABEL = 'singleTableKitPattern';
const SMITHY_CONTEXT = '__smithy_context';
// A symbol-keyed property of the command, not a WeakMap entry: a WeakMap set per request cost
// ~4 µs per GetItem in process (its ephemeron table grows and is rehashed between collections).
const LABEL_KEY = Symbol.for('single-table-kit.pattern');
type Labelled = { [LABEL_KEY]?: string };

/** Anything that sends DocumentClient commands: a DynamoDBDocumentClient, or one from forPattern(). */
export type DocumentSender = Pick<DynamoDBDocumentClient, 'send'>;

/** Labels one command: every middleware of the client can read `pattern` with patternOf(context). */
export function labelCommand<C extends object>(command: C, pattern: string): C {
  (command as Labelled)[LABEL_KEY] = pattern;
  // A DocumentClient command runs the client command it wraps: that one is the handler context's
  // commandInstance.
  const inner = (command as { clientCommand?: unknown }).clientCommand;
  if (inner !== null && typeof inner === 'object') (inner as Labelled)[LABEL_KEY] = pattern;
  return command;
}

/** The pattern label of a request, read from the handler context a middleware receives. */
export function patternOf(context: object): string | undefined {
  const own = (context as Record<string, unknown>)[LABEL];
  if (typeof own === 'string') return own;
  const instance = ((context as Record<string, unknown>)[SMITHY_CONTEXT] as { commandInstance?: unknown } | undefined)?.commandInstance;
  return instance !== null && typeof instance === 'object' ? (instance as Labelled)[LABEL_KEY] : undefined;
}

/**
 * A sender whose every command is labelled with `pattern`, for recorders and metrics. Pass it
 * wherever a DocumentClient is expected for sending (the request helpers take one).
 */
export function forPattern(doc: DocumentSender, pattern: string): DocumentSender {
  return {
    send: ((command: object, ...rest: unknown[]) =>
      (doc.send as (c: unknown, ...r: unknown[]) => Promise<unknown>)(labelCommand(command, pattern), ...rest)) as DocumentSender['send'],
  };
}
