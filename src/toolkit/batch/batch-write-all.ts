import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentSender } from '../recorder/pattern-label';
import { mapWithConcurrency } from '../measurement/pattern-runner';
import { backoffDelay, BatchIncompleteError, sleep, type BackoffOptions } from './backoff';

export type WriteRequest = { PutRequest: { Item: Record<string, unknown> } } | { DeleteRequest: { Key: Record<string, unknown> } };

export interface BatchWriteOptions extends BackoffOptions {
  /** Batches in flight. Default 4. */
  concurrency?: number;
  onProgress?: (progress: { done: number; total: number }) => void;
}

/**
 * Writes any number of put/delete requests in 25-request BatchWriteItem calls, `concurrency` at a
 * time, re-sending UnprocessedItems with backoff until none are left. BatchWriteItem is not
 * atomic and DynamoDB may leave part of a batch unprocessed under load; ElectroDB only returns
 * them, so this loop is what makes a bulk write complete. Throws BatchIncompleteError (code
 * UNAVAILABLE) when attempts run out.
 */
export async function batchWriteAll(
  doc: DocumentSender,
  tableName: string,
  requests: readonly WriteRequest[],
  options: BatchWriteOptions = {},
): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += 25) batches.push(requests.slice(i, i + 25));
  const maxAttempts = options.maxAttempts ?? 20;
  let done = 0;
  let unprocessedAtEnd = 0;
  await mapWithConcurrency(batches, options.concurrency ?? 4, async (batch) => {
    let pending: WriteRequest[] = batch;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt >= maxAttempts) {
        unprocessedAtEnd += pending.length;
        return;
      }
      if (attempt > 0) await sleep(backoffDelay(attempt - 1, options));
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      const left = (out.UnprocessedItems?.[tableName] ?? []) as WriteRequest[];
      done += pending.length - left.length;
      options.onProgress?.({ done, total: requests.length });
      pending = left;
    }
  });
  if (unprocessedAtEnd > 0) throw new BatchIncompleteError(unprocessedAtEnd, requests.length, maxAttempts);
}
