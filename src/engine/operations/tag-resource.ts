/** TagResource. */
import type { EngineCore } from '../engine';
import { validation } from '../errors';
import { checkArnAccess, checkArnShape, tableForArn } from './tag-common';
import { validateRequest } from './validator';

export function tagResource(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, {
    ResourceArn: { type: 'String', lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 1283 },
    Tags: { type: 'List', children: { type: 'ValueStruct<Tag>', children: { Key: { type: 'String', notNull: true, lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 128 }, Value: { type: 'String', notNull: true, lengthGreaterThanOrEqual: 0, lengthLessThanOrEqual: 256 } } } },
  });
  if (data.ResourceArn === undefined) throw validation('Invalid TableArn');
  const arn = data.ResourceArn as string;
  if (data.Tags === undefined) throw validation("1 validation error detected: Value null at 'tags' failed to satisfy constraint: Member must not be null");
  checkArnAccess(core, arn, 'TagResource');
  checkArnShape(arn);
  const tags = data.Tags as Array<{ Key: string; Value: string }>;
  if (!tags.length) throw validation('Atleast one Tag needs to be provided as Input.');
  const t = tableForArn(core, arn, 'TagResource');
  if (new Set([...t.tags.keys(), ...tags.map((x) => x.Key)]).size > 50) throw validation('One or more parameter values were invalid: The number of tags exceeds the limit of 50');
  for (const tag of tags) t.tags.set(tag.Key, tag.Value);
  return undefined;
}
