import { InvalidTransitionError, UserNotActiveError } from '../../src/reference';
import { NotFoundError, ValidationError } from '../../src/toolkit';
import type { OrderRecord, UserItem } from '../../src/reference';
import { collectPages, createModelFixture, type ModelFixture } from '../support/model-fixture';

let f: ModelFixture;
beforeAll(async () => {
  f = await createModelFixture('orders');
});
afterAll(() => f.close());

let seq = 0;
async function newUser(): Promise<UserItem> {
  seq += 1;
  return f.services.createUser({ email: `buyer-${seq}-${Date.now()}@example.com`, name: `Buyer ${seq}` });
}
const item = (sku: string, quantity = 1, unitPriceCents = 250) => ({ sku, name: `Item ${sku}`, quantity, unitPriceCents });
const UNKNOWN = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

describe('placeOrder', () => {
  it('writes the order and its items in one transaction, computing total and count', async () => {
    const user = await newUser();
    const placed = await f.expectPattern('placeOrder', () =>
      f.services.placeOrder(user.userId, { currency: 'usd', items: [item('A-1', 2, 1000), item('B-2', 3, 250)] }),
    );
    expect(placed.order).toMatchObject({ userId: user.userId, status: 'pending', currency: 'USD', totalCents: 2750, itemCount: 5 });
    expect(placed.items.map((i) => i.sku)).toEqual(['A-1', 'B-2']);
    expect(await f.services.getOrderWithItems(placed.order.orderId, { consistent: true })).toEqual(placed);
  });

  it('returns the first order for a repeated idempotency key and never writes a second one', async () => {
    const user = await newUser();
    const first = await f.expectPattern('placeOrder', () => f.services.placeOrder(user.userId, { currency: 'EUR', items: [item('X')], idempotencyKey: 'checkout-1' }));
    const again = await f.expectPattern('placeOrder', () => f.services.placeOrder(user.userId, { currency: 'EUR', items: [item('X')], idempotencyKey: 'checkout-1' }));
    expect(again).toEqual(first);
    expect((await f.services.listOrdersForUser(user.userId)).items).toHaveLength(1);
    // the key is per user: another user's identical key is a new order
    const other = await newUser();
    const theirs = await f.services.placeOrder(other.userId, { currency: 'EUR', items: [item('X')], idempotencyKey: 'checkout-1' });
    expect(theirs.order.orderId).not.toBe(first.order.orderId);
  });

  it('accepts a key again once its idempotency window has passed', async () => {
    const user = await newUser();
    const first = await f.services.placeOrder(user.userId, { currency: 'EUR', items: [item('Y')], idempotencyKey: 'window' });
    f.clock.advance(24 * 3600 + 1);
    const later = await f.services.placeOrder(user.userId, { currency: 'EUR', items: [item('Y')], idempotencyKey: 'window' });
    expect(later.order.orderId).not.toBe(first.order.orderId);
  });

  it('refuses unknown and inactive users, writing nothing', async () => {
    await expect(f.services.placeOrder(UNKNOWN, { currency: 'EUR', items: [item('Z')] })).rejects.toBeInstanceOf(NotFoundError);
    const user = await newUser();
    await f.services.setUserStatus(user.userId, 'deactivated');
    await expect(f.services.placeOrder(user.userId, { currency: 'EUR', items: [item('Z')] })).rejects.toBeInstanceOf(UserNotActiveError);
    expect((await f.services.listOrdersForUser(user.userId)).items).toEqual([]);
  });

  it.each([
    [{ currency: 'EUR', items: [] }, 'items', 'must hold at least 1 item'],
    [{ currency: 'EUR', items: Array.from({ length: 98 }, (_, i) => item(`S${i}`)) }, 'items', 'must hold at most 97 items (one transaction holds 100 actions)'],
    [{ currency: 'EUR', items: [item('A'), item('A')] }, 'items.1.sku', 'must be unique within the order'],
    [{ currency: 'EUR', items: [item('A', 0)] }, 'items.0.quantity', 'must be at least 1'],
    [{ currency: 'EUR', items: [item('A', 1.5)] }, 'items.0.quantity', 'must be a whole number'],
    [{ currency: 'EUR', items: [item('A', 1, -1)] }, 'items.0.unitPriceCents', 'must be at least 0'],
    [{ currency: 'EURO', items: [item('A')] }, 'currency', 'must be a 3-letter ISO 4217 currency code'],
    [{ currency: 'EUR', items: [item('A#B')] }, 'items.0.sku', 'must be 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit'],
  ])('rejects bad input %#: %s → %s', async (input, field, rule) => {
    const user = await newUser();
    const { result, requests } = await f.requestsOf(() => f.services.placeOrder(user.userId, input).catch((e: unknown) => e));
    expect(result).toBeInstanceOf(ValidationError);
    expect(result).toMatchObject({ field, rule });
    expect(requests).toHaveLength(0);
  });

  it('takes the largest order that fits one transaction (97 items)', async () => {
    const user = await newUser();
    const big = await f.services.placeOrder(user.userId, { currency: 'JPY', items: Array.from({ length: 97 }, (_, i) => item(`SKU-${String(i).padStart(2, '0')}`, 1, 100)), idempotencyKey: 'big' });
    expect(big.order).toMatchObject({ itemCount: 97, totalCents: 9700 });
    expect((await f.services.getOrderWithItems(big.order.orderId))?.items).toHaveLength(97);
  });
});

describe('getOrderWithItems', () => {
  it('returns the order and its items from one Query, null when unknown', async () => {
    const user = await newUser();
    const placed = await f.services.placeOrder(user.userId, { currency: 'GBP', items: [item('C-3'), item('a-1'), item('A-1')] });
    const read = await f.expectPattern('getOrderWithItems', () => f.services.getOrderWithItems(placed.order.orderId));
    expect(read?.order).toEqual(placed.order);
    // SKUs keep their case: A-1 and a-1 are two items
    expect(read?.items.map((i) => i.sku).sort()).toEqual(['A-1', 'C-3', 'a-1']);
    expect(await f.expectPattern('getOrderWithItems', () => f.services.getOrderWithItems(UNKNOWN))).toBeNull();
  });
});

describe('listOrdersForUser', () => {
  it('returns newest first across pages, one Query per page, and a date range on the sort key', async () => {
    const user = await newUser();
    const placed: OrderRecord[] = [];
    for (let i = 0; i < 5; i += 1) {
      f.clock.advance(3600);
      placed.push((await f.services.placeOrder(user.userId, { currency: 'EUR', items: [item(`P${i}`)] })).order);
    }
    const { items, pages } = await collectPages((cursor) => f.expectPattern('listOrdersForUser', () => f.services.listOrdersForUser(user.userId, { limit: 2, cursor })));
    expect(pages).toBe(3);
    expect(items.map((o) => o.orderId)).toEqual(placed.map((o) => o.orderId).reverse());

    const ranged = await f.expectPattern('listOrdersForUser', () =>
      f.services.listOrdersForUser(user.userId, { from: placed[1]?.createdAt, to: placed[3]?.createdAt }),
    );
    expect(ranged.items.map((o) => o.orderId)).toEqual([placed[3], placed[2], placed[1]].map((o) => o?.orderId));
    expect((await f.services.listOrdersForUser(user.userId, { from: '2000-01-01T00:00:00Z', to: '2000-12-31T00:00:00Z' })).items).toEqual([]);
  });

  it('rejects a range whose start is after its end', async () => {
    const user = await newUser();
    await expect(f.services.listOrdersForUser(user.userId, { from: '2026-02-01T00:00:00Z', to: '2026-01-01T00:00:00Z' })).rejects.toMatchObject({
      code: 'VALIDATION',
      field: 'from',
    });
  });
});

describe('listOrdersByStatus', () => {
  it('lists open orders newest first; an order leaves the sparse index when delivered or cancelled', async () => {
    const f2 = await createModelFixture('orders-status');
    try {
      const user = await f2.services.createUser({ email: 'status-buyer@example.com', name: 'Status Buyer' });
      const orders: OrderRecord[] = [];
      for (let i = 0; i < 4; i += 1) {
        f2.clock.advance(60);
        orders.push((await f2.services.placeOrder(user.userId, { currency: 'EUR', items: [item(`Q${i}`)] })).order);
      }
      const pending = await collectPages((cursor) => f2.expectPattern('listOrdersByStatus', () => f2.services.listOrdersByStatus('pending', { limit: 3, cursor })));
      expect(pending.items.map((o) => o.orderId)).toEqual(orders.map((o) => o.orderId).reverse());

      const [a, b] = orders as [OrderRecord, OrderRecord];
      await f2.services.updateOrderStatus(a.orderId, 'paid');
      await f2.services.updateOrderStatus(a.orderId, 'shipped');
      await f2.services.updateOrderStatus(a.orderId, 'delivered');
      await f2.services.updateOrderStatus(b.orderId, 'cancelled');
      const stillPending = await f2.services.listOrdersByStatus('pending');
      expect(stillPending.items.map((o) => o.orderId)).toEqual([orders[3], orders[2]].map((o) => o?.orderId));
      expect((await f2.services.listOrdersByStatus('shipped')).items).toEqual([]);
      // the sparse index holds no closed orders at all: their gsi3 keys are removed
      const raw = await f2.requestsOf(() => f2.services.listOrdersByStatus('paid'));
      expect(raw.result.items).toEqual([]);
    } finally {
      await f2.close();
    }
  });

  it('rejects a closed status with a ValidationError that says why', async () => {
    const error = await f.services.listOrdersByStatus('delivered').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toMatch(/^status: 'delivered' is a closed status: .*sparse status index.*listOrdersForUser/);
  });
});

describe('updateOrderStatus', () => {
  it('follows the lifecycle pending → paid → shipped → delivered with one conditional write each', async () => {
    const user = await newUser();
    const { order } = await f.services.placeOrder(user.userId, { currency: 'EUR', items: [item('L')] });
    for (const status of ['paid', 'shipped', 'delivered'] as const) {
      const moved = await f.expectPattern('updateOrderStatus', () => f.services.updateOrderStatus(order.orderId, status));
      expect(moved.status).toBe(status);
    }
  });

  it('refuses transitions the lifecycle does not allow', async () => {
    const user = await newUser();
    const { order } = await f.services.placeOrder(user.userId, { currency: 'EUR', items: [item('M')] });
    await expect(f.services.updateOrderStatus(order.orderId, 'shipped')).rejects.toBeInstanceOf(InvalidTransitionError);
    await f.services.updateOrderStatus(order.orderId, 'cancelled');
    const error = await f.services.updateOrderStatus(order.orderId, 'paid').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_TRANSITION', from: 'cancelled', to: 'paid' });
    expect((await f.services.getOrderWithItems(order.orderId, { consistent: true }))?.order.status).toBe('cancelled');
  });

  it('reports an unknown order as NotFoundError', async () => {
    await expect(f.services.updateOrderStatus(UNKNOWN, 'paid')).rejects.toBeInstanceOf(NotFoundError);
  });
});
