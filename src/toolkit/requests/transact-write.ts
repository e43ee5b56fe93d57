import { randomUUID } from 'node:crypto';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { sleep } from '../batch/backoff';
import { callDynamo } from './classify-error';
import { TransactionCancelledError, UnavailableError } from './errors';
import type { RequestContext } from './request-context';

// Cancellation reasons that say "try again" rather than "your condition failed".
const TRANSIENT_REASONS = new Set(['TransactionConflict', 'ThrottlingError', 'ProvisionedThroughputExceeded']);

/**
 * Sends a TransactWriteItems (ElectroDB's `service.transaction.write(...).params()`, or your own)
 * with a ClientRequestToken, so a repeat of the same call applies at most once (DynamoDB keeps
 * tokens 10 minutes). A cancellation whose reasons are only conflicts or throttling is retried
 * with backoff and full jitter (the SDK retries neither), then UnavailableError; a failed
 * condition throws TransactionCancelledError with one reason per action, for the caller to map.
 */
export async function transactWrite(ctx: RequestContext, params: { TransactItems?: object[]; ClientRequestToken?: string }): Promise<void> {
  // ElectroDB's own TransactWriteCommandInput type is looser than lib-dynamodb's; the shape is the same.
  const input = { ...params, ClientRequestToken: params.ClientRequestToken ?? randomUUID() } as TransactWriteCommandInput;
  const attempts = ctx.transactionAttempts ?? 5;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await callDynamo(() => ctx.doc.send(new TransactWriteCommand(input)));
      return;
    } catch (error) {
      const name = (error as { name?: string }).name;
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons;
      const codes = reasons?.map((r) => r.Code ?? 'None') ?? [];
      const transient =
        (name === 'TransactionCanceledException' && codes.some((c) => TRANSIENT_REASONS.has(c)) && codes.every((c) => c === 'None' || TRANSIENT_REASONS.has(c))) ||
        (error instanceof UnavailableError && (error.cause as { name?: string })?.name === 'TransactionConflictException');
      if (transient) {
        if (attempt + 1 >= attempts) {
          throw new UnavailableError(`transaction kept being cancelled (${codes.filter((c) => c !== 'None').join(', ') || 'conflict'}) after ${attempt + 1} attempts: retry later`, { cause: error });
        }
        await sleep(Math.random() * Math.min(1000, 20 * 2 ** attempt));
        continue;
      }
      if (name === 'TransactionCanceledException') throw new TransactionCancelledError(codes);
      throw error;
    }
  }
}
