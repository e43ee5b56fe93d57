/** ARN checks shared by TagResource, UntagResource and ListTagsOfResource (texts as dynalite records them). */
import type { EngineCore } from '../engine';
import { EngineError, validation } from '../errors';
import type { TableState } from '../storage/table';

/** A string that is not an ARN at all: DynamoDB answers as IAM would (dynalite records it). */
export function checkArnAccess(core: EngineCore, arn: string, action: string): void {
  if (!/^.+:.+:.+:.+:.+:.+\/.+$/.test(arn)) {
    throw new EngineError('AccessDeniedException', `User: arn:aws:iam::${core.accountId}:engine is not authorized to perform: dynamodb:${action} on resource: ${arn || '*'}`);
  }
}

export function tableForArn(core: EngineCore, arn: unknown, action: string): TableState {
  if (typeof arn !== 'string') throw validation('Invalid TableArn');
  checkArnAccess(core, arn, action);
  checkArnShape(arn);
  return lookup(core, arn);
}

export function checkArnShape(arn: string): void {
  if (!/^arn:aws:dynamodb:.+:\d+:table\/[^/]{2}[^/]+$/.test(arn)) throw validation('Invalid TableArn: Invalid ResourceArn provided as input ' + arn);
}

function lookup(core: EngineCore, arn: string): TableState {
  const name = arn.split('/').pop() as string;
  const t = core.findTable(name);
  if (!t || t.arn !== arn) throw new EngineError('ResourceNotFoundException', 'Requested resource not found: ResourcArn: ' + arn + ' not found');
  return t;
}
