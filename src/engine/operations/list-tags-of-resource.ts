/** ListTagsOfResource. */
import type { EngineCore } from '../engine';
import { validation } from '../errors';
import { tableForArn } from './tag-common';
import { validateRequest } from './validator';

export function listTagsOfResource(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, { ResourceArn: { type: 'String' }, NextToken: { type: 'String' } });
  if (data.ResourceArn === undefined) throw validation('Invalid TableArn');
  const arn = data.ResourceArn as string;
  const t = tableForArn(core, arn, 'ListTagsOfResource');
  return { Tags: [...t.tags].map(([Key, Value]) => ({ Key, Value })) };
}
