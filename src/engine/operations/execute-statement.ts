/**
 * ExecuteStatement: one PartiQL statement.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteStatement.html
 */
import type { EngineCore } from '../engine';
import { executeSelect, executeWrite, prepareStatement, MAX_STATEMENT_LENGTH } from '../partiql/execute';
import type { AttributeValue } from '../types';
import { RETURN_CONSUMED, validateRequest, type FieldSpec } from './validator';

export const PARAMETERS: FieldSpec = { type: 'List', lengthGreaterThanOrEqual: 1, children: 'AttrStruct<ValueStruct>' };
export const STATEMENT: FieldSpec = { type: 'String', notNull: true, lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: MAX_STATEMENT_LENGTH };
export const RVOCCF: FieldSpec = { type: 'String', enum: ['ALL_OLD', 'NONE'] };

const SCHEMA: Record<string, FieldSpec | string> = {
  Statement: STATEMENT,
  Parameters: PARAMETERS,
  ConsistentRead: 'Boolean',
  NextToken: { type: 'String', lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 32768 },
  ReturnConsumedCapacity: RETURN_CONSUMED,
  Limit: { type: 'Integer', greaterThanOrEqual: 1 },
  ReturnValuesOnConditionCheckFailure: RVOCCF,
};

export function executeStatement(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, SCHEMA);
  const p = prepareStatement(data.Statement as string, data.Parameters as AttributeValue[] | undefined);
  const s = p.parsed.statement;
  const rcc = data.ReturnConsumedCapacity as string | undefined;
  if (s.kind === 'SELECT') {
    return executeSelect(core, p, s, {
      ...(data.Limit !== undefined ? { limit: data.Limit as number } : {}),
      ...(data.ConsistentRead !== undefined ? { consistent: data.ConsistentRead as boolean } : {}),
      ...(data.NextToken !== undefined ? { nextToken: data.NextToken as string } : {}),
      ...(rcc !== undefined ? { returnConsumedCapacity: rcc } : {}),
    });
  }
  return executeWrite(core, p, {
    ...(rcc !== undefined ? { returnConsumedCapacity: rcc } : {}),
    ...(data.ReturnValuesOnConditionCheckFailure !== undefined ? { returnValuesOnConditionCheckFailure: data.ReturnValuesOnConditionCheckFailure as string } : {}),
  });
}
