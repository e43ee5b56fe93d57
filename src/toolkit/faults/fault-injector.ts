import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
  TransactionConflictException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

/**
 * Faults injected by SDK middleware, on any endpoint: 5xx, dropped connections (before the
 * request, or after it was applied and the answer was lost), one chosen cancellation reason on one
 * chosen action, batches never processed; also throttling, conflicts and unprocessed items for
 * endpoints that cannot produce them. On the embedded engine, take throttling, transaction
 * conflicts, unprocessed batch items and GSI lag from the engine instead (`engine.faults.set`,
 * `holdItems`): the request really fails there, with DynamoDB's errors, the SDK's own retries and
 * the engine's clock (docs/testing.md, "Faults: from the engine or from FaultInjector").
 */
export type FaultKind =
  | 'throttling'
  | 'internalServerError'
  | 'transactionConflict'
  | 'transactionConflictException'
  | 'transactionThrottled'
  | 'connectionReset'
  | 'responseLost'
  | 'unprocessed';

export interface FaultRule {
  fault: FaultKind;
  /** Operation name, e.g. `TransactWriteItems`; any operation when absent. */
  operation?: string;
  /** Further narrows the requests hit (sees the command input). */
  match?: (input: Record<string, unknown>) => boolean;
  /** How many requests to hit; default 1. Each SDK retry attempt is a request. */
  times?: number | 'always';
  /** For `unprocessed`: share of each batch left unprocessed (default 0.3). */
  fraction?: number;
  /**
   * For `transactionConflict` and `transactionThrottled`: the index of the action that carries
   * the cancellation reason (the others say `None`), as AWS reports it. Default 0.
   */
  action?: number;
  /**
   * For `transactionThrottled`: the cancellation reason AWS gives when one action's table or
   * index is throttled. Default `ThrottlingError`.
   */
  reason?: 'ThrottlingError' | 'ProvisionedThroughputExceeded';
}

export interface InjectedFault {
  fault: FaultKind;
  operation: string;
  /** For `unprocessed`: how many requests or keys were held back. */
  heldBack?: number;
}

type Input = Record<string, unknown>;
const meta = (httpStatusCode: number) => ({ httpStatusCode, attempts: 1, totalRetryDelay: 0 });

function cancellation(input: Input, action: number, code: string, message: string): TransactionCanceledException {
  // As AWS reports it: the whole transaction cancelled, one reason per action, the faulty one marked.
  const actions = Array.isArray(input.TransactItems) ? input.TransactItems.length : 1;
  const at = Math.min(Math.max(0, action), actions - 1);
  const CancellationReasons = Array.from({ length: actions }, (_, i) => (i === at ? { Code: code, Message: `injected: ${message}` } : { Code: 'None' }));
  return new TransactionCanceledException({ message: `injected: Transaction cancelled [${CancellationReasons.map((r) => r.Code).join(', ')}]`, $metadata: meta(400), CancellationReasons });
}

function errorFor(rule: FaultRule, input: Input): Error {
  const { fault } = rule;
  switch (fault) {
    case 'throttling':
      return new ProvisionedThroughputExceededException({ message: 'injected: throughput exceeded', $metadata: meta(400) });
    case 'internalServerError':
      return new InternalServerError({ message: 'injected: internal server error', $metadata: meta(500) });
    case 'transactionConflict':
      return cancellation(input, rule.action ?? 0, 'TransactionConflict', 'conflict');
    case 'transactionThrottled':
      return cancellation(input, rule.action ?? 0, rule.reason ?? 'ThrottlingError', 'throughput exceeded');
    case 'transactionConflictException':
      return new TransactionConflictException({ message: 'injected: transaction conflict', $metadata: meta(400) });
    default: {
      // What Node's HTTP stack raises when the socket drops: the SDK treats it as transient.
      return Object.assign(new Error('injected: socket hang up'), { name: 'Error', code: 'ECONNRESET', $metadata: {} });
    }
  }
}

/** Splits a BatchWriteItem / BatchGetItem input: what is sent, and what comes back unprocessed. */
function splitBatch(operation: string, input: Input, fraction: number): { sent: Input; held: Input; count: number } {
  const sent: Record<string, unknown> = {};
  const held: Record<string, unknown> = {};
  let count = 0;
  for (const [table, entry] of Object.entries((input.RequestItems ?? {}) as Record<string, unknown>)) {
    const list = operation === 'BatchWriteItem' ? (entry as unknown[]) : ((entry as Input).Keys as unknown[]);
    // Round the held-back share randomly, so that on average `fraction` of the requests come
    // back unprocessed at every size, and a lone request still gets through eventually.
    const exact = list.length * fraction;
    const heldBack = Math.min(list.length, Math.floor(exact) + (Math.random() < exact - Math.floor(exact) ? 1 : 0));
    const keep = list.length - heldBack;
    const [now, later] = [list.slice(0, keep), list.slice(keep)];
    count += later.length;
    if (operation === 'BatchWriteItem') {
      if (now.length) sent[table] = now;
      if (later.length) held[table] = later;
    } else {
      if (now.length) sent[table] = { ...(entry as Input), Keys: now };
      if (later.length) held[table] = { ...(entry as Input), Keys: later };
    }
  }
  return { sent, held, count };
}

interface ActiveRule extends FaultRule {
  remaining: number;
}

export class FaultInjector {
  private rules: ActiveRule[] = [];
  private log: InjectedFault[] = [];
  private client: DynamoDBClient | undefined;

  static attach(client: DynamoDBClient): FaultInjector {
    const injector = new FaultInjector();
    injector.client = client;
    // Errors: inside the SDK's retry middleware (finalizeRequest, high), so the SDK retries them
    // exactly as it would retry the real thing.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName ?? '').replace(/Command$/, '');
        const rule = injector.take(operation, args.input as Input, (k) => k !== 'unprocessed');
        if (!rule) return next(args);
        injector.log.push({ fault: rule.fault, operation });
        if (rule.fault === 'responseLost') {
          await next(args); // DynamoDB applied it; the answer never arrives
        }
        throw errorFor(rule, args.input as Input);
      },
      { step: 'finalizeRequest', priority: 'low', name: 'singleTableKitFaultInjector', override: true },
    );
    // Unprocessed batch items: before serialization, so the batch really sent is the smaller one.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const operation = String(context.commandName ?? '').replace(/Command$/, '');
        if (operation !== 'BatchWriteItem' && operation !== 'BatchGetItem') return next(args);
        const rule = injector.take(operation, args.input as Input, (k) => k === 'unprocessed');
        if (!rule) return next(args);
        const input = args.input as Input;
        const { sent, held, count } = splitBatch(operation, input, rule.fraction ?? 0.3);
        injector.log.push({ fault: 'unprocessed', operation, heldBack: count });
        const key = operation === 'BatchWriteItem' ? 'UnprocessedItems' : 'UnprocessedKeys';
        if (Object.keys(sent).length === 0) {
          return { output: { [key]: held, ...(operation === 'BatchGetItem' ? { Responses: {} } : {}), $metadata: meta(200) }, response: {} } as Awaited<ReturnType<typeof next>>;
        }
        const result = await next({ ...args, input: { ...input, RequestItems: sent } });
        const output = result.output as unknown as Input;
        const already = (output[key] ?? {}) as Record<string, unknown>;
        return { ...result, output: { ...output, [key]: { ...already, ...held } } } as unknown as typeof result;
      },
      { step: 'initialize', priority: 'low', name: 'singleTableKitBatchFaults', override: true },
    );
    return injector;
  }

  private take(operation: string, input: Input, kinds: (k: FaultKind) => boolean): ActiveRule | undefined {
    const rule = this.rules.find((r) => kinds(r.fault) && r.remaining > 0 && (!r.operation || r.operation === operation) && (!r.match || r.match(input)));
    if (rule) rule.remaining -= 1;
    return rule;
  }

  /** Adds a fault; returns a function that removes it. */
  inject(rule: FaultRule): () => void {
    const active: ActiveRule = { ...rule, remaining: rule.times === 'always' ? Number.POSITIVE_INFINITY : (rule.times ?? 1) };
    this.rules.push(active);
    return () => {
      this.rules = this.rules.filter((r) => r !== active);
    };
  }

  /** Every fault injected so far. */
  injected(): readonly InjectedFault[] {
    return this.log;
  }

  clear(): void {
    this.rules = [];
    this.log = [];
  }

  detach(): void {
    this.client?.middlewareStack.remove('singleTableKitFaultInjector');
    this.client?.middlewareStack.remove('singleTableKitBatchFaults');
    this.client = undefined;
  }
}
