import { BatchIncompleteError, UnavailableError, batchWriteAll, callDynamo } from '../toolkit';
import type { Context } from './context';

/** Deletes items by primary key in 25-item batches, re-sending unprocessed items until done. */
export async function batchDelete(ctx: Context, keys: readonly { pk: string; sk: string }[]): Promise<void> {
  if (keys.length === 0) return;
  try {
    await callDynamo(() => batchWriteAll(ctx.doc, ctx.table, keys.map((Key) => ({ DeleteRequest: { Key } }))));
  } catch (error) {
    if (error instanceof BatchIncompleteError) throw new UnavailableError(error.message, { cause: error });
    throw error;
  }
}
