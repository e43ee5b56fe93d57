/**
 * Table lifecycle, GSI backfill by engine clock, storage faults and change events.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.OnlineOps.html
 */
import { createEngine } from '../../../src/engine';
import { call, engineWithTable, fails, N, S } from './helpers';

describe('engine tables, faults and events', () => {
  test('table names are case-sensitive; a second table of the same name is refused', () => {
    const e = engineWithTable({}, 'Foo1');
    engineWithTable();
    const def = { BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] };
    call(e, 'CreateTable', { TableName: 'foo1', ...def });
    expect(fails(e, 'CreateTable', { TableName: 'foo1', ...def }).type).toBe('ResourceInUseException');
    expect(fails(e, 'CreateTable', { TableName: 'a b', ...def }).message).toMatch(/regular expression pattern/);
    expect(call(e, 'ListTables', {}).TableNames).toEqual(['Foo1', 'foo1']);
    expect(call(e, 'ListTables', { Limit: 1 })).toEqual({ TableNames: ['Foo1'], LastEvaluatedTableName: 'Foo1' });
  });

  test('one index create per UpdateTable; a new GSI backfills by engine clock', () => {
    let now = 0;
    const e = engineWithTable({ clock: () => now, indexBackfillMs: 1000 });
    call(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('a'), sk: S('1'), st: S('open') } });
    const create = (name: string) => ({ Create: { IndexName: name, KeySchema: [{ AttributeName: 'st', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } } });
    const defs = [{ AttributeName: 'st', AttributeType: 'S' }];
    expect(fails(e, 'UpdateTable', { TableName: 'tbl', AttributeDefinitions: defs, GlobalSecondaryIndexUpdates: [create('st1'), create('st2')] }).type).toBe('LimitExceededException');
    const r = call(e, 'UpdateTable', { TableName: 'tbl', AttributeDefinitions: defs, GlobalSecondaryIndexUpdates: [create('st1')] });
    const gsi = ((r.TableDescription as Record<string, unknown>).GlobalSecondaryIndexes as Array<Record<string, unknown>>).find((g) => g.IndexName === 'st1');
    expect(gsi).toMatchObject({ IndexStatus: 'CREATING', Backfilling: true });
    const q = { TableName: 'tbl', IndexName: 'st1', KeyConditionExpression: 'st = :s', ExpressionAttributeValues: { ':s': S('open') } };
    expect(fails(e, 'Query', q).type).toBe('ValidationException');
    now = 1000;
    expect(call(e, 'Query', q).Items).toEqual([{ pk: S('a'), sk: S('1'), st: S('open') }]);
  });

  test('GSI lag: index reads see the old state until the lag has passed', () => {
    let now = 0;
    const e = engineWithTable({ clock: () => now, faults: { gsiLag: { lagMs: 500 } } });
    call(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('a'), sk: S('1'), gpk: S('g'), gsk: N(1) } });
    const q = { TableName: 'tbl', IndexName: 'gsi1', KeyConditionExpression: 'gpk = :g', ExpressionAttributeValues: { ':g': S('g') } };
    expect(call(e, 'Query', q).Count).toBe(0);
    now = 500;
    expect(call(e, 'Query', q).Count).toBe(1);
    e.setFaults({ gsiLag: null });
    call(e, 'DeleteItem', { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') } });
    expect(call(e, 'Query', q).Count).toBe(0);
  });

  test('stale reads: eventually consistent reads may see the previous version; strong ones never', () => {
    let now = 0;
    const e = engineWithTable({ clock: () => now, faults: { staleReads: { windowMs: 100 } } });
    const key = { pk: S('a'), sk: S('1') };
    call(e, 'PutItem', { TableName: 'tbl', Item: { ...key, v: N(1) } });
    call(e, 'PutItem', { TableName: 'tbl', Item: { ...key, v: N(2) } });
    expect(call(e, 'GetItem', { TableName: 'tbl', Key: key }).Item).toEqual({ ...key, v: N(1) });
    expect(call(e, 'GetItem', { TableName: 'tbl', Key: key, ConsistentRead: true }).Item).toEqual({ ...key, v: N(2) });
    now = 100;
    expect(call(e, 'GetItem', { TableName: 'tbl', Key: key }).Item).toEqual({ ...key, v: N(2) });
  });

  test('change events: put emits MODIFY even when identical, a no-op update emits nothing, a throwing listener is contained', () => {
    const e = createEngine({ clock: () => 42 });
    call(e, 'CreateTable', { TableName: 'events', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] });
    const seen: string[] = [];
    e.onChange(() => {
      throw new Error('observer failure');
    });
    const off = e.onChange((c) => seen.push(`${c.eventName}@${c.at}`));
    call(e, 'PutItem', { TableName: 'events', Item: { id: S('a'), v: N(1) } });
    call(e, 'PutItem', { TableName: 'events', Item: { id: S('a'), v: N(1) } });
    call(e, 'UpdateItem', { TableName: 'events', Key: { id: S('a') }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': N(1) } });
    call(e, 'DeleteItem', { TableName: 'events', Key: { id: S('a') } });
    off();
    call(e, 'PutItem', { TableName: 'events', Item: { id: S('b') } });
    expect(seen).toEqual(['INSERT@42', 'MODIFY@42', 'REMOVE@42']);
    expect(e.stats.listenerErrors).toBe(4);
  });
});
