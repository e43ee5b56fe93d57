import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from './engine';
import { send } from './engine';

/** Deletes items by primary key in 25-item batches, retrying unprocessed items until done. */
export async function batchDelete(ctx: Context, keys: readonly { pk: string; sk: string }[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 25) {
    let requests: Record<string, unknown>[] | undefined = keys.slice(i, i + 25).map((Key) => ({ DeleteRequest: { Key } }));
    while (requests?.length) {
      const out = await send(() => ctx.doc.send(new BatchWriteCommand({ RequestItems: { [ctx.table]: requests as never } })));
      requests = out.UnprocessedItems?.[ctx.table] as Record<string, unknown>[] | undefined;
    }
  }
}
