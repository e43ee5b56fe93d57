/*
 * The public API of single-table-kit. Anything not exported here is private.
 */

// Service layer: one method per access pattern
export { createServices, clientFromEnvironment } from './services/create-services';
export type { Services, ServicesOptions } from './services/create-services';
export type { Page } from './services/engine';
export type { UserAccount } from './services/users';
export type { OrganizationWithMembers } from './services/organizations';
export { ORDER_TRANSITIONS, IDEMPOTENCY_WINDOW_SECONDS } from './services/orders';
export type { OrderWithItems, PlaceOrderInput } from './services/orders';
export { LIMITS, SKU_PATTERN, IDEMPOTENCY_KEY_PATTERN, ULID_PATTERN } from './services/validation';
export type {
  UserItem,
  EmailClaimItem,
  OrganizationItem,
  MembershipItem,
  OrderRecord,
  OrderItemRecord,
  OrderRequestItem,
  SessionItem,
} from './services/types';
export {
  ServiceError,
  ValidationError,
  NotFoundError,
  EmailTakenError,
  VersionConflictError,
  AlreadyMemberError,
  LastOwnerError,
  InvalidTransitionError,
  UserNotActiveError,
  UnavailableError,
} from './services/errors';
export type { ValidationIssue } from './services/errors';

// Reference model: ElectroDB entities and the table they define
export {
  User,
  EmailClaim,
  Organization,
  Membership,
  Order,
  OrderItem,
  OrderRequest,
  Session,
  entities,
  createModel,
  tableDefinition,
  createTable,
  deleteTable,
  TTL_ATTRIBUTE,
  USER_STATUSES,
  ORGANIZATION_PLANS,
  MEMBER_ROLES,
  ORDER_STATUSES,
  OPEN_ORDER_STATUSES,
  USER_STATUS_SHARDS,
  userStatusShard,
} from './entities';
export type { TableOptions, UserStatus, OrganizationPlan, MemberRole, OrderStatus, OpenOrderStatus } from './entities';

// Access-pattern catalog of the reference model
export { catalog } from './access-patterns/catalog';
export type { AccessPatternName } from './access-patterns/catalog';

// Generic toolkit: catalogs and request verification
export { defineCatalog } from './catalog/types';
export type { AccessPatternDeclaration, Catalog, DeclaredRequest, DynamoOperation, PatternName, Times } from './catalog/types';
export { verifyRequests, normalizeKeyCondition } from './catalog/verify-requests';
export { renderCatalogMarkdown, replaceBetweenMarkers } from './catalog/render-catalog';

// Generic toolkit: table derived from entities
export { deriveTableDefinition, verifyTableAgainstEntities, collectIndexes, TableDefinitionError } from './table/derive-table-definition';
export type { Billing, DeriveTableOptions, EntityIndexSource, TableDefinition } from './table/derive-table-definition';
export { ensureTable, dropTable } from './table/table-lifecycle';

// Generic toolkit: request recorder
export { RequestRecorder } from './recorder/request-recorder';
export type { RecordedRequest, RecorderOptions } from './recorder/request-recorder';
export { runInPattern, currentPattern } from './recorder/pattern-context';

// Generic toolkit: page cursors bound to their listing
export { encodeCursor, decodeCursor, encodeShardedCursor, decodeShardedCursor, CursorError } from './cursor/page-cursor';
export type { CursorScope, CursorKey, ShardPosition } from './cursor/page-cursor';

// Generic toolkit: bulk reads and writes that finish, and fault injection for tests
export { batchWriteAll, batchGetAll, BatchIncompleteError, backoffDelay } from './batch';
export type { BatchWriteOptions, WriteRequest, BackoffOptions } from './batch';
export { FaultInjector } from './faults';
export type { FaultKind, FaultRule, InjectedFault } from './faults';

// Generic toolkit: capacity per pattern and hot partitions
export { measurePatterns, summarize, countReturnedItems } from './runners/measure-patterns';
export type { PatternMeasurement, PatternSummary } from './runners/measure-patterns';
export type { PatternRunner, PatternRunners } from './runners/pattern-runner';
export { mapWithConcurrency } from './runners/pattern-runner';
export { capacityOf, capacityByIndex } from './capacity/measure-capacity';
export type { MeasuredCapacity } from './capacity/measure-capacity';
export { analyzePartitions, PARTITION_LIMITS, UNKNOWN_PARTITION } from './hot-partitions/analyze-partitions';
export type { PartitionLoad, PartitionReport, IndexKeyFields } from './hot-partitions/analyze-partitions';
export { EmfMetrics, emfLine, EMF_DIMENSIONS, validateEmfLine, CLOUDWATCH_UNITS } from './metrics';
export type { EmfMetricsOptions } from './metrics';
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
  estimateCost,
  storageCost,
  UnknownPatternError,
  HOURS_PER_MONTH,
  ITEM_OVERHEAD_BYTES,
} from './cost';
export type {
  PriceTable,
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
} from './cost';

// Generic toolkit: DynamoDB Local
export { startLocalDynamo, checkJava, dynamoLocalJarDir, LocalDynamoError } from './local/start-local-dynamo';
export type { LocalDynamo, LocalDynamoOptions } from './local/start-local-dynamo';
export { localClientConfig } from './local/client-config';
