/**
 * BatchExecuteStatement: up to 25 statements, all reads or all writes; each SELECT names a full
 * primary key; HTTP 200 with an Error per failed statement (not all or nothing).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchExecuteStatement.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.multiplestatements.batching.html
 */
import type { EngineCore } from '../engine';
import { EngineError, validation } from '../errors';
import { executeKeyRead, executeWrite, isRead, mergeConsumed, prepareStatement, type PreparedStatement } from '../partiql/execute';
import type { AttributeValue } from '../types';
import { PARAMETERS, RVOCCF, STATEMENT } from './execute-statement';
import { RETURN_CONSUMED, validateRequest, type FieldSpec } from './validator';

export const MAX_BATCH_STATEMENTS = 25;

const SCHEMA: Record<string, FieldSpec | string> = {
  Statements: {
    type: 'List',
    notNull: true,
    lengthGreaterThanOrEqual: 1,
    lengthLessThanOrEqual: MAX_BATCH_STATEMENTS,
    children: {
      type: 'ValueStruct<BatchStatementRequest>',
      children: { Statement: STATEMENT, Parameters: PARAMETERS, ConsistentRead: 'Boolean', ReturnValuesOnConditionCheckFailure: RVOCCF },
    },
  },
  ReturnConsumedCapacity: RETURN_CONSUMED,
};

/** BatchStatementError.Code for an engine error (API_BatchStatementError). */
const ERROR_CODES: Record<string, string> = {
  ConditionalCheckFailedException: 'ConditionalCheckFailed',
  DuplicateItemException: 'DuplicateItem',
  ValidationException: 'ValidationError',
  ResourceNotFoundException: 'ResourceNotFound',
  ProvisionedThroughputExceededException: 'ProvisionedThroughputExceeded',
  ThrottlingException: 'ThrottlingError',
  RequestLimitExceeded: 'RequestLimitExceeded',
  TransactionConflictException: 'TransactionConflict',
  ItemCollectionSizeLimitExceededException: 'ItemCollectionSizeLimitExceeded',
  InternalServerError: 'InternalServerError',
};

export function batchStatementError(e: EngineError): Record<string, unknown> {
  const item = e.extra?.Item;
  return { Code: ERROR_CODES[e.type] ?? 'ValidationError', Message: e.message, ...(item ? { Item: item } : {}) };
}

export function batchExecuteStatement(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, SCHEMA);
  const raw = data.Statements as Array<Record<string, unknown>>;
  const rcc = data.ReturnConsumedCapacity as string | undefined;
  const prepared: Array<PreparedStatement | EngineError> = raw.map((r) => {
    try {
      return prepareStatement(r.Statement as string, r.Parameters as AttributeValue[] | undefined);
    } catch (e) {
      if (e instanceof EngineError && e.status < 500) return e;
      throw e;
    }
  });
  const kinds = new Set(prepared.filter((p): p is PreparedStatement => !(p instanceof EngineError)).map((p) => isRead(p.parsed.statement)));
  if (kinds.size > 1) throw validation('The entire batch must consist of either read statements or write statements; you cannot mix both in one batch');
  const consumed: unknown[] = [];
  const responses = prepared.map((p, i) => {
    if (p instanceof EngineError) return { Error: batchStatementError(p) };
    const table = p.parsed.statement.table;
    try {
      if (isRead(p.parsed.statement)) {
        const r = raw[i] as Record<string, unknown>;
        const out = executeKeyRead(core, p, { ...(r.ConsistentRead !== undefined ? { consistent: r.ConsistentRead as boolean } : {}), ...(rcc !== undefined ? { returnConsumedCapacity: rcc } : {}) });
        consumed.push(out.consumed);
        return { TableName: table, ...(out.item ? { Item: out.item } : {}) };
      }
      const r = raw[i] as Record<string, unknown>;
      const out = executeWrite(core, p, { ...(rcc !== undefined ? { returnConsumedCapacity: rcc } : {}), ...(r.ReturnValuesOnConditionCheckFailure !== undefined ? { returnValuesOnConditionCheckFailure: r.ReturnValuesOnConditionCheckFailure as string } : {}) });
      consumed.push(out.ConsumedCapacity);
      return { TableName: table };
    } catch (e) {
      if (e instanceof EngineError && e.status < 500) return { TableName: table, Error: batchStatementError(e) };
      throw e;
    }
  });
  const out: Record<string, unknown> = { Responses: responses };
  if (rcc === 'TOTAL' || rcc === 'INDEXES') out.ConsumedCapacity = mergeConsumed(consumed);
  return out;
}
