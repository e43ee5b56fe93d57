/** UntagResource. */
import type { EngineCore } from '../engine';
import { validation } from '../errors';
import { checkArnAccess, checkArnShape, tableForArn } from './tag-common';
import { validateRequest } from './validator';

export function untagResource(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, { ResourceArn: { type: 'String' }, TagKeys: { type: 'List', children: 'String' } });
  if (data.ResourceArn === undefined) throw validation('Invalid TableArn');
  const arn = data.ResourceArn as string;
  if (data.TagKeys === undefined) throw validation("1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null");
  checkArnAccess(core, arn, 'UntagResource');
  checkArnShape(arn);
  const keys = data.TagKeys as string[];
  if (!keys.length) throw validation('Atleast one Tag Key needs to be provided as Input.');
  const t = tableForArn(core, arn, 'UntagResource');
  for (const k of keys) t.tags.delete(k);
  return undefined;
}
