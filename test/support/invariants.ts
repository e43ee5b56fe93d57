import { ScanCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

type Item = Record<string, unknown>;

/** Reads the whole table (tests may Scan; the service never does), grouped by entity. */
export async function readAll(client: DynamoDBClient, tableName: string): Promise<Map<string, Item[]>> {
  const doc = DynamoDBDocumentClient.from(client);
  const byEntity = new Map<string, Item[]>();
  let start: Item | undefined;
  do {
    const out = await doc.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: start }));
    for (const item of out.Items ?? []) {
      const entity = String(item.__edb_e__);
      byEntity.set(entity, [...(byEntity.get(entity) ?? []), item]);
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return byEntity;
}

/**
 * The table's invariants, as a list of violations (empty when all hold):
 * email claims ↔ users one to one; memberCount = memberships and ownerCount = owner memberships
 * (at least 1), and every organization has an owner that exists; a user's membershipCount = its memberships; no membership, session or
 * idempotency record of a user that does not exist; memberships carry their user's current name;
 * order totals and item counts = their items; each idempotency key → one order.
 */
export async function checkInvariants(client: DynamoDBClient, tableName: string): Promise<string[]> {
  const all = await readAll(client, tableName);
  const get = (e: string) => all.get(e) ?? [];
  const problems: string[] = [];

  const users = new Map(get('user').map((u) => [u.userId as string, u]));
  const claims = new Map(get('emailClaim').map((c) => [c.email as string, c]));
  for (const u of users.values()) {
    const claim = claims.get(u.email as string);
    if (!claim || claim.userId !== u.userId) problems.push(`user ${u.userId} has email ${u.email} but the claim says ${claim?.userId ?? 'nobody'}`);
  }
  for (const c of claims.values()) {
    const owner = users.get(c.userId as string);
    if (!owner || owner.email !== c.email) problems.push(`claim ${c.email} points to ${c.userId}, whose email is ${owner?.email ?? '(no user)'}`);
  }
  const emails = [...users.values()].map((u) => u.email as string);
  if (new Set(emails).size !== emails.length) problems.push('two users share an email');

  const memberships = get('membership');
  const orgs = new Set(get('organization').map((o) => o.orgId as string));
  for (const org of get('organization')) {
    const members = memberships.filter((m) => m.orgId === org.orgId);
    const owners = members.filter((m) => m.role === 'owner').length;
    if (org.memberCount !== members.length) problems.push(`org ${org.orgId} memberCount ${org.memberCount}, memberships ${members.length}`);
    if (org.ownerCount !== owners) problems.push(`org ${org.orgId} ownerCount ${org.ownerCount}, owners ${owners}`);
    if (owners < 1) problems.push(`org ${org.orgId} has no owner`);
    if (!members.some((m) => m.role === 'owner' && users.has(m.userId as string))) problems.push(`org ${org.orgId} has no owner that exists`);
  }
  for (const m of memberships) {
    const user = users.get(m.userId as string);
    if (!user) problems.push(`membership ${m.orgId}/${m.userId} (${m.role}) belongs to a user that does not exist`);
    else if (m.userName !== user.name) problems.push(`membership ${m.orgId}/${m.userId} says userName ${JSON.stringify(m.userName)}, the user is ${JSON.stringify(user.name)}`);
    if (!orgs.has(m.orgId as string)) problems.push(`membership ${m.orgId}/${m.userId} belongs to an organization that does not exist`);
  }
  // The user's own count of its memberships (deleteUser and renames rely on it: gsi1 lags).
  for (const u of users.values()) {
    const mine = memberships.filter((m) => m.userId === u.userId).length;
    if ((u.membershipCount ?? 0) !== mine) problems.push(`user ${u.userId} counts ${u.membershipCount ?? 0} memberships, the table has ${mine}`);
  }
  for (const s of get('session')) if (!users.has(s.userId as string)) problems.push(`session ${s.sessionId} belongs to user ${s.userId}, who does not exist`);
  for (const r of get('orderRequest')) if (!users.has(r.userId as string)) problems.push(`idempotency record ${r.userId}/${r.idempotencyKey} belongs to a user that does not exist`);

  const items = get('orderItem');
  for (const order of get('order')) {
    const mine = items.filter((i) => i.orderId === order.orderId);
    const total = mine.reduce((s, i) => s + (i.quantity as number) * (i.unitPriceCents as number), 0);
    const count = mine.reduce((s, i) => s + (i.quantity as number), 0);
    if (order.totalCents !== total || order.itemCount !== count) problems.push(`order ${order.orderId} total ${order.totalCents}/${order.itemCount}, items say ${total}/${count}`);
  }
  const keyed = new Map<string, number>();
  for (const order of get('order').filter((o) => o.idempotencyKey)) {
    const k = `${order.userId}/${order.idempotencyKey}`;
    keyed.set(k, (keyed.get(k) ?? 0) + 1);
  }
  for (const [k, n] of keyed) if (n > 1) problems.push(`idempotency key ${k} produced ${n} orders`);
  for (const r of get('orderRequest')) {
    if (!get('order').some((o) => o.orderId === r.orderId)) problems.push(`idempotency record ${r.userId}/${r.idempotencyKey} points to missing order ${r.orderId}`);
  }
  return problems;
}
