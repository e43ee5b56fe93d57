/** DescribeTable. */
import type { EngineCore } from '../engine';
import { EngineError } from '../errors';
import { describeTable as describe } from './describe';
import { TABLE_NAME, validateRequest } from './validator';

export function describeTableOp(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, { TableName: { ...TABLE_NAME, required: true, tableName: true } });
  const t = core.findTable(data.TableName as string);
  if (!t) throw new EngineError('ResourceNotFoundException', 'Requested resource not found: Table: ' + String(data.TableName) + ' not found');
  return { Table: describe(core, t) };
}
