import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentSender } from '../recorder/pattern-label';
import { mapWithConcurrency } from '../measurement/pattern-runner';
import { backoffDelay, BatchIncompleteError, sleep, type BackoffOptions } from './backoff';

type Key = Record<string, unknown>;

/**
 * Reads any number of keys in 100-key BatchGetItem calls, re-requesting UnprocessedKeys with
 * backoff until every key was answered. Returns the items found (missing keys simply have no
 * item), each once. Throws BatchIncompleteError (code UNAVAILABLE) when attempts run out.
 */
export async function batchGetAll(
  doc: DocumentSender,
  tableName: string,
  keys: readonly Key[],
  options: BackoffOptions & { concurrency?: number; consistentRead?: boolean } = {},
): Promise<Record<string, unknown>[]> {
  const batches: Key[][] = [];
  for (let i = 0; i < keys.length; i += 100) batches.push(keys.slice(i, i + 100));
  const maxAttempts = options.maxAttempts ?? 20;
  let unprocessedAtEnd = 0;
  const results = await mapWithConcurrency(batches, options.concurrency ?? 4, async (batch) => {
    const found: Record<string, unknown>[] = [];
    let pending: Key[] = batch;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt >= maxAttempts) {
        unprocessedAtEnd += pending.length;
        break;
      }
      if (attempt > 0) await sleep(backoffDelay(attempt - 1, options));
      const out = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: options.consistentRead } } }));
      found.push(...(out.Responses?.[tableName] ?? []));
      pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as Key[];
    }
    return found;
  });
  if (unprocessedAtEnd > 0) throw new BatchIncompleteError(unprocessedAtEnd, keys.length, maxAttempts);
  return results.flat();
}
