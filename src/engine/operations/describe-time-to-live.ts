/** DescribeTimeToLive (the sweeper is in ttl/). */
import type { EngineCore } from '../engine';
import { EngineError } from '../errors';
import { TABLE_NAME, validateRequest } from './validator';

export function describeTimeToLive(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, { TableName: { ...TABLE_NAME, required: true, tableName: true } });
  const t = core.findTable(data.TableName as string);
  if (!t) throw new EngineError('ResourceNotFoundException', 'Requested resource not found: Table: ' + String(data.TableName) + ' not found');
  const d: Record<string, unknown> = { TimeToLiveStatus: t.ttl.status };
  if (t.ttl.attribute !== undefined && t.ttl.status !== 'DISABLED') d.AttributeName = t.ttl.attribute;
  return { TimeToLiveDescription: d };
}
