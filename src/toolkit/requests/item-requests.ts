import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DeleteCommandInput, type GetCommandInput, type PutCommandInput, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { callDynamo } from './classify-error';
import type { RequestContext } from './request-context';

type Raw = Record<string, unknown>;

/** One GetItem (params as ElectroDB's `.get(...).params()` builds them); the raw item or undefined. */
export async function getItem(ctx: RequestContext, params: GetCommandInput): Promise<Raw | undefined> {
  const out = await callDynamo(() => ctx.doc.send(new GetCommand(params)));
  return out.Item;
}

/** One UpdateItem; the attributes ReturnValues asked for. */
export async function updateItem(ctx: RequestContext, params: UpdateCommandInput): Promise<Raw | undefined> {
  const out = await callDynamo(() => ctx.doc.send(new UpdateCommand(params)));
  return out.Attributes;
}

/** One DeleteItem; the attributes ReturnValues asked for. */
export async function deleteItem(ctx: RequestContext, params: DeleteCommandInput): Promise<Raw | undefined> {
  const out = await callDynamo(() => ctx.doc.send(new DeleteCommand(params)));
  return out.Attributes;
}

/** One PutItem (params as ElectroDB's `.put(...)` / `.create(...)` `.params()` builds them); the attributes ReturnValues asked for. */
export async function putItem(ctx: RequestContext, params: PutCommandInput): Promise<Raw | undefined> {
  const out = await callDynamo(() => ctx.doc.send(new PutCommand(params)));
  return out.Attributes;
}
