/** ListTables: names in order, Limit (1-100), ExclusiveStartTableName. */
import type { EngineCore } from '../engine';
import { validateRequest } from './validator';

export function listTables(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, {
    ExclusiveStartTableName: { type: 'String', regex: '[a-zA-Z0-9_.-]+', lengthGreaterThanOrEqual: 3, lengthLessThanOrEqual: 255 },
    Limit: { type: 'Integer', greaterThanOrEqual: 1, lessThanOrEqual: 100 },
  });
  const limit = (data.Limit as number | undefined) ?? 100;
  const start = data.ExclusiveStartTableName as string | undefined;
  for (const t of [...core.tables.values()]) core.settle(t);
  let names = [...core.tables.keys()].sort();
  if (start !== undefined) names = names.filter((n) => n > start);
  const out: Record<string, unknown> = {};
  if (names.length > limit) {
    names = names.slice(0, limit);
    out.LastEvaluatedTableName = names[names.length - 1];
  }
  out.TableNames = names;
  return out;
}
