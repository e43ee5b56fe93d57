import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/*
 * Requests are labelled with their access pattern per command, through the SDK's own handler
 * context: no AsyncLocalStorage, whose first use turns on a promise hook for the whole process
 * (on Node 20 every promise of the application would pay for it, for good).
 */
const LABEL = 'singleTableKitPattern';
const MIDDLEWARE_NAME = 'singleTableKitPatternLabel';

/** Anything that sends DocumentClient commands: a DynamoDBDocumentClient, or one from forPattern(). */
export type DocumentSender = Pick<DynamoDBDocumentClient, 'send'>;

interface Labelable {
  middlewareStack: { add(middleware: unknown, options: object): void };
}

/** Labels one command: every middleware of the client sees `pattern` in its handler context. */
export function labelCommand<C extends Labelable>(command: C, pattern: string): C {
  command.middlewareStack.add(
    (next: (args: unknown) => Promise<unknown>, context: Record<string, unknown>) => (args: unknown) => {
      context[LABEL] = pattern;
      return next(args);
    },
    { step: 'initialize', priority: 'high', name: MIDDLEWARE_NAME, override: true },
  );
  return command;
}

/** The pattern label of a request, read from the handler context a middleware receives. */
export function patternOf(context: object): string | undefined {
  const label = (context as Record<string, unknown>)[LABEL];
  return typeof label === 'string' ? label : undefined;
}

/**
 * A sender whose every command is labelled with `pattern`, for recorders and metrics. Pass it
 * wherever a DocumentClient is expected for sending (the request helpers take one).
 */
export function forPattern(doc: DocumentSender, pattern: string): DocumentSender {
  return {
    send: ((command: Labelable, ...rest: unknown[]) =>
      (doc.send as (c: unknown, ...r: unknown[]) => Promise<unknown>)(labelCommand(command, pattern), ...rest)) as DocumentSender['send'],
  };
}
