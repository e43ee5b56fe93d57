/**
 * Hand-written request sequences, run by the same harness as the generated corpus: the cases a
 * reader would look for first, written out so a regression names itself.
 */
import type { JsonObject, Sequence, Step } from './runner';
import type { Json } from './wire';

const b64 = (bytes: number[]): string => Buffer.from(bytes).toString('base64');
const req = (op: string, json: Json, note?: string): Step => ({ op, body: { json }, ...(note ? { note } : {}) });
const raw = (op: string, text: string, note: string): Step => ({ op, body: { raw: text }, note });

function table(name: string, hash: [string, 'S' | 'N' | 'B'], range?: [string, 'S' | 'N' | 'B'], extra: JsonObject = {}): Step {
  const defs: Json[] = [{ AttributeName: hash[0], AttributeType: hash[1] }];
  const keys: Json[] = [{ AttributeName: hash[0], KeyType: 'HASH' }];
  if (range) {
    defs.push({ AttributeName: range[0], AttributeType: range[1] });
    keys.push({ AttributeName: range[0], KeyType: 'RANGE' });
  }
  const extraDefs = (extra.AttributeDefinitions as Json[] | undefined) ?? [];
  return req('CreateTable', { TableName: name, BillingMode: 'PAY_PER_REQUEST', ...extra, AttributeDefinitions: [...defs, ...extraDefs], KeySchema: keys });
}

const drop = (name: string): Step => req('DeleteTable', { TableName: name });

/** Puts one item per sort key value, then reads them back in both directions. */
function orderCase(name: string, type: 'S' | 'N' | 'B', values: string[]): Sequence {
  return {
    name,
    steps: [
      table(name, ['pk', 'S'], ['sk', type]),
      ...values.map((v) => req('PutItem', { TableName: name, Item: { pk: { S: 'p' }, sk: { [type]: v } } })),
      req('Query', { TableName: name, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }),
      req('Query', { TableName: name, KeyConditionExpression: 'pk = :p', ScanIndexForward: false, ExpressionAttributeValues: { ':p': { S: 'p' } } }),
      ...values.map((v) => req('Query', {
        TableName: name, KeyConditionExpression: 'pk = :p AND sk > :v', ExpressionAttributeValues: { ':p': { S: 'p' }, ':v': { [type]: v } },
      })),
      { op: 'Query', pageAll: { TableName: name, KeyConditionExpression: 'pk = :p', Limit: 2, ExpressionAttributeValues: { ':p': { S: 'p' } } } },
      drop(name),
    ],
  };
}

const EDGE_NUMBERS = ['-9.9999999999999999999999999999999999999E+125', '-1', '-1E-130', '0', '1E-130', '0.5', '1.50', '2', '10',
  '99999999999999999999999999999999999999', '9.9999999999999999999999999999999999999E+125'];

export const HAND_WRITTEN: Sequence[] = [
  // '\uFFFF' is after '😀' in UTF-16 and before it in UTF-8: DynamoDB orders by UTF-8 bytes.
  orderCase('hand_order_s', 'S', ['a', 'z', 'é', '\uFFFF', '😀', 'A', 'ab', ' ']),
  orderCase('hand_order_n', 'N', EDGE_NUMBERS),
  orderCase('hand_order_b', 'B', [[0], [0x7f], [0x80], [0xff], [0xff, 0], [0, 0]].map(b64)),
  {
    name: 'hand_condition_utf8',
    steps: [
      table('hand_condition_utf8', ['pk', 'S']),
      req('PutItem', { TableName: 'hand_condition_utf8', Item: { pk: { S: 'k' }, s: { S: '\uFFFF' } } }),
      // UTF-8: '\uFFFF' (EF BF BF) < '😀' (F0 9F 98 80); UTF-16 says the opposite.
      req('PutItem', { TableName: 'hand_condition_utf8', Item: { pk: { S: 'k' }, s: { S: 'x' } }, ConditionExpression: 's < :v', ExpressionAttributeValues: { ':v': { S: '😀' } } }),
      req('GetItem', { TableName: 'hand_condition_utf8', Key: { pk: { S: 'k' } } }),
      drop('hand_condition_utf8'),
    ],
  },
  {
    name: 'hand_numbers',
    steps: [
      table('hand_numbers', ['pk', 'N']),
      ...['007', '1.50', '-0', '0.0', '1E+2', '5E-3', '123456789012345678901234567890123456789', '1E+126', '1E-131'].map((n) =>
        req('PutItem', { TableName: 'hand_numbers', Item: { pk: { N: '1' }, n: { N: n } }, ReturnValues: 'ALL_OLD' }, `number ${n}`)),
      req('UpdateItem', { TableName: 'hand_numbers', Key: { pk: { N: '1' } }, UpdateExpression: 'SET n = :a + :b', ExpressionAttributeValues: { ':a': { N: '99999999999999999999999999999999999999' }, ':b': { N: '1' } }, ReturnValues: 'ALL_NEW' }, 'sum over 38 digits'),
      req('UpdateItem', { TableName: 'hand_numbers', Key: { pk: { N: '1' } }, UpdateExpression: 'SET n = :a - :b', ExpressionAttributeValues: { ':a': { N: '0.1' }, ':b': { N: '0.3' } }, ReturnValues: 'UPDATED_NEW' }, 'exact decimal'),
      req('UpdateItem', { TableName: 'hand_numbers', Key: { pk: { N: '1' } }, UpdateExpression: 'ADD c :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ReturnValues: 'UPDATED_NEW' }),
      req('GetItem', { TableName: 'hand_numbers', Key: { pk: { N: '1.0' } } }, 'key 1.0 finds item 1'),
      drop('hand_numbers'),
    ],
  },
  {
    name: 'hand_empty_values',
    steps: [
      table('hand_empty_values', ['pk', 'S'], undefined, {
        AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
        GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
      }),
      req('PutItem', { TableName: 'hand_empty_values', Item: { pk: { S: 'a' }, s: { S: '' }, b: { B: '' }, l: { L: [{ S: '' }] }, m: { M: { e: { S: '' } } } } }),
      req('GetItem', { TableName: 'hand_empty_values', Key: { pk: { S: 'a' } } }),
      req('PutItem', { TableName: 'hand_empty_values', Item: { pk: { S: '' } } }, 'empty key'),
      req('PutItem', { TableName: 'hand_empty_values', Item: { pk: { S: 'b' }, g: { S: '' } } }, 'empty GSI key'),
      req('PutItem', { TableName: 'hand_empty_values', Item: { pk: { S: 'c' }, ss: { SS: [''] } } }, 'empty string in a set'),
      req('PutItem', { TableName: 'hand_empty_values', Item: { pk: { S: 'c' }, ss: { SS: [] } } }, 'empty set'),
      req('PutItem', { TableName: 'hand_empty_values', Item: { pk: { S: 'c' }, ss: { NS: ['1', '1.0'] } } }, 'duplicate numbers in a set'),
      req('PutItem', { TableName: 'hand_empty_values', Item: { pk: { S: 'd' }, ss: { SS: ['', ''] } } }, 'the empty string twice in a set'),
      drop('hand_empty_values'),
    ],
  },
  {
    name: 'hand_limits',
    steps: [
      table('hand_limits', ['pk', 'S'], ['sk', 'S']),
      req('PutItem', { TableName: 'hand_limits', Item: { pk: { S: 'x'.repeat(2048) }, sk: { S: 'y'.repeat(1024) } } }, 'keys at the limits'),
      req('PutItem', { TableName: 'hand_limits', Item: { pk: { S: 'x'.repeat(2049) }, sk: { S: 'y' } } }, 'partition key over'),
      req('PutItem', { TableName: 'hand_limits', Item: { pk: { S: 'x' }, sk: { S: 'é'.repeat(513) } } }, 'sort key 1026 UTF-8 bytes, 513 UTF-16 units'),
      // pk(2)+1 + sk(2)+1 + big(3) + value = 409600 exactly, then one byte over.
      req('PutItem', { TableName: 'hand_limits', Item: { pk: { S: 'a' }, sk: { S: 'b' }, big: { S: 'z'.repeat(409600 - 9) } } }, 'item of exactly 400 KB'),
      req('PutItem', { TableName: 'hand_limits', Item: { pk: { S: 'a' }, sk: { S: 'c' }, big: { S: 'z'.repeat(409600 - 8) } } }, 'item one byte over 400 KB'),
      req('GetItem', { TableName: 'hand_limits', Key: { pk: { S: 'a' }, sk: { S: 'b' } }, ProjectionExpression: 'pk', ReturnConsumedCapacity: 'TOTAL' }),
      req('GetItem', { TableName: 'hand_limits', Key: { pk: { S: 'a' }, sk: { S: 'b' } }, ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true }, '400 KB strongly consistent: 100 units'),
      drop('hand_limits'),
    ],
  },
  {
    name: 'hand_protocol',
    steps: [
      raw('PutItem', '{"TableName": ', 'malformed JSON'),
      raw('PutItem', '', 'empty body'),
      raw('PutItem', '[]', 'an array body'),
      raw('NoSuchOperation', '{}', 'unknown operation'),
      raw('DynamoDB_20120810.', '{}', 'empty operation'),
      raw('DynamoDBStreams_20120810.GetItem', '{}', 'the streams prefix with a table operation'),
      raw('ListTables', '{"__proto__": {"x": 1}, "Limit": 1}', '__proto__ in the body'),
      req('ListTables', { Limit: 0 }),
      req('ListTables', { Limit: 101 }),
      req('ListTables', { ExclusiveStartTableName: 'a b' }),
      req('GetItem', { TableName: 'nosuchtable', Key: { pk: { S: 'a' } } }),
    ],
  },
  {
    name: 'hand_hostile_names',
    steps: [
      table('hand_hostile_names', ['pk', 'S']),
      raw('PutItem', '{"TableName":"hand_hostile_names","Item":{"pk":{"S":"a"},"__proto__":{"S":"p"},"constructor":{"M":{"__proto__":{"N":"1"}}}}}', '__proto__ as an attribute name'),
      req('GetItem', { TableName: 'hand_hostile_names', Key: { pk: { S: 'a' } } }),
      req('UpdateItem', { TableName: 'hand_hostile_names', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET #p = :v', ExpressionAttributeNames: { '#p': '__proto__' }, ExpressionAttributeValues: { ':v': { S: 'q' } }, ReturnValues: 'ALL_NEW' }),
      req('PutItem', { TableName: 'hand_hostile_names', Item: { pk: { S: '${x}"\'\u0000\u001f' }, 'a"b': { S: '\u2028' } } }),
      req('Query', { TableName: 'hand_hostile_names', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: '${x}"\'\u0000\u001f' } } }),
      drop('hand_hostile_names'),
    ],
  },
  {
    name: 'hand_expressions',
    steps: [
      table('hand_expressions', ['pk', 'S']),
      req('PutItem', { TableName: 'hand_expressions', Item: { pk: { S: 'a' }, m: { M: { x: { L: [{ N: '1' }, { S: 's' }] } } }, ss: { SS: ['a', 'b'] } } }),
      req('GetItem', { TableName: 'hand_expressions', Key: { pk: { S: 'a' } }, ProjectionExpression: 'm.x[1], ss' }),
      req('PutItem', { TableName: 'hand_expressions', Item: { pk: { S: 'a' } }, ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }, 'the old item in the error'),
      req('GetItem', { TableName: 'hand_expressions', Key: { pk: { S: 'a' } }, ProjectionExpression: 'm.x, m.x[0]' }, 'overlapping projection'),
      req('GetItem', { TableName: 'hand_expressions', Key: { pk: { S: 'a' } }, ProjectionExpression: 'status' }, 'reserved word'),
      req('UpdateItem', { TableName: 'hand_expressions', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET m.y = :v', ExpressionAttributeValues: { ':v': { S: 'y' }, ':w': { S: 'unused' } } }, 'unused value'),
      req('UpdateItem', { TableName: 'hand_expressions', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET nope.y = :v', ExpressionAttributeValues: { ':v': { S: 'y' } } }, 'path into a missing map'),
      req('UpdateItem', { TableName: 'hand_expressions', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET m.x[5] = :v REMOVE m.x[0]', ExpressionAttributeValues: { ':v': { S: 'y' } }, ReturnValues: 'ALL_NEW' }, 'list index past the end appends'),
      req('UpdateItem', { TableName: 'hand_expressions', Key: { pk: { S: 'a' } }, UpdateExpression: 'ADD ss :s DELETE ss :d', ExpressionAttributeValues: { ':s': { SS: ['c'] }, ':d': { SS: ['a'] } } }, 'ADD and DELETE on one set'),
      req('UpdateItem', { TableName: 'hand_expressions', Key: { pk: { S: 'a' } }, UpdateExpression: 'ADD ss :s', ExpressionAttributeValues: { ':s': { SS: ['c'] } }, ReturnValues: 'UPDATED_OLD' }),
      req('UpdateItem', { TableName: 'hand_expressions', Key: { pk: { S: 'a' } }, UpdateExpression: 'DELETE ss :d', ExpressionAttributeValues: { ':d': { SS: ['a', 'b', 'c'] } }, ReturnValues: 'ALL_NEW' }, 'deleting every member removes the set'),
      req('UpdateItem', { TableName: 'hand_expressions', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'b' } } }, 'key attribute'),
      req('UpdateItem', { TableName: 'hand_expressions', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET c = list_append(:a, m.x)', ExpressionAttributeValues: { ':a': { L: [{ BOOL: true }] } }, ReturnValues: 'UPDATED_NEW' }),
      req('UpdateItem', { TableName: 'hand_expressions', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET d = if_not_exists(d, :z) + :one', ExpressionAttributeValues: { ':z': { N: '0' }, ':one': { N: '1' } }, ReturnValues: 'UPDATED_NEW' }),
      req('PutItem', { TableName: 'hand_expressions', Item: { pk: { S: 'a' } }, ConditionExpression: 'size(m.x) = :two AND attribute_type(ss, :ss) AND contains(ss, :c) AND begins_with(pk, :a) AND d IN (:one, :two)', ExpressionAttributeValues: { ':two': { N: '2' }, ':ss': { S: 'SS' }, ':c': { S: 'c' }, ':a': { S: 'a' }, ':one': { N: '1' } }, ReturnValues: 'ALL_OLD' }),
      req('DeleteItem', { TableName: 'hand_expressions', Key: { pk: { S: 'zz' } }, ConditionExpression: 'a = b' }, 'two missing attributes are not equal'),
      req('DeleteItem', { TableName: 'hand_expressions', Key: { pk: { S: 'a' } }, ConditionExpression: 'nope <> :v', ExpressionAttributeValues: { ':v': { S: 'x' } } }, 'a missing attribute and <>'),
      req('DeleteItem', { TableName: 'hand_expressions', Key: { pk: { S: 'zz' } }, ConditionExpression: 'attribute_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
      req('Query', { TableName: 'hand_expressions', KeyConditionExpression: 'pk = :a', FilterExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'a' } } }, 'filter on the key'),
      req('PutItem', { TableName: 'hand_expressions', Item: { pk: { S: 'a' }, ns: { NS: ['1', '1.0'] } }, ReturnValues: 'ALL_NEW' }, 'item error and ReturnValues error: which first'),
      req('GetItem', { TableName: 'hand_expressions', Key: { pk: { S: 'a' } }, ProjectionExpression: 'pk.x' }, 'nested path into a key'),
      drop('hand_expressions'),
    ],
  },
  {
    // The legacy parameters (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/LegacyConditionalParameters.html).
    name: 'hand_legacy',
    steps: [
      table('hand_legacy', ['pk', 'S'], ['sk', 'N']),
      req('PutItem', { TableName: 'hand_legacy', Item: { pk: { S: 'a' }, sk: { N: '1' }, s: { S: 'hello' }, n: { N: '5' }, ss: { SS: ['x', 'y'] }, l: { L: [{ S: 'e' }] } } }),
      req('PutItem', { TableName: 'hand_legacy', Item: { pk: { S: 'a' }, sk: { N: '2' }, s: { S: 'help' }, n: { N: '7' } } }),
      req('PutItem', { TableName: 'hand_legacy', Item: { pk: { S: 'a' }, sk: { N: '3' } }, Expected: { sk: { Exists: false } }, ReturnValues: 'ALL_OLD' }, 'Exists false on a new item'),
      req('PutItem', { TableName: 'hand_legacy', Item: { pk: { S: 'a' }, sk: { N: '1' } }, Expected: { sk: { Exists: false } } }, 'Exists false on an existing item fails'),
      req('PutItem', { TableName: 'hand_legacy', Item: { pk: { S: 'a' }, sk: { N: '2' }, s: { S: 'help' }, n: { N: '8' } }, Expected: { n: { Value: { N: '7' } } }, ReturnValues: 'ALL_OLD' }, 'Value alone means equal'),
      req('PutItem', { TableName: 'hand_legacy', Item: { pk: { S: 'a' }, sk: { N: '2' } }, Expected: { n: { Value: { N: '7' } } } }, 'Value alone, unequal'),
      req('DeleteItem', { TableName: 'hand_legacy', Key: { pk: { S: 'a' }, sk: { N: '3' } }, Expected: { s: { ComparisonOperator: 'NULL' }, n: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '1' }] } }, ConditionalOperator: 'AND' }, 'AND: one false'),
      req('DeleteItem', { TableName: 'hand_legacy', Key: { pk: { S: 'a' }, sk: { N: '1' } }, Expected: { s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'hel' }] }, ss: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ S: 'x' }] }, n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }, { N: '9' }] } }, ReturnValues: 'ALL_OLD' }, 'three true conditions'),
      req('PutItem', { TableName: 'hand_legacy', Item: { pk: { S: 'a' }, sk: { N: '1' }, s: { S: 'hello' }, n: { N: '5' }, ss: { SS: ['x', 'y'] }, l: { L: [{ S: 'e' }] } } }),
      req('UpdateItem', { TableName: 'hand_legacy', Key: { pk: { S: 'a' }, sk: { N: '1' } }, AttributeUpdates: { n: { Action: 'ADD', Value: { N: '2.50' } }, ss: { Action: 'DELETE', Value: { SS: ['x'] } }, s: { Action: 'DELETE' }, t: { Value: { S: 'new' } }, l: { Action: 'ADD', Value: { L: [{ N: '1' }] } }, c: { Action: 'ADD', Value: { N: '1' } } }, ReturnValues: 'ALL_NEW' }, 'every AttributeUpdates action'),
      req('UpdateItem', { TableName: 'hand_legacy', Key: { pk: { S: 'a' }, sk: { N: '1' } }, AttributeUpdates: { n: { Action: 'ADD', Value: { N: '1' } } }, Expected: { t: { Value: { S: 'new' } } }, ReturnValues: 'UPDATED_OLD' }),
      req('UpdateItem', { TableName: 'hand_legacy', Key: { pk: { S: 'a' }, sk: { N: '1' } }, AttributeUpdates: { t: { Action: 'ADD', Value: { N: '1' } } } }, 'ADD to a string'),
      req('UpdateItem', { TableName: 'hand_legacy', Key: { pk: { S: 'a' }, sk: { N: '1' } }, AttributeUpdates: { pk: { Value: { S: 'b' } } } }, 'key attribute'),
      req('UpdateItem', { TableName: 'hand_legacy', Key: { pk: { S: 'a' }, sk: { N: '1' } }, AttributeUpdates: { t: { Action: 'ADD', Value: { S: 'x' } } } }, 'ADD of a string refused'),
      req('UpdateItem', { TableName: 'hand_legacy', Key: { pk: { S: 'a' }, sk: { N: '1' } }, AttributeUpdates: { t: { Action: 'PUT' } } }, 'PUT without a value'),
      req('UpdateItem', { TableName: 'hand_legacy', Key: { pk: { S: 'a' }, sk: { N: '1' } }, AttributeUpdates: { t: { Action: 'DELETE', Value: { S: 'x' } } } }, 'DELETE of a string value'),
      req('GetItem', { TableName: 'hand_legacy', Key: { pk: { S: 'a' }, sk: { N: '1' } }, AttributesToGet: ['n', 'missing', 'l'] }),
      req('GetItem', { TableName: 'hand_legacy', Key: { pk: { S: 'a' }, sk: { N: '1' } }, AttributesToGet: ['n', 'n'] }, 'duplicate name'),
      req('Query', { TableName: 'hand_legacy', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] }, sk: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '2' }] } } }),
      req('Query', { TableName: 'hand_legacy', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] } }, QueryFilter: { n: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '6' }] }, s: { ComparisonOperator: 'NULL' } }, ConditionalOperator: 'OR', AttributesToGet: ['sk', 'n'] }, 'OR filter'),
      req('Query', { TableName: 'hand_legacy', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] } }, FilterExpression: 'n > :v', ExpressionAttributeValues: { ':v': { N: '6' } } }, 'KeyConditions beside a FilterExpression'),
      req('Query', { TableName: 'hand_legacy', KeyConditions: { pk: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'a' }] } } }, 'hash not EQ'),
      req('Query', { TableName: 'hand_legacy', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] }, sk: { ComparisonOperator: 'NE', AttributeValueList: [{ N: '2' }] } } }, 'not indexable'),
      req('Query', { TableName: 'hand_legacy', KeyConditions: { sk: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '2' }] } } }, 'missing hash'),
      req('Query', { TableName: 'hand_legacy', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '2' }] } } }, 'wrong key type'),
      req('Query', { TableName: 'hand_legacy', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] } }, QueryFilter: { sk: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '1' }] } } }, 'QueryFilter on a key'),
      req('Query', { TableName: 'hand_legacy', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'a' }] }, sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '3' }, { N: '1' }] } } }, 'BETWEEN bounds reversed'),
      req('Scan', { TableName: 'hand_legacy', ScanFilter: { n: { ComparisonOperator: 'IN', AttributeValueList: [{ N: '8' }, { N: '9' }] } } }),
      req('Scan', { TableName: 'hand_legacy', ScanFilter: { s: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: 'z' }] } }, AttributesToGet: ['sk'] }),
      req('Scan', { TableName: 'hand_legacy', ScanFilter: { s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ N: '1' }] } } }, 'BEGINS_WITH a number'),
      req('Scan', { TableName: 'hand_legacy', ScanFilter: { s: { ComparisonOperator: 'EQ' } } }, 'EQ without a value'),
      req('BatchGetItem', { RequestItems: { hand_legacy: { Keys: [{ pk: { S: 'a' }, sk: { N: '1' } }, { pk: { S: 'a' }, sk: { N: '2' } }], AttributesToGet: ['n'] } } }),
      req('PutItem', { TableName: 'hand_legacy', Item: { pk: { S: 'a' }, sk: { N: '9' } }, Expected: { n: { Exists: true } } }, 'Exists true without a value'),
      req('PutItem', { TableName: 'hand_legacy', Item: { pk: { S: 'a' }, sk: { N: '9' } }, Expected: { n: { Exists: false, Value: { N: '1' } } } }, 'Exists false with a value'),
      req('PutItem', { TableName: 'hand_legacy', Item: { pk: { S: 'a' }, sk: { N: '9' } }, Expected: { n: { ComparisonOperator: 'EQ', Value: { N: '1' }, AttributeValueList: [{ N: '1' }] } } }, 'Value and AttributeValueList'),
      req('PutItem', { TableName: 'hand_legacy', Item: { pk: { S: 'a' }, sk: { N: '9' } }, Expected: { n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }] } } }, 'BETWEEN with one value'),
      req('PutItem', { TableName: 'hand_legacy', Item: { pk: { S: 'a' }, sk: { N: '9' } }, Expected: { n: { Value: { N: '1' } } }, ConditionExpression: 'attribute_exists(n)' }, 'legacy beside an expression'),
      req('PutItem', { TableName: 'hand_legacy', Item: { pk: { S: 'a' }, sk: { N: '2' } }, Expected: { n: { Value: { N: '7' }, Exists: true } } }, 'Value with Exists true, unequal'),
      drop('hand_legacy'),
    ],
  },
  {
    name: 'hand_capacity',
    steps: [
      table('hand_capacity', ['pk', 'S'], ['sk', 'S'], {
        AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
        GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
      }),
      req('PutItem', { TableName: 'hand_capacity', Item: { pk: { S: 'p' }, sk: { S: '1' }, g: { S: 'x' }, d: { S: 'd'.repeat(1500) } }, ReturnConsumedCapacity: 'INDEXES' }),
      req('PutItem', { TableName: 'hand_capacity', Item: { pk: { S: 'p' }, sk: { S: '1' }, g: { S: 'y' }, d: { S: 'd'.repeat(10) } }, ReturnConsumedCapacity: 'INDEXES' }, 'index key changes'),
      req('PutItem', { TableName: 'hand_capacity', Item: { pk: { S: 'p' }, sk: { S: '2' }, d: { S: 'd'.repeat(5000) } }, ReturnConsumedCapacity: 'INDEXES' }, 'not in the index'),
      req('GetItem', { TableName: 'hand_capacity', Key: { pk: { S: 'p' }, sk: { S: '2' } }, ReturnConsumedCapacity: 'INDEXES' }),
      req('GetItem', { TableName: 'hand_capacity', Key: { pk: { S: 'p' }, sk: { S: '9' } }, ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true }, 'missing item'),
      req('Query', { TableName: 'hand_capacity', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } }, ReturnConsumedCapacity: 'INDEXES', Select: 'COUNT' }),
      req('Query', { TableName: 'hand_capacity', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'y' } }, ReturnConsumedCapacity: 'INDEXES' }),
      req('Query', { TableName: 'hand_capacity', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'y' } }, ConsistentRead: true }, 'GSI consistent read'),
      req('UpdateItem', { TableName: 'hand_capacity', Key: { pk: { S: 'p' }, sk: { S: '1' } }, UpdateExpression: 'REMOVE g', ReturnConsumedCapacity: 'INDEXES', ReturnValues: 'ALL_OLD' }),
      req('DeleteItem', { TableName: 'hand_capacity', Key: { pk: { S: 'p' }, sk: { S: '2' } }, ReturnConsumedCapacity: 'INDEXES' }),
      req('BatchWriteItem', { RequestItems: { hand_capacity: [{ PutRequest: { Item: { pk: { S: 'q' }, sk: { S: '1' }, g: { S: 'x' } } } }, { DeleteRequest: { Key: { pk: { S: 'p' }, sk: { S: '1' } } } }] }, ReturnConsumedCapacity: 'INDEXES' }),
      req('BatchGetItem', { RequestItems: { hand_capacity: { Keys: [{ pk: { S: 'q' }, sk: { S: '1' } }, { pk: { S: 'p' }, sk: { S: '1' } }] } }, ReturnConsumedCapacity: 'TOTAL' }),
      req('Scan', { TableName: 'hand_capacity', ReturnConsumedCapacity: 'INDEXES' }),
      drop('hand_capacity'),
    ],
  },
  {
    name: 'hand_create_table',
    steps: [
      req('CreateTable', { TableName: 'hand_create_table', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'unused', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }, 'unused attribute definition'),
      req('CreateTable', { TableName: 'hand_create_table', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } }),
      req('DescribeTable', { TableName: 'hand_create_table' }),
      req('DescribeTimeToLive', { TableName: 'hand_create_table' }),
      drop('hand_create_table'),
    ],
  },
  {
    name: 'hand_tables',
    steps: [
      table('hand_tables', ['pk', 'S']),
      req('UpdateTable', { TableName: 'hand_tables', BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 3 } }),
      req('DescribeTable', { TableName: 'hand_tables' }),
      req('UpdateTable', {
        TableName: 'hand_tables', AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'N' }],
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' }, ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } }],
      }),
      req('DescribeTable', { TableName: 'hand_tables' }),
      req('TagResource', { ResourceArn: '$ARN:hand_tables', Tags: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: '1' }] }),
      req('ListTagsOfResource', { ResourceArn: '$ARN:hand_tables' }),
      req('UntagResource', { ResourceArn: '$ARN:hand_tables', TagKeys: ['a'] }),
      req('ListTagsOfResource', { ResourceArn: '$ARN:hand_tables' }),
      req('ListTagsOfResource', { ResourceArn: 'not-an-arn' }),
      req('CreateTable', { TableName: 'hand_tables_lsi', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }, { AttributeName: 'l', AttributeType: 'N' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], LocalSecondaryIndexes: [{ IndexName: 'byL', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }] }),
      req('PutItem', { TableName: 'hand_tables_lsi', Item: { pk: { S: 'a' }, sk: { S: '1' }, l: { N: '5' }, x: { S: 'x' } } }),
      req('Query', { TableName: 'hand_tables_lsi', IndexName: 'byL', KeyConditionExpression: 'pk = :p AND l > :z', ExpressionAttributeValues: { ':p': { S: 'a' }, ':z': { N: '0' } }, ConsistentRead: true, Select: 'ALL_ATTRIBUTES', ReturnConsumedCapacity: 'INDEXES' }),
      req('ListTables', {}),
      req('ListTables', { ExclusiveStartTableName: 'hand_tables', Limit: 1 }),
      drop('hand_tables_lsi'),
      drop('hand_tables'),
    ],
  },
  {
    name: 'hand_parallel_scan',
    steps: [
      table('hand_parallel_scan', ['pk', 'N']),
      req('BatchWriteItem', { RequestItems: { hand_parallel_scan: Array.from({ length: 25 }, (_, i) => ({ PutRequest: { Item: { pk: { N: String(i) } } } })) } }),
      ...[1, 2, 3, 7].map((t): Step => ({ op: 'Scan', pageAll: { TableName: 'hand_parallel_scan', TotalSegments: t, Limit: 4 } })),
      req('Scan', { TableName: 'hand_parallel_scan', Segment: 0 }, 'Segment without TotalSegments'),
      req('Scan', { TableName: 'hand_parallel_scan', Segment: 2, TotalSegments: 2 }),
      req('Scan', { TableName: 'hand_parallel_scan', Select: 'COUNT' }),
      drop('hand_parallel_scan'),
    ],
  },
];
