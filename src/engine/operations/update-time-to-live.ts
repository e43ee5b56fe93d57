/** UpdateTimeToLive: enables or disables TTL on an attribute (state only; the sweeper is in ttl/). */
import type { EngineCore } from '../engine';
import { EngineError, validation } from '../errors';
import { TABLE_NAME, validateRequest } from './validator';

export function updateTimeToLive(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, {
    TableName: { ...TABLE_NAME, required: true, tableName: true },
    TimeToLiveSpecification: {
      type: 'FieldStruct<TimeToLiveSpecification>',
      notNull: true,
      children: {
        Enabled: { type: 'Boolean', notNull: true },
        AttributeName: { type: 'String', notNull: true, lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 255 },
      },
    },
  });
  const spec = data.TimeToLiveSpecification as { Enabled: boolean; AttributeName: string };
  const t = core.findTable(data.TableName as string);
  if (!t || t.status === 'CREATING' || t.status === 'DELETING') {
    throw new EngineError('ResourceNotFoundException', 'Requested resource not found: Table: ' + String(data.TableName) + ' not found');
  }
  if (spec.Enabled) {
    if (t.ttl.status === 'ENABLED' || t.ttl.status === 'ENABLING') throw validation('TimeToLive is already enabled');
    t.ttl = { attribute: spec.AttributeName, status: 'ENABLED' };
  } else {
    if (t.ttl.status === 'DISABLED' || t.ttl.status === 'DISABLING') throw validation('TimeToLive is already disabled');
    if (t.ttl.attribute !== spec.AttributeName) throw validation('TimeToLive is active on a different AttributeName: current AttributeName is ' + String(t.ttl.attribute));
    t.ttl = { status: 'DISABLED' };
  }
  return { TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName } };
}
