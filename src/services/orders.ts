import { NotFoundError, TransactionCancelledError, ValidationError, entityOf, getItem, isConditionalCheckFailed, queryAll, queryPage, shaper, transactWrite, updateItem, withoutEntityFilter, type Page, parseArguments, withOptions } from '../toolkit';
import { z } from 'zod';
import { isOpenOrderStatus, Order, OrderItem, type OrderStatus } from '../entities';
import { InvalidTransitionError } from './errors';
import type { Context } from './context';
import type { OrderItemRecord, OrderRecord } from './types';
import { MAX_TIME, MIN_TIME, inactiveUserError } from './user-reads';
import {
  currencySchema,
  cursorSchema,
  idempotencyKeySchema,
  limitSchema,
  LIMITS,
  nameSchema,
  orderIdSchema,
  orderStatusSchema,
  priceSchema,
  quantitySchema,
  skuSchema,
  strict,
  timestampSchema,
  userIdSchema,
} from './validation';

const toOrder = shaper<OrderRecord>(Order);
const toItem = shaper<OrderItemRecord>(OrderItem);

/** How long an idempotency key keeps returning its first order. */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 3600;

/** The order lifecycle: anything not listed is an InvalidTransitionError. */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['paid', 'cancelled'],
  paid: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

export interface OrderWithItems {
  order: OrderRecord;
  items: OrderItemRecord[];
}

export interface PlaceOrderInput {
  items: { sku: string; name: string; quantity: number; unitPriceCents: number }[];
  currency: string;
  idempotencyKey?: string;
}

const placeOrderSchema = strict({
  userId: userIdSchema,
  items: z
      .array(strict({ sku: skuSchema, name: nameSchema, quantity: quantitySchema, unitPriceCents: priceSchema }), { error: 'must be a list of items' })
      .min(LIMITS.itemsPerOrder.min, `must hold at least ${LIMITS.itemsPerOrder.min} item`)
      // 97 items + the order + the user check + the idempotency record = 100, TransactWriteItems' limit.
      .max(LIMITS.itemsPerOrder.max, `must hold at most ${LIMITS.itemsPerOrder.max} items (one transaction holds 100 actions)`)
      .superRefine((items, issue) => {
        const seen = new Set<string>();
        items.forEach((item, i) => {
          if (seen.has(item.sku)) issue.addIssue({ code: 'custom', path: [i, 'sku'], message: 'must be unique within the order', input: item.sku });
          seen.add(item.sku);
        });
      }),
  currency: currencySchema,
  idempotencyKey: idempotencyKeySchema.optional(),
});

async function readOrderWithItems(ctx: Context, orderId: string, consistent: boolean): Promise<OrderWithItems | null> {
  const raw = await queryAll(ctx, ctx.templates.get(`orderDetails:${consistent}`, { orderId }, (s) => withoutEntityFilter(ctx.model.collections.orderDetails(s).params({ consistent }))));
  let order: OrderRecord | undefined;
  const items: OrderItemRecord[] = [];
  for (const item of raw) {
    if (entityOf(item) === 'order') order = toOrder(item);
    else if (entityOf(item) === 'orderItem') items.push(toItem(item));
  }
  return order ? { order, items } : null;
}

/** The order an idempotency key already produced, while the key is inside its window. */
async function priorOrder(ctx: Context, userId: string, idempotencyKey: string): Promise<OrderWithItems | null> {
  const request = await getItem(ctx, ctx.model.entities.orderRequest.get({ userId, idempotencyKey }).params({ consistent: true }));
  if (!request || (request.expiresAt as number) <= Math.floor(ctx.now().getTime() / 1000)) return null;
  return readOrderWithItems(ctx, request.orderId as string, true);
}

function listRange(from: string | undefined, to: string | undefined) {
  if (from && to && from > to) throw new ValidationError([{ field: 'from', rule: `must not be after to (${to})`, received: `'${from}'` }]);
  return [{ createdAt: from ?? MIN_TIME }, { createdAt: to ?? MAX_TIME }] as const;
}

export function orderPatterns(ctx: Context) {
  const { model } = ctx;
  const pageArgs = { from: timestampSchema.optional(), to: timestampSchema.optional(), limit: limitSchema, cursor: cursorSchema };
  // Argument schemas, built once: building a zod schema costs far more than checking a value with it.
  const schemas = {
    getOrderWithItems: strict({ orderId: orderIdSchema, consistent: z.boolean().optional() }),
    listOrdersForUser: strict({ userId: userIdSchema, ...pageArgs }),
    listOrdersByStatus: strict({ status: orderStatusSchema, ...pageArgs }),
    updateOrderStatus: strict({ orderId: orderIdSchema, status: orderStatusSchema }),
  };
  return {
    /**
     * Place Order: the order, its items, the user-is-active check and the idempotency record in
     * one transaction. A repeated idempotencyKey returns the first order, also when calls race.
     */
    async placeOrder(userId: string, input: PlaceOrderInput): Promise<OrderWithItems> {
      const args = parseArguments(placeOrderSchema, withOptions({ userId }, input));
      const { items, currency, idempotencyKey } = args;
      if (idempotencyKey) {
        const prior = await priorOrder(ctx, args.userId, idempotencyKey);
        if (prior) return prior;
      }
      const nowDate = ctx.now();
      const now = nowDate.toISOString();
      const nowSeconds = Math.floor(nowDate.getTime() / 1000);
      const order: OrderRecord = {
        orderId: ctx.newId(),
        userId: args.userId,
        status: 'pending',
        currency,
        totalCents: items.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0),
        itemCount: items.reduce((sum, i) => sum + i.quantity, 0),
        createdAt: now,
        updatedAt: now,
        ...(idempotencyKey ? { idempotencyKey } : {}),
      };
      const records: OrderItemRecord[] = items.map((i) => ({ orderId: order.orderId, ...i }));
      const userCheckAt = 1 + records.length;
      try {
        await transactWrite(
          ctx,
          model.transaction
            .write(({ order: o, orderItem, user, orderRequest }) => [
              o.create(order).commit(),
              ...records.map((r) => orderItem.create(r).commit()),
              user.check({ userId: args.userId }).where((a, { eq }) => eq(a.status, 'active')).commit(),
              ...(idempotencyKey
                ? [
                    orderRequest
                      .put({ userId: args.userId, idempotencyKey, orderId: order.orderId, createdAt: now, expiresAt: nowSeconds + IDEMPOTENCY_WINDOW_SECONDS })
                      // A key whose record outlived its window (TTL deletes late) may be used again.
                      .where((a, { notExists, lte }) => `${notExists(a.orderId)} OR ${lte(a.expiresAt, nowSeconds)}`)
                      .commit(),
                  ]
                : []),
            ])
            .params(),
        );
      } catch (error) {
        if (!(error instanceof TransactionCancelledError)) throw error;
        if (idempotencyKey && error.failed(userCheckAt + 1)) {
          const prior = await priorOrder(ctx, args.userId, idempotencyKey);
          if (prior) return prior;
        }
        if (error.failed(userCheckAt)) throw await inactiveUserError(ctx, args.userId);
        throw error;
      }
      return { order, items: records };
    },

    /** Get Order With Items: one collection query on the order's partition. */
    async getOrderWithItems(orderId: string, options: { consistent?: boolean } = {}): Promise<OrderWithItems | null> {
      const args = parseArguments(schemas.getOrderWithItems, withOptions({ orderId }, options));
      return readOrderWithItems(ctx, args.orderId, args.consistent ?? false);
    },

    /** List Orders For User, newest first; from/to bound createdAt on the sort key (inclusive). */
    async listOrdersForUser(
      userId: string,
      options: { from?: string | Date; to?: string | Date; limit?: number; cursor?: string | null } = {},
    ): Promise<Page<OrderRecord>> {
      const args = parseArguments(schemas.listOrdersForUser, withOptions({ userId }, options));
      const [from, to] = listRange(args.from, args.to);
      const params = ctx.templates.get('order.byUser', { userId: args.userId, from: from.createdAt, to: to.createdAt }, (s) =>
        model.entities.order.query.byUser({ userId: s.userId }).between({ createdAt: s.from }, { createdAt: s.to }).params({ order: 'desc' }),
      );
      const page = await queryPage(ctx, 'listOrdersForUser', params, args);
      return { items: page.raw.map(toOrder), cursor: page.cursor };
    },

    /** List Orders By Status (open statuses only): the sparse status index, newest first. */
    async listOrdersByStatus(
      status: OrderStatus,
      options: { from?: string | Date; to?: string | Date; limit?: number; cursor?: string | null } = {},
    ): Promise<Page<OrderRecord>> {
      const args = parseArguments(schemas.listOrdersByStatus, withOptions({ status }, options));
      if (!isOpenOrderStatus(args.status)) {
        throw new ValidationError([
          {
            field: 'status',
            received: `'${args.status}'`,
            rule: 'is a closed status: delivered and cancelled orders leave the sparse status index; list them per user with listOrdersForUser',
          },
        ]);
      }
      const [from, to] = listRange(args.from, args.to);
      const open = args.status;
      const params = ctx.templates.get(`order.byStatus:${open}`, { from: from.createdAt, to: to.createdAt }, (s) =>
        model.entities.order.query.byStatus({ status: open }).between({ createdAt: s.from }, { createdAt: s.to }).params({ order: 'desc' }),
      );
      const page = await queryPage(ctx, 'listOrdersByStatus', params, args);
      return { items: page.raw.map(toOrder), cursor: page.cursor };
    },

    /** Update Order Status: a conditional write on the status read, so of two racing moves one wins. */
    async updateOrderStatus(orderId: string, status: OrderStatus): Promise<OrderRecord> {
      const args = parseArguments(schemas.updateOrderStatus, { orderId, status });
      const raw = await getItem(ctx, model.entities.order.get({ orderId: args.orderId }).params({ consistent: true }));
      if (!raw) throw new NotFoundError('order', args.orderId);
      const order = toOrder(raw);
      const allowed = ORDER_TRANSITIONS[order.status];
      if (!allowed.includes(args.status)) throw new InvalidTransitionError(order.status, args.status, allowed);
      try {
        const updated = await updateItem(
          ctx,
          model.entities.order
            .patch({ orderId: order.orderId })
            .set({ status: args.status, updatedAt: ctx.now().toISOString() })
            .composite({ createdAt: order.createdAt })
            .where((a, { eq }) => eq(a.status, order.status))
            .params({ response: 'all_new' }),
        );
        return toOrder(updated ?? {});
      } catch (error) {
        if (!isConditionalCheckFailed(error)) throw error;
        // Another move won the race: report the transition from where the order is now.
        const now = await getItem(ctx, model.entities.order.get({ orderId: order.orderId }).params({ consistent: true }));
        const current = now ? toOrder(now).status : order.status;
        throw new InvalidTransitionError(current, args.status, ORDER_TRANSITIONS[current]);
      }
    },
  };
}
