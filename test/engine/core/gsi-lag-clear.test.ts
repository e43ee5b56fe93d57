import { createEngine } from '../../../src/engine';

/*
 * Switching GSI lag off (faults.clear() or set({ gsiLag: null })) must not leave held index writes
 * behind newer ones: the index ends at the item's newest image, as the table does.
 */
describe('GSI lag switched off with writes still held', () => {
  it('the index ends at the newest image, not the held older one', () => {
    let now = 1_000_000;
    const engine = createEngine({ clock: () => now });
    engine.handleSync('CreateTable', {
      TableName: 'lagged',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    });
    engine.faults.set({ gsiLag: { lagMs: 5000 } });
    engine.handleSync('PutItem', { TableName: 'lagged', Item: { pk: { S: 'a' }, g: { S: 'x' }, v: { S: 'old' } } });
    engine.faults.clear();
    engine.handleSync('PutItem', { TableName: 'lagged', Item: { pk: { S: 'a' }, g: { S: 'x' }, v: { S: 'new' } } });
    now += 10_000;
    const page = engine.handleSync('Query', {
      TableName: 'lagged',
      IndexName: 'byG',
      KeyConditionExpression: 'g = :g',
      ExpressionAttributeValues: { ':g': { S: 'x' } },
    }) as { Items: Record<string, { S: string }>[] };
    expect(page.Items.map((i) => i.v?.S)).toEqual(['new']);
  });
});
