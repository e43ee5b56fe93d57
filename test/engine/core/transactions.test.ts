/**
 * TransactWriteItems: all or nothing, reasons in request order, idempotency tokens.
 * https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
import { call, engineWithTable, fails, S } from './helpers';

describe('engine transactions', () => {
  test('a cancelled transaction changes nothing and lists reasons in order', () => {
    const e = engineWithTable();
    call(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('a'), sk: S('1'), v: S('old') } });
    const err = fails(e, 'TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'tbl', Item: { pk: S('b'), sk: S('1') } } },
        { Update: { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') }, UpdateExpression: 'SET v = :v', ConditionExpression: 'v = :x', ExpressionAttributeValues: { ':v': S('new'), ':x': S('nope') }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } },
      ],
    });
    expect(err.type).toBe('TransactionCanceledException');
    expect(err.extra?.CancellationReasons).toEqual([{ Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { pk: S('a'), sk: S('1'), v: S('old') } }]);
    expect(call(e, 'GetItem', { TableName: 'tbl', Key: { pk: S('b'), sk: S('1') } }).Item).toBeUndefined();
  });

  test('the same item twice is refused', () => {
    const e = engineWithTable();
    const err = fails(e, 'TransactWriteItems', {
      TransactItems: [{ Put: { TableName: 'tbl', Item: { pk: S('a'), sk: S('1') } } }, { Delete: { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') } } }],
    });
    expect(err.message).toBe('Transaction request cannot include multiple operations on one item');
  });

  test('ClientRequestToken: applied once within 10 minutes of engine clock, other parameters refused', () => {
    let now = 1_000_000;
    const e = engineWithTable({ clock: () => now });
    const events: string[] = [];
    e.onChange((c) => events.push(c.eventName));
    const req = { ClientRequestToken: 'tok', TransactItems: [{ Update: { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } }] };
    call(e, 'TransactWriteItems', req);
    call(e, 'TransactWriteItems', req);
    expect(call(e, 'GetItem', { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') } }).Item).toEqual({ pk: S('a'), sk: S('1'), n: { N: '1' } });
    const other = { ...req, TransactItems: [{ Delete: { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') } } }] };
    expect(fails(e, 'TransactWriteItems', other).type).toBe('IdempotentParameterMismatchException');
    now += 10 * 60 * 1000;
    call(e, 'TransactWriteItems', req);
    expect(call(e, 'GetItem', { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') } }).Item).toEqual({ pk: S('a'), sk: S('1'), n: { N: '2' } });
    expect(events).toEqual(['INSERT', 'MODIFY']);
  });

  test('ClientRequestToken: a token recorded before the clock was set back still expires 10 minutes after it was recorded', () => {
    let now = 5_000_000;
    const e = engineWithTable({ clock: () => now });
    const add = (token: string) => ({ ClientRequestToken: token, TransactItems: [{ Update: { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') }, UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': { N: '1' } } } }] });
    call(e, 'TransactWriteItems', add('late'));
    now -= 60_000; // the clock goes back: 'early' is recorded after 'late' with an earlier time
    call(e, 'TransactWriteItems', add('early'));
    now += 60_000 + 10 * 60 * 1000 - 1; // 'late' is 1 ms short of expiry, 'early' expired
    call(e, 'TransactWriteItems', add('late'));
    call(e, 'TransactWriteItems', add('early'));
    expect(call(e, 'GetItem', { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') } }).Item).toEqual({ pk: S('a'), sk: S('1'), n: { N: '3' } });
  });

  test('one condition text sent with other names and values is evaluated with each request\'s own', () => {
    const e = engineWithTable();
    call(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('a'), sk: S('1'), x: S('one'), y: S('two') } });
    const check = (name: string, value: string) => ({ TransactItems: [{ ConditionCheck: { TableName: 'tbl', Key: { pk: S('a'), sk: S('1') }, ConditionExpression: '#c0 = :c0', ExpressionAttributeNames: { '#c0': name }, ExpressionAttributeValues: { ':c0': S(value) } } }] });
    call(e, 'TransactWriteItems', check('x', 'one'));
    call(e, 'TransactWriteItems', check('y', 'two'));
    expect(fails(e, 'TransactWriteItems', check('x', 'two')).type).toBe('TransactionCanceledException');
    expect(fails(e, 'TransactWriteItems', check('y', 'one')).type).toBe('TransactionCanceledException');
  });

  test('batch writes refuse the same item twice and more than 25 requests', () => {
    const e = engineWithTable();
    const put = { PutRequest: { Item: { pk: S('a'), sk: S('1') } } };
    expect(fails(e, 'BatchWriteItem', { RequestItems: { tbl: [put, put] } }).message).toBe('Provided list of item keys contains duplicates');
    const many = Array.from({ length: 26 }, (_, i) => ({ PutRequest: { Item: { pk: S(`${i}`), sk: S('1') } } }));
    expect(fails(e, 'BatchWriteItem', { RequestItems: { tbl: many } }).type).toBe('ValidationException');
    expect(call(e, 'Scan', { TableName: 'tbl' }).Count).toBe(0);
  });
});
