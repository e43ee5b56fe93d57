/*
 * single-table-kit/reference: the reference model (users, organizations and memberships, orders
 * and order items, sessions), built only from the public toolkit API, like a user's model.
 */

export { referenceModel } from './reference-model';
export { membershipNames } from './stream-consumers';

// Service layer: one method per access pattern
export { createServices, clientFromEnvironment } from '../services/create-services';
export type { Services, ServicesOptions } from '../services/create-services';
export type { UserAccount } from '../services/users';
export type { OrganizationWithMembers } from '../services/organizations';
export { ORDER_TRANSITIONS, IDEMPOTENCY_WINDOW_SECONDS } from '../services/orders';
export type { OrderWithItems, PlaceOrderInput } from '../services/orders';
export { LIMITS, SKU_PATTERN, IDEMPOTENCY_KEY_PATTERN, ULID_PATTERN, emailSchema, skuSchema, idempotencyKeySchema } from '../services/validation';
export { MIN_TIME, MAX_TIME } from '../services/user-reads';
export type {
  UserItem,
  EmailClaimItem,
  OrganizationItem,
  MembershipItem,
  OrderRecord,
  OrderItemRecord,
  OrderRequestItem,
  SessionItem,
} from '../services/types';
export {
  EmailTakenError,
  VersionConflictError,
  AlreadyMemberError,
  LastOwnerError,
  InvalidTransitionError,
  UserNotActiveError,
} from '../services/errors';

// Entities and the table they define
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
} from '../entities';
export type { TableOptions, UserStatus, OrganizationPlan, MemberRole, OrderStatus, OpenOrderStatus } from '../entities';

// Access-pattern catalog, runners and seed
export { catalog } from '../access-patterns/catalog';
export type { AccessPatternName } from '../access-patterns/catalog';
export { createPatternRunners } from '../access-patterns/runners';
export { seedReferenceData } from '../access-patterns/seed';
export type { SeedData, SeedOptions as ReferenceSeedOptions } from '../access-patterns/seed';
