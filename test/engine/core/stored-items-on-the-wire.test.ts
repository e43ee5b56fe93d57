/**
 * A Query or Scan page without a filter or projection is answered with its items' stored JSON
 * text spliced into the body (no parse, no re-serialization). The wire answer must be the same
 * answer the engine gives as objects, for every page shape, and whoever reads or changes `Items`
 * in between must see and send the same thing.
 */
import { engineRequestHandler, type Engine } from '../../../src/engine';
import { rawItemsJson } from '../../../src/engine/operations/raw-items';
import { call, engineWithTable, N, S } from './helpers';

async function wire(engine: Engine, op: string, body: unknown): Promise<{ text: string; json: Record<string, unknown> }> {
  const r = await engineRequestHandler(engine).handle({ method: 'POST', headers: { 'x-amz-target': `DynamoDB_20120810.${op}` }, body: JSON.stringify(body) });
  const text = Buffer.from(r.response.body).toString('utf8');
  expect(r.response.statusCode).toBe(200);
  return { text, json: JSON.parse(text) as Record<string, unknown> };
}

function seeded(): Engine {
  const e = engineWithTable();
  // Integer-like and hostile attribute names (V8 orders integer keys first), odd characters.
  const odd = { '10': S('ten'), '2': N('2'), __proto__x: S('p'), ['__proto__']: S('proto'), 'a"b\\c': S('quote'), 'é😀\u2028': { L: [S('\u0000'), N('-0.5e-3')] } };
  for (let i = 0; i < 30; i += 1) {
    const item: Record<string, unknown> = { pk: S('p'), sk: S(`s${String(i).padStart(2, '0')}`), gpk: S('g'), gsk: N(i % 7), lsk: S(`l${(i * 7) % 30}`) };
    Object.defineProperty(item, '__proto__', { value: S('proto'), enumerable: true, configurable: true, writable: true });
    for (const [k, v] of Object.entries(odd)) if (k !== '__proto__') item[k] = v;
    if (i % 3 === 0) item.set = { SS: ['b', 'a'] };
    if (i % 5 === 0) item.bin = { B: Buffer.from([0, 255, i]).toString('base64') };
    call(e, 'PutItem', { TableName: 'tbl', Item: item });
  }
  call(e, 'PutItem', { TableName: 'tbl', Item: { pk: S('other'), sk: S('x') } });
  return e;
}

const q = (extra: Record<string, unknown>) => ({ TableName: 'tbl', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p') }, ...extra });

const requests: Array<[string, string, Record<string, unknown>]> = [
  ['a whole partition', 'Query', q({})],
  ['a page with Limit and its LastEvaluatedKey', 'Query', q({ Limit: 7 })],
  ['the next page, backwards, with capacity', 'Query', q({ Limit: 7, ScanIndexForward: false, ExclusiveStartKey: { pk: S('p'), sk: S('s20') }, ReturnConsumedCapacity: 'INDEXES' })],
  ['an empty page', 'Query', { TableName: 'tbl', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('none') } }],
  ['a GSI page', 'Query', { TableName: 'tbl', IndexName: 'gsi1', KeyConditionExpression: 'gpk = :g AND gsk >= :n', ExpressionAttributeValues: { ':g': S('g'), ':n': N(3) }, Limit: 9 }],
  ['an LSI page of its projected entries', 'Query', { TableName: 'tbl', IndexName: 'lsi1', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p') }, Select: 'ALL_PROJECTED_ATTRIBUTES' }],
  ['an LSI page fetching whole items (parsed path)', 'Query', { TableName: 'tbl', IndexName: 'lsi1', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': S('p') }, Limit: 4 }],
  ['a filtered page (parsed path)', 'Query', q({ FilterExpression: 'attribute_exists(#s)', ExpressionAttributeNames: { '#s': 'set' } })],
  ['a projected page (parsed path)', 'Query', q({ ProjectionExpression: '#t, sk', ExpressionAttributeNames: { '#t': '10' } })],
  ['a count', 'Query', q({ Select: 'COUNT' })],
  ['a Scan', 'Scan', { TableName: 'tbl', Limit: 11 }],
  ['a parallel Scan segment', 'Scan', { TableName: 'tbl', Segment: 1, TotalSegments: 3, ReturnConsumedCapacity: 'TOTAL' }],
];

describe('pages answered with their items as stored', () => {
  test.each(requests)('%s: the wire answer is the object answer, byte for byte', async (_name, op, body) => {
    const e = seeded();
    const objects = call(e, op, body);
    const { text, json } = await wire(e, op, body);
    expect(json).toEqual(JSON.parse(JSON.stringify(objects)));
    expect(text).toBe(JSON.stringify(objects));
  });

  test('items read, changed in place or replaced before the answer is serialized are sent as they are then', () => {
    const e = seeded();
    const untouched = call(e, 'Query', q({ Limit: 2 }));
    expect(rawItemsJson(untouched)).toBe(JSON.stringify(untouched));
    const changed = call(e, 'Query', q({ Limit: 2 })) as { Items: Array<Record<string, unknown>> };
    changed.Items[0]!.added = S('later');
    // Read once: the stored text is no longer used, so the change is sent.
    expect(rawItemsJson(changed)).toBeUndefined();
    expect(JSON.parse(JSON.stringify(changed)).Items[0].added).toEqual(S('later'));
    const replaced = call(e, 'Query', q({ Limit: 2 }));
    replaced.Items = [];
    expect(rawItemsJson(replaced)).toBeUndefined();
    expect(JSON.parse(JSON.stringify(replaced)).Items).toEqual([]);
    expect(Object.keys(replaced)).toEqual(['Items', 'Count', 'ScannedCount', 'LastEvaluatedKey']);
    // A copy (as a fault or a caller may make) carries plain items.
    const copy = { ...call(e, 'Query', q({ Limit: 2 })) };
    expect(rawItemsJson(copy)).toBeUndefined();
    expect((copy.Items as unknown[]).length).toBe(2);
  });

  test('the stored text does not leak writes made after the page was read', async () => {
    const e = seeded();
    const before = call(e, 'Query', q({ Limit: 1 }));
    call(e, 'UpdateItem', { TableName: 'tbl', Key: { pk: S('p'), sk: S('s00') }, UpdateExpression: 'SET #t = :v', ExpressionAttributeNames: { '#t': '10' }, ExpressionAttributeValues: { ':v': S('changed') } });
    expect((before.Items as Array<Record<string, { S: string }>>)[0]!['10']!.S).toBe('ten');
    const { json } = await wire(e, 'Query', q({ Limit: 1 }));
    expect((json.Items as Array<Record<string, { S: string }>>)[0]!['10']!.S).toBe('changed');
  });
});
