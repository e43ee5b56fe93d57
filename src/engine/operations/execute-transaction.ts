/**
 * ExecuteTransaction: PartiQL statements all or nothing, run as the TransactGetItems (all SELECTs on
 * full keys) or TransactWriteItems (INSERT/UPDATE/DELETE) they are; a cancelled transaction answers
 * TransactionCanceledException with CancellationReasons in statement order (DuplicateItem for an INSERT
 * on an existing key).
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_ExecuteTransaction.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.multiplestatements.transactions.html
 */
import type { EngineCore } from '../engine';
import { EngineError, validation } from '../errors';
import { DUPLICATE_ITEM, isRead, keyRead, prepareStatement, writeRequest } from '../partiql/execute';
import type { AttributeValue, Item } from '../types';
import { PARAMETERS, RVOCCF, STATEMENT } from './execute-statement';
import { transactGetItems } from './transact-get-items';
import { transactWriteItems } from './transact-write-items';
import { RETURN_CONSUMED, validateRequest, type FieldSpec } from './validator';

const SCHEMA: Record<string, FieldSpec | string> = {
  TransactStatements: {
    type: 'List',
    notNull: true,
    lengthGreaterThanOrEqual: 1,
    lengthLessThanOrEqual: 100,
    children: { type: 'ValueStruct<ParameterizedStatement>', children: { Statement: STATEMENT, Parameters: PARAMETERS, ReturnValuesOnConditionCheckFailure: RVOCCF } },
  },
  ClientRequestToken: { type: 'String', lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 36 },
  ReturnConsumedCapacity: RETURN_CONSUMED,
};

export function executeTransaction(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, SCHEMA);
  const raw = data.TransactStatements as Array<Record<string, unknown>>;
  const prepared = raw.map((r) => prepareStatement(r.Statement as string, r.Parameters as AttributeValue[] | undefined));
  const reads = prepared.filter((p) => isRead(p.parsed.statement)).length;
  if (reads && reads !== prepared.length) throw validation('A transaction must consist of either read statements or write statements; you cannot mix both');
  const rcc = data.ReturnConsumedCapacity !== undefined ? { ReturnConsumedCapacity: data.ReturnConsumedCapacity } : {};
  if (reads) {
    const gets = prepared.map((p) => keyRead(core, p));
    const out = transactGetItems(core, { TransactItems: gets.map((g) => ({ Get: g.body })), ...rcc }) as Record<string, unknown>;
    const got = out.Responses as Array<{ Item?: Item }>;
    const responses = gets.map((g, i) => {
      const item = g.finish(got[i]?.Item);
      return item ? { Item: item } : {};
    });
    return { Responses: responses, ...(out.ConsumedCapacity ? { ConsumedCapacity: out.ConsumedCapacity } : {}) };
  }
  const writes = prepared.map((p, i) => {
    const w = writeRequest(core, p);
    const rv = (raw[i] as Record<string, unknown>).ReturnValuesOnConditionCheckFailure;
    return { w, body: { ...w.body, ...(rv !== undefined ? { ReturnValuesOnConditionCheckFailure: rv } : {}) } };
  });
  try {
    const out = transactWriteItems(core, {
      TransactItems: writes.map(({ w, body: b }) => ({ [w.op]: b })),
      ...(data.ClientRequestToken !== undefined ? { ClientRequestToken: data.ClientRequestToken } : {}),
      ...rcc,
    }) as Record<string, unknown>;
    return { ...(out.ConsumedCapacity ? { ConsumedCapacity: out.ConsumedCapacity } : {}) };
  } catch (e) {
    if (!(e instanceof EngineError) || e.type !== 'TransactionCanceledException') throw e;
    const reasons = (e.extra?.CancellationReasons as Array<Record<string, unknown>>).map((r, i) =>
      writes[i]?.w.op === 'Put' && r.Code === 'ConditionalCheckFailed' ? { ...r, Code: 'DuplicateItem', Message: DUPLICATE_ITEM } : r,
    );
    throw new EngineError(
      'TransactionCanceledException',
      'Transaction cancelled, please refer cancellation reasons for specific reasons [' + reasons.map((r) => r.Code as string).join(', ') + ']',
      400,
      { CancellationReasons: reasons },
    );
  }
}
