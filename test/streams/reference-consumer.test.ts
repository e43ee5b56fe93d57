import { createEngine, type Engine } from '../../src/engine';
import { FaultInjector, ModelError, defineModel } from '../../src/toolkit';
import { startStreamConsumer, type LocalStreamConsumer } from '../../src/toolkit/testing';
import { membershipNames, referenceModel } from '../../src/reference';
import { checkInvariants } from '../support/invariants';
import { createModelFixture, type ModelFixture } from '../support/model-fixture';

/*
 * The reference model's stream consumer (membership-names): a rename whose inline copy stopped part
 * way (UNAVAILABLE) is completed from the user's MODIFY record, without the caller repeating it.
 */
let engine: Engine;
let f: ModelFixture;
let faults: FaultInjector;
let consumer: LocalStreamConsumer;
beforeEach(async () => {
  engine = createEngine({ seed: 5 });
  f = await createModelFixture('stream-names', { engine });
  faults = FaultInjector.attach(f.client);
  consumer = startStreamConsumer(membershipNames, { engine, tableName: f.tableName, services: f.services, retryDelayMs: () => 5, settings: { maximumRetryAttempts: -1 } });
});
afterEach(async () => {
  await consumer.stop();
  faults.clear();
  expect(await checkInvariants(f.client, f.tableName)).toEqual([]);
  await f.close();
  await engine.close();
});

const membershipUpdate = (input: Record<string, unknown>) => JSON.stringify(input.Key ?? {}).includes('membership_');

it('is declared on the reference model, its catalog marks the stream-driven write, and a trigger naming no consumer is refused', () => {
  expect(referenceModel.streamConsumers).toContain(membershipNames);
  expect(membershipNames.settings).toMatchObject({ name: 'membership-names', bisectBatchOnFunctionError: true });
  expect(referenceModel.catalog.filter((p) => 'trigger' in p && p.trigger).map((p) => p.name)).toEqual(['updateUserProfile']);
  expect(() => defineModel({ ...referenceModel, streamConsumers: [] })).toThrow(ModelError);
  expect(() => defineModel({ ...referenceModel, streamConsumers: [] })).toThrow(/updateUserProfile: trigger.stream "membership-names" names no consumer/);
});

it('completes the name copies of a rename that failed part way, once DynamoDB answers again', async () => {
  // (jest's 5 s: the SDK's own retries of each failed copy take a while)
  const owner = await f.services.createUser({ email: `o-${Date.now()}@example.com`, name: 'Owner' });
  const user = await f.services.createUser({ email: `u-${Date.now()}@example.com`, name: 'Before' });
  const orgs = await Promise.all([0, 1].map((i) => f.services.createOrganization({ name: `Names ${i}`, ownerUserId: owner.userId })));
  for (const o of orgs) await f.services.addMember(o.orgId, user.userId, 'member');
  faults.inject({ fault: 'internalServerError', operation: 'UpdateItem', match: membershipUpdate, times: 'always' });
  await expect(f.services.updateUserProfile(user.userId, { name: 'After' }, { expectedVersion: user.version })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  // Nobody repeats the call: the consumer does, retrying while the copies keep failing.
  for (let i = 0; i < 400 && consumer.errors.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
  expect(consumer.errors.length).toBeGreaterThan(0);
  faults.clear();
  await consumer.drain();
  expect((await f.services.listUserOrganizations(user.userId)).items.map((m) => m.userName)).toEqual(['After', 'After']);
  expect((await f.services.getUserById(user.userId, { consistent: true }))?.version).toBe(user.version + 1);
  const stats = consumer.stats().handlers.find((h) => h.handler === 'user.modify');
  expect(stats?.records).toBeGreaterThanOrEqual(1);
}, 30_000);

it('leaves a newer rename alone: the older record finds VERSION_CONFLICT and the copies hold the newest name', async () => {
  const owner = await f.services.createUser({ email: `o2-${Date.now()}@example.com`, name: 'Owner' });
  const user = await f.services.createUser({ email: `u2-${Date.now()}@example.com`, name: 'One' });
  const org = await f.services.createOrganization({ name: 'Race', ownerUserId: owner.userId });
  await f.services.addMember(org.orgId, user.userId, 'member');
  await f.services.updateUserProfile(user.userId, { name: 'Two' });
  await f.services.updateUserProfile(user.userId, { name: 'Three' });
  await consumer.drain();
  expect((await f.services.listUserOrganizations(user.userId)).items.map((m) => m.userName)).toEqual(['Three']);
  expect(consumer.discarded).toEqual([]);
});
