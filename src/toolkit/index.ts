/*
 * single-table-kit: the toolkit for your own ElectroDB model. Anything not exported here (or from
 * single-table-kit/testing) is private. It never imports the reference model.
 */

// The model contract: what every command, report and test helper takes
export { defineModel, modelTable, ModelError } from './model/define-model';
export type { Model, ModelTableOptions, SeedOptions, ServicesInput, ProgressCallback } from './model/define-model';
// A seeded PRNG (mulberry32, the engine's own), so a model's seed can repeat its dataset
export { seededRandom } from '../engine';

// Catalogs and request verification
export { defineCatalog, declaredRequests, partiqlDeclarationProblem, PARTIQL_OPERATIONS } from './catalog/types';
export type { AccessPatternDeclaration, Catalog, DeclaredRequest, DynamoOperation, PatternName, Times, TransactItemKind, PartiQLStatementKind } from './catalog/types';
export { verifyRequests, normalizeKeyCondition } from './catalog/verify-requests';
export { renderCatalogMarkdown, replaceBetweenMarkers } from './catalog/render-catalog';
export { checkCatalog } from './catalog/check-catalog';
export type { CatalogCheck } from './catalog/check-catalog';

// Table derived from entities
export { deriveTableDefinition, verifyTableAgainstEntities, collectIndexes, keyFieldTypes, TableDefinitionError } from './table/derive-table-definition';
export type { Billing, DeriveTableOptions, EntityIndexSource, IndexProjection, StreamView, TableDefinition, TableKeyLayout } from './table/derive-table-definition';
export { ensureTable, dropTable, compareTable, TableMismatchError } from './table/table-lifecycle';
export type { EnsureTableOptions } from './table/table-lifecycle';

// Request helpers for services: errors, arguments, bound pages, transactions, templates
export {
  ServiceError,
  ValidationError,
  NotFoundError,
  UnavailableError,
  TransactionCancelledError,
  classifyError,
  isConditionalCheckFailed,
  callDynamo,
  DEFAULT_PAGE_SIZE,
  getItem,
  putItem,
  updateItem,
  deleteItem,
  queryPage,
  queryOnce,
  queryAll,
  queryShardedPage,
  TableKeyFieldsError,
  transactWrite,
  bindPatterns,
  shaper,
  entityOf,
  withoutEntityFilter,
  ParamsTemplates,
  parseArguments,
  withOptions,
  plainly,
} from './requests';
export type { ValidationIssue, ErrorClass, RequestContext, Page, PageRequest } from './requests';

// PartiQL, parameterized only, refused before sending when it would scan
export { analyzeStatement, partiqlKeySchemaOf, quoteIdentifier, checkStatement, executeStatement, executeStatementPage, batchExecute, executeTransaction, PartiqlStatementError, StatementFailedError } from './partiql';
export type { PartiqlKeySchema, StatementAccess, StatementAnalysis, PartiqlRequest, PartiqlOptions, PartiqlRule, StatementPageOptions, BatchStatementResult } from './partiql';

// Request recorder and pattern labels
export { RequestRecorder } from './recorder/request-recorder';
export type { RecordedRequest, RecorderOptions } from './recorder/request-recorder';
export { forPattern, labelCommand, patternOf } from './recorder/pattern-label';
export type { DocumentSender } from './recorder/pattern-label';

// Page cursors bound to their listing
export { encodeCursor, decodeCursor, encodeShardedCursor, decodeShardedCursor, encodeTokenCursor, decodeTokenCursor, CursorError } from './cursor/page-cursor';
export type { CursorScope, CursorKey, ShardPosition } from './cursor/page-cursor';

// Bulk reads and writes that finish, and fault injection for tests
export { batchWriteAll, batchGetAll, BatchIncompleteError, backoffDelay } from './batch';
export type { BatchWriteOptions, WriteRequest, BackoffOptions } from './batch';
export { FaultInjector } from './faults';
export type { FaultKind, FaultRule, InjectedFault } from './faults';

// Measurement: capacity per pattern and hot partitions
export { measurePatterns, summarize, countReturnedItems } from './measurement/measure-patterns';
export type { PatternMeasurement, PatternSummary } from './measurement/measure-patterns';
export type { PatternRunner, PatternRunners } from './measurement/pattern-runner';
export { mapWithConcurrency } from './measurement/pattern-runner';
export { capacityOf, capacityByIndex, reportedByIndex } from './capacity/measure-capacity';
export type { MeasuredCapacity } from './capacity/measure-capacity';
// Units by DynamoDB's rules, from measured item sizes (DynamoDB Local under-reports transactions)
export { computeUnits } from './capacity/compute-units';
export type { ComputedUnits, MeasuredRead, MeasuredRequest, MeasuredWrite, UnitsByIndex } from './capacity/compute-units';
export { attributeValueSize, itemSize, numberSize } from './capacity/item-size';
export type { AttributeMap } from './capacity/item-size';
export { tableLayoutOf, inIndex, projectToIndex } from './capacity/table-layout';
export type { TableLayout } from './capacity/table-layout';
// Projections from the patterns
export { recommendProjections, filterAttributes, ELECTRODB_IDENTIFIERS } from './projections/recommend-projections';
export type { ProjectionRecommendation, ProjectionReport } from './projections/recommend-projections';
export { analyzePartitions, PARTITION_LIMITS, UNKNOWN_PARTITION } from './hot-partitions/analyze-partitions';
export type { PartitionLoad, PartitionReport, IndexKeyFields } from './hot-partitions/analyze-partitions';
export { EmfMetrics, emfLine, aggregateLine, syncLineWriter, MAX_EMF_VALUES, EMF_DIMENSIONS, validateEmfLine, CLOUDWATCH_UNITS, metricsIngestionCost, CLOUDWATCH_LOGS_US_EAST_1 } from './metrics';
export type { EmfMetricsOptions, SyncWriterOptions, LogsPriceTable, MetricsCost } from './metrics';
export {
  US_EAST_1_STANDARD,
  applyPriceOverride,
  loadPrices,
  PriceFileError,
  readUnits,
  queryReadUnits,
  writeUnits,
  itemWriteUnits,
  parseTrafficProfile,
  readTrafficProfile,
  peakRates,
  trafficProfileSchema,
  TrafficProfileError,
  PROFILE_LIMITS,
  estimateCost,
  storageCost,
  UnknownPatternError,
  CostOverflowError,
  HOURS_PER_MONTH,
  ITEM_OVERHEAD_BYTES,
  streamDrivenRates,
  eventsOfPattern,
  StreamRateError,
  RECORDS_PER_GET_RECORDS,
} from './cost';
export type {
  PriceTable,
  DaxPrices,
  ReadConsistency,
  ItemImage,
  TrafficProfile,
  PatternTraffic,
  CostReport,
  CostOptions,
  MonthlyCost,
  PatternCost,
  PatternUnits,
  StorageCost,
  StreamsPrices,
  StreamDrivenRate,
  StreamReadCost,
  StreamReader,
  StreamWorkModel,
  HandledEvents,
} from './cost';

// The embedded engine (single-table-kit/engine) and clients for it or any local endpoint
export { startEmbeddedDynamo, embeddedClientConfig } from './local/embedded-dynamo';
export type { EmbeddedDynamo, EmbeddedDynamoOptions } from './local/embedded-dynamo';
export { localClientConfig } from './local/client-config';
export { startProgress, progressReporter } from './progress/progress';
export type { Progress } from './progress/progress';

// Running a model: a session on a fresh table, and the analysis reports are made from
export { openModelSession, recorderOptionsFor, indexKeyFields, scanItems } from './analysis/model-session';
export type { ModelSession, ModelSessionOptions } from './analysis/model-session';
export { runAnalysis } from './analysis/run-analysis';
export type { Analysis, AnalysisOptions } from './analysis/run-analysis';

// One self-contained HTML page per model run: items by index, the catalog lighting up what it reads
export { renderModelView, renderModelViewData } from './view/render-model-view';
export { buildModelViewData } from './view/view-data';
export type { ModelViewInput, ModelViewData, ViewFacet, ViewPattern, ViewRequest } from './view/view-data';
export { escapeHtml } from './view/escape';

// Shipping the model: CloudFormation, CDK, Terraform, NoSQL Workbench, IAM
export {
  provisionedPlan,
  withProvisionedPlan,
  ExportError,
  catalogOperations,
  alarmSpecs,
  scalingSpecs,
  logicalName,
  uniqueLogicalNames,
  cloudFormationTemplate,
  renderCloudFormation,
  tableProperties,
  TABLE_LOGICAL_ID,
  cdkStackSource,
  cdkPropName,
  terraformConfig,
  TERRAFORM_TABLE,
  workbenchModel,
  validateWorkbenchModel,
  readWorkbenchModel,
  toDynamoJson,
  fromDynamoJson,
  DynamoJsonError,
  WorkbenchModelError,
  WORKBENCH_MODEL_SCHEMA,
  iamPolicy,
  iamActionsForOperation,
  iamUsesOf,
  recordIamUses,
  policyAllows,
  TRANSACT_WRITE_ACTIONS,
  DEFAULT_TENANT_ATTRIBUTES,
  KEYLESS_ACTIONS,
  PARTIQL_ACTIONS,
  checkExportText,
  assertFinite,
  hclString,
  hclStringBody,
} from './export';
export type {
  ExportPatternUnits,
  ProvisionedPlan,
  ProvisionedPlanOptions,
  IndexCapacityPlan,
  ScalingRange,
  InfrastructureOptions,
  AlarmSpec,
  MetricSpec,
  ScalingSpec,
  CloudFormationTemplate,
  CfnResource,
  CfnValue,
  CdkOptions,
  WorkbenchModel,
  WorkbenchTable,
  WorkbenchFacet,
  WorkbenchItem,
  WorkbenchValue,
  WorkbenchOptions,
  WorkbenchReport,
  IamPolicyOptions,
  ExportTextFormat,
  IamPolicyExport,
  IamPolicyDocument,
  IamStatement,
  IamUse,
  LeadingKeysFinding,
} from './export';

// Stream consumers: the event source mapping's settings, shared by the local consumer and the exports
export { resolveStreamConsumerSettings, StreamSettingsError } from './streams/settings';
export type { StreamConsumerSettings, StreamConsumerDeclaration, ResolvedStreamConsumerSettings, StreamEventName } from './streams/settings';

// Migrations: a model snapshot, its diff, a plan, a resumable rate-limited run, reads during one
export {
  snapshotModel,
  stableJson,
  parseSnapshot,
  SnapshotError,
  SNAPSHOT_FORMAT,
  diffModel,
  diffSnapshots,
  MigrationInputError,
  planMigration,
  checkTableMatches,
  runMigration,
  countTable,
  unchangedCondition,
  tableChecksum,
  ItemUpgrader,
  MigratingReader,
  CapacityBudget,
} from './migrate';
export type {
  ModelSnapshot,
  EntitySnapshot,
  EntityIndexSnapshot,
  KeySnapshot,
  AttributeSnapshot,
  TableIndexSnapshot,
  PatternSnapshot,
  ModelChange,
  ModelDiff,
  PatternChange,
  MigrationPlan,
  MigrationStep,
  PlanOptions,
  SampleRewrite,
  RunOptions,
  MigrationReport,
  MigrationFailure,
  Counts,
  ItemUpgrade,
  UpgradeOptions,
} from './migrate';

// DAX: a DynamoDBClient served by a DAX cluster (services, ElectroDB and the helpers unchanged)
export { daxClient, connectDax, DaxUnsupportedOperationError, DaxSdkMissingError, DAX_OPERATIONS } from './dax';
export type { DaxOperations, DaxOperation, DaxClientOptions, DaxClusterConfig, DaxConnection, DaxCacheStats } from './dax';
// ...and what DAX would serve of each pattern, and what a cluster saves under a traffic profile
export { daxServing, daxReadsOf, estimateDaxSavings, DaxPriceError, DEFAULT_DAX_HIT_RATIO, DEFAULT_DAX_CLUSTER } from './dax';
export type { DaxService, DaxRequestServing, DaxPatternServing, DaxPatternReads, DaxCluster, DaxCostOptions, DaxPatternSaving, DaxCostReport } from './dax';

// Stream consumers at run time: the router (typed handlers per entity and event), the Lambda handler, idempotency
export { defineStreamConsumer, defineStreamConsumerFor, StreamConsumerError, UnroutableRecordError } from './streams/router';
export type {
  StreamConsumer,
  StreamConsumerDefinition,
  RoutableEntity,
  ParsedItem,
  Change,
  ChangeBase,
  InsertChange,
  ModifyChange,
  RemoveChange,
  EntityHandlers,
  HandlerContext,
  Unroutable,
  UnroutableReason,
  Routed,
} from './streams/router';
export { createStreamHandler, StreamInvocationCrash, StreamBatchError } from './streams/lambda-handler';
export type { StreamHandlerOptions, StreamLambdaHandler, RecordOutcome, RecordReport } from './streams/lambda-handler';
export { IdempotencyStore, IdempotencyInProgressError } from './streams/idempotency';
export type { IdempotencyOptions } from './streams/idempotency';
export { isTtlDeletion, IDEMPOTENCY_MARKER_ATTRIBUTE } from './streams/stream-record';
export type { StreamRecord, StreamEvent, StreamBatchResponse, WireAttributeValue, WireItem } from './streams/stream-record';
