/** DeleteTable. */
import type { EngineCore } from '../engine';
import { EngineError } from '../errors';
import { describeTable } from './describe';
import { TABLE_NAME, validateRequest } from './validator';

export function deleteTable(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, { TableName: { ...TABLE_NAME, required: true, tableName: true } });
  const name = data.TableName as string;
  const t = core.findTable(name);
  if (!t) throw new EngineError('ResourceNotFoundException', 'Requested resource not found: Table: ' + name + ' not found');
  if (t.status === 'CREATING' || t.status === 'UPDATING') {
    throw new EngineError('ResourceInUseException', 'Attempt to change a resource which is still in use: Table is being ' + (t.status === 'CREATING' ? 'created' : 'updated') + ': ' + name);
  }
  if (t.status === 'DELETING') throw new EngineError('ResourceInUseException', 'Attempt to change a resource which is still in use: Table is being deleted: ' + name);
  if (t.deletionProtection) {
    throw new EngineError('ValidationException', 'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
  }
  const desc = describeTable(core, t);
  desc.TableStatus = 'DELETING';
  delete desc.GlobalSecondaryIndexes;
  const delay = core.options.deleteTableMs ?? 0;
  if (delay > 0) {
    t.status = 'DELETING';
    t.activeAt = core.now() + delay;
  } else core.tables.delete(name);
  t.store.clear();
  for (const i of t.indexes) i.store.clear();
  return { TableDescription: desc };
}
