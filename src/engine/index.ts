/**
 * single-table-kit/engine: an in-memory DynamoDB (API 2012-08-10) in TypeScript.
 * Explicit exports only: this list is the public surface.
 */
export { createEngine } from './engine';
export type { Engine, EngineOptions, EngineStats, ChangeEvent, ChangeListener, ExtensionOperation } from './engine';
export { EngineError, isEngineError } from './errors';
export type { AttributeValue, AttributeType, Item, KeySchemaElement, AttributeDefinition, ScalarAttributeType, KeyType } from './types';
export { engineRequestHandler, inProcessRequestHandler } from './server/request-handler';
export type { EngineRequestHandler, EngineHttpRequest, EngineHttpResponse, InProcessServe } from './server/request-handler';
export { startEngineServer, MAX_BODY_BYTES } from './server/http-server';
export type { EngineServer, EngineServerOptions } from './server/http-server';
export { readUnits, queryReadUnits, writeUnits, itemWriteUnits } from './capacity/unit-rules';
export type { ReadConsistency, ItemImage } from './capacity/unit-rules';
export type { StorageFaultOptions, GsiLagOptions, StaleReadOptions } from './storage/storage-faults';
export { seededRandom } from './faults/random';
export { openEngineFile, EngineFileError } from './persistence/engine-file';
export type { EngineFile, EngineFileOptions } from './persistence/engine-file';
export { DEFAULT_TTL_DELAY_MS, PARTITION_READ_UNITS_PER_SECOND, PARTITION_WRITE_UNITS_PER_SECOND, BURST_SECONDS } from './faults';
export type { Faults, FaultOptions, FaultSettings, FaultCounters, ItemRef, ThrottlingOptions, TransactionConflictOptions, UnprocessedOptions } from './faults';
export type { Streams, LambdaStreamRecord, StreamHandler, StreamRecordWire, StreamViewType, SubscribeOptions, SubscriberFailure, Subscription } from './streams';
export type { TtlSweeper, SweepResult } from './ttl';
export { parsePartiql } from './partiql/parser';
export { planSelect, fullKey, conjuncts, MAX_IN_PARTITION_VALUES } from './partiql/analyze';
export type { KeyNames, SelectAccess, SelectPlan } from './partiql/analyze';
export type { ParsedStatement, PartiqlStatement, PartiqlStatementKind, PqlCondition, PqlOperand, PqlPath, PqlLiteral, PqlParam, PqlSelect, PqlInsert, PqlUpdate, PqlDelete } from './partiql/ast';
