import type { EntityItem } from 'electrodb';
import type { EmailClaim, Membership, Order, OrderItem, OrderRequest, Organization, Session, User } from '../entities';

/** The items the service returns: ElectroDB's inferred types of the reference entities. */
export type UserItem = EntityItem<typeof User>;
export type EmailClaimItem = EntityItem<typeof EmailClaim>;
export type OrganizationItem = EntityItem<typeof Organization>;
export type MembershipItem = EntityItem<typeof Membership>;
export type OrderItemRecord = EntityItem<typeof OrderItem>;
export type OrderRecord = EntityItem<typeof Order>;
export type OrderRequestItem = EntityItem<typeof OrderRequest>;
export type SessionItem = EntityItem<typeof Session>;
