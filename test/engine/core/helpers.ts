import { createEngine, EngineError, type Engine, type EngineOptions } from '../../../src/engine';

/** Runs an operation; returns the result or the EngineError it threw. */
export function call(engine: Engine, op: string, body: unknown): Record<string, unknown> {
  return engine.handleSync(op, body) as Record<string, unknown>;
}

export function fails(engine: Engine, op: string, body: unknown): EngineError {
  try {
    engine.handleSync(op, body);
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error(`${op} did not fail`);
}

/** A table with pk/sk, a GSI on gpk/gsk (ALL) and an LSI on lsk (KEYS_ONLY). */
export function engineWithTable(options: EngineOptions = {}, name = 'tbl'): Engine {
  const engine = createEngine(options);
  call(engine, 'CreateTable', {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'gpk', AttributeType: 'S' },
      { AttributeName: 'gsk', AttributeType: 'N' },
      { AttributeName: 'lsk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      { IndexName: 'gsi1', KeySchema: [{ AttributeName: 'gpk', KeyType: 'HASH' }, { AttributeName: 'gsk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'ALL' } },
    ],
    LocalSecondaryIndexes: [
      { IndexName: 'lsi1', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'lsk', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } },
    ],
  });
  return engine;
}

export const S = (s: string) => ({ S: s });
export const N = (n: number | string) => ({ N: String(n) });
