import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { Entity } from 'electrodb';
import { shaper } from '../../src/toolkit';
import { createModelFixture, type ModelFixture } from '../support/model-fixture';

/*
 * What a service returns is the entity's own attributes minus the model's bookkeeping: users
 * carry an internal ownershipEpoch (bumped when they gain or lose an owner role), which no read
 * pattern may return.
 */
const Ticket = new Entity({
  model: { entity: 'ticket', version: '1', service: 'desk' },
  attributes: { ticketId: { type: 'string', required: true }, title: { type: 'string' }, revision: { type: 'number' } },
  indexes: { byId: { pk: { field: 'pk', composite: ['ticketId'] }, sk: { field: 'sk', composite: [] } } },
});

describe('shaper', () => {
  it('copies only the entity attributes, and leaves out the omitted ones', () => {
    const raw = { pk: '$desk#ticketid_1', sk: '$ticket_1', __edb_e__: 'ticket', __edb_v__: '1', ticketId: '1', title: 'Printer', revision: 3 };
    expect(shaper(Ticket)(raw)).toEqual({ ticketId: '1', title: 'Printer', revision: 3 });
    expect(shaper(Ticket, { omit: ['revision'] })(raw)).toEqual({ ticketId: '1', title: 'Printer' });
  });

  it('leaves out attributes the item does not have, rather than setting them to undefined', () => {
    expect(Object.keys(shaper<Record<string, unknown>>(Ticket)({ ticketId: '2' }))).toEqual(['ticketId']);
  });
});

describe('reference model reads', () => {
  let f: ModelFixture;
  beforeAll(async () => {
    f = await createModelFixture('returned-items');
  });
  afterAll(async () => {
    await f.close();
  });

  it('never return the internal ownershipEpoch of a user who owns an organization', async () => {
    const user = await f.services.createUser({ email: `epoch-${Date.now()}@example.com`, name: 'Owner' });
    await f.services.createOrganization({ name: 'Owned', ownerUserId: user.userId });
    const stored = await f.client.send(new ScanCommand({ TableName: f.tableName }));
    expect(stored.Items?.some((item) => item.ownershipEpoch !== undefined)).toBe(true);

    const expected = ['userId', 'email', 'name', 'status', 'createdAt', 'updatedAt', 'version', 'statusShard'].sort();
    const byId = await f.services.getUserById(user.userId);
    const byEmail = await f.services.getUserByEmail(user.email);
    const account = await f.services.getUserAccount(user.userId);
    const listed = (await f.services.listUsersByStatus('active', { limit: 100 })).items.find((u) => u.userId === user.userId);
    for (const read of [byId, byEmail, account?.user, listed]) expect(Object.keys(read ?? {}).sort()).toEqual(expected);
  });
});
