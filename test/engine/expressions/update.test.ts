/**
 * Update expressions, "Using update expressions in DynamoDB":
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html
 * Error texts: DynamoDB's, as recorded by dynalite (checked against dynalite 4.0.0 by hand).
 */
import fc from 'fast-check';
import { applyUpdate, parseUpdate } from '../../../src/engine/expressions';
import type { AttributeValue, Item } from '../../../src/engine/types';
import { errorOf, productCatalogItem, scope } from './helpers';

const KEYS = ['Id'];

function update(text: string, values?: Record<string, AttributeValue>, names?: Record<string, string>, item: Item = productCatalogItem()): Item {
  const s = scope(values, names);
  const u = parseUpdate(text, s);
  s.assertAllUsed();
  return applyUpdate(u, item, KEYS).item;
}

function failure(text: string, values?: Record<string, AttributeValue>, names?: Record<string, string>, item: Item = productCatalogItem()): string {
  const e = errorOf(() => applyUpdate(parseUpdate(text, scope(values, names)), item, KEYS));
  expect(e.type).toBe('ValidationException');
  return e.message;
}

describe('SET (AWS guide examples)', () => {
  it('modifies and adds attributes', () => {
    const out = update('SET ProductCategory = :c, Price = :p', { ':c': { S: 'Hardware' }, ':p': { N: '60' } });
    expect(out.ProductCategory).toEqual({ S: 'Hardware' });
    expect(out.Price).toEqual({ N: '60' });
  });

  it('replaces a list element, and sets nested map attributes through names', () => {
    const out = update('SET RelatedItems[1] = :ri, #pr.#5star[1] = :r5, #pr.#3star = :r3', {
      ':ri': { S: 'Nails' }, ':r5': { S: 'Very happy with my purchase' }, ':r3': { L: [{ S: 'Just OK - not that great' }] },
    }, { '#pr': 'ProductReviews', '#5star': 'FiveStar', '#3star': 'ThreeStar' });
    expect(out.RelatedItems).toEqual({ L: [{ N: '341' }, { S: 'Nails' }, { N: '649' }] });
    expect((out.ProductReviews as { M: Item }).M.FiveStar).toEqual({ L: [{ S: "Excellent! Can't recommend it highly enough! Buy it!" }, { S: 'Very happy with my purchase' }] });
    expect((out.ProductReviews as { M: Item }).M.ThreeStar).toEqual({ L: [{ S: 'Just OK - not that great' }] });
  });

  it('SET of a list index past the end appends, several in element-number order', () => {
    expect(update('SET RelatedItems[10] = :a', { ':a': { S: 'a' } }).RelatedItems).toEqual({ L: [{ N: '341' }, { N: '472' }, { N: '649' }, { S: 'a' }] });
    expect(update('SET RelatedItems[12] = :b, RelatedItems[10] = :a', { ':a': { S: 'a' }, ':b': { S: 'b' } }).RelatedItems).toEqual({
      L: [{ N: '341' }, { N: '472' }, { N: '649' }, { S: 'a' }, { S: 'b' }],
    });
  });

  it('increments and decrements exactly', () => {
    expect(update('SET Price = Price - :p', { ':p': { N: '15' } }).Price).toEqual({ N: '485' });
    expect(update('SET Price = Price + :p', { ':p': { N: '0.1' } }).Price).toEqual({ N: '500.1' });
    expect(update('SET x = :a + :b', { ':a': { N: '0.1' }, ':b': { N: '0.2' } }).x).toEqual({ N: '0.3' });
  });

  it('appends to lists with list_append, either side', () => {
    const vals = { ':vals': { L: [{ S: 'Screwdriver' }, { S: 'Hacksaw' }] } };
    expect(update('SET #ri = list_append(#ri, :vals)', vals, { '#ri': 'RelatedItems' }).RelatedItems).toEqual({
      L: [{ N: '341' }, { N: '472' }, { N: '649' }, { S: 'Screwdriver' }, { S: 'Hacksaw' }],
    });
    expect(update('SET #ri = list_append(:vals, #ri)', vals, { '#ri': 'RelatedItems' }).RelatedItems).toEqual({
      L: [{ S: 'Screwdriver' }, { S: 'Hacksaw' }, { N: '341' }, { N: '472' }, { N: '649' }],
    });
  });

  it('if_not_exists keeps an existing value and supplies a missing one (also inside list_append)', () => {
    expect(update('SET Price = if_not_exists(Price, :p)', { ':p': { N: '100' } }).Price).toEqual({ N: '500' });
    expect(update('SET Stock = if_not_exists(Stock, :p)', { ':p': { N: '100' } }).Stock).toEqual({ N: '100' });
    expect(update('SET h = list_append(if_not_exists(h, :e), :v)', { ':e': { L: [] }, ':v': { L: [{ S: 'x' }] } }).h).toEqual({ L: [{ S: 'x' }] });
  });

  it('evaluates every operand against the item as it was before the update', () => {
    const out = update('SET a = b, b = a', undefined, undefined, { Id: { N: '1' }, a: { S: 'A' }, b: { S: 'B' } });
    expect(out).toEqual({ Id: { N: '1' }, a: { S: 'B' }, b: { S: 'A' } });
  });
});

describe('REMOVE', () => {
  it('removes attributes', () => {
    const out = update('REMOVE Brand, InStock, QuantityOnHand');
    expect(out.Brand).toBeUndefined();
    expect(out.InStock).toBeUndefined();
    expect('QuantityOnHand' in out).toBe(false);
  });

  it('removes list elements by their original positions, shifting the rest (AWS: REMOVE RelatedItems[1], RelatedItems[2])', () => {
    expect(update('REMOVE RelatedItems[1], RelatedItems[2]').RelatedItems).toEqual({ L: [{ N: '341' }] });
    expect(update('REMOVE RelatedItems[0]').RelatedItems).toEqual({ L: [{ N: '472' }, { N: '649' }] });
  });

  it('ignores a missing attribute or an index past the end', () => {
    const before = productCatalogItem();
    expect(update('REMOVE Nope, RelatedItems[7], Pictures.Nope')).toEqual(before);
  });
});

describe('ADD and DELETE', () => {
  it('ADD to a number, creating it when absent (treated as 0)', () => {
    expect(update('ADD Price :n', { ':n': { N: '-0.5' } }).Price).toEqual({ N: '499.5' });
    expect(update('ADD PageViews :n', { ':n': { N: '1' } }).PageViews).toEqual({ N: '1' });
  });

  it('ADD to a set: union without duplicates (numbers by value), creating the set when absent', () => {
    const item: Item = { Id: { N: '1' }, Color: { SS: ['Red'] }, ns: { NS: ['1', '2'] } };
    expect(update('ADD Color :c', { ':c': { SS: ['Orange', 'Red', 'Purple'] } }, undefined, item).Color).toEqual({ SS: ['Red', 'Orange', 'Purple'] });
    expect(update('ADD ns :n', { ':n': { NS: ['2.0', '3'] } }, undefined, item).ns).toEqual({ NS: ['1', '2', '3'] });
    expect(update('ADD Tags :t', { ':t': { SS: ['x'] } }, undefined, item).Tags).toEqual({ SS: ['x'] });
  });

  it('DELETE from a set, removing the attribute when the set becomes empty', () => {
    const item: Item = { Id: { N: '1' }, Color: { SS: ['Red', 'Yellow', 'Purple'] }, ns: { NS: ['1', '2'] } };
    expect(update('DELETE Color :p', { ':p': { SS: ['Yellow', 'Purple'] } }, undefined, item).Color).toEqual({ SS: ['Red'] });
    expect('ns' in update('DELETE ns :n', { ':n': { NS: ['1.0', '2', '9'] } }, undefined, item)).toBe(false);
    expect(update('DELETE Absent :p', { ':p': { SS: ['x'] } }, undefined, item)).toEqual(item);
  });

  it('all four clauses together, in any order', () => {
    const item: Item = { Id: { N: '1' }, n: { N: '1' }, ss: { SS: ['a'] }, ns: { NS: ['1'] }, gone: { S: 'x' } };
    const out = update('DELETE ns :ns REMOVE gone ADD n :one, ss :ss SET q = :q', { ':ns': { NS: ['1'] }, ':one': { N: '1' }, ':ss': { SS: ['b'] }, ':q': { S: 'q' } }, undefined, item);
    expect(out).toEqual({ Id: { N: '1' }, n: { N: '2' }, ss: { SS: ['a', 'b'] }, q: { S: 'q' } });
  });
});

describe('errors', () => {
  it.each<[string, Record<string, AttributeValue> | undefined, Record<string, string> | undefined, string]>([
    ['SET Id = :v', { ':v': { N: '1' } }, undefined, 'One or more parameter values were invalid: Cannot update attribute Id. This attribute is part of the key'],
    ['REMOVE Id', undefined, undefined, 'One or more parameter values were invalid: Cannot update attribute Id. This attribute is part of the key'],
    ['ADD Title :v', { ':v': { S: 'x' } }, undefined, 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING'],
    ['ADD Title :v', { ':v': { L: [] } }, undefined, 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST'],
    ['DELETE Price :v', { ':v': { N: '1' } }, undefined, 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER'],
    ['SET a = :v, a = :w', { ':v': { N: '1' }, ':w': { N: '2' } }, undefined,
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]'],
    ['SET Pictures.FrontView = :v REMOVE Pictures', { ':v': { S: 'x' } }, undefined,
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [Pictures, FrontView], path two: [Pictures]'],
    ['SET RelatedItems[0] = :v REMOVE RelatedItems.x', { ':v': { S: 'x' } }, undefined,
      'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [RelatedItems, [0]], path two: [RelatedItems, x]'],
    ['SET a = :v SET b = :v', { ':v': { N: '1' } }, undefined, 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;'],
    ['SET status = :v', { ':v': { N: '1' } }, undefined, 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status'],
    ['SET #s = :v', { ':v': { N: '1' } }, undefined, 'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #s'],
    ['SET a = :x', { ':v': { N: '1' } }, undefined, 'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :x'],
    ['SET a = foo(b)', undefined, undefined, 'Invalid UpdateExpression: Invalid function name; function: foo'],
    ['SET a = if_not_exists(:v, :v)', { ':v': { N: '1' } }, undefined, 'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists'],
    ['SET a = list_append(:n, b)', { ':n': { N: '1' } }, undefined, 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: N'],
    ['SET a = :s + b', { ':s': { S: '1' } }, undefined, 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S'],
    ['SET a = list_append(b)', undefined, undefined, 'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1'],
    ['SET Pictures.Nope.Deeper = :v', { ':v': { N: '1' } }, undefined, 'The document path provided in the update expression is invalid for update'],
    ['SET Price.x = :v', { ':v': { N: '1' } }, undefined, 'The document path provided in the update expression is invalid for update'],
    ['SET Pictures[0] = :v', { ':v': { N: '1' } }, undefined, 'The document path provided in the update expression is invalid for update'],
    ['SET a = Nope + :v', { ':v': { N: '1' } }, undefined, 'The provided expression refers to an attribute that does not exist in the item'],
    ['SET a = Title + :v', { ':v': { N: '1' } }, undefined, 'An operand in the update expression has an incorrect data type'],
    ['SET a = list_append(Title, :l)', { ':l': { L: [] } }, undefined, 'An operand in the update expression has an incorrect data type'],
    ['ADD Title :n', { ':n': { N: '1' } }, undefined, 'An operand in the update expression has an incorrect data type'],
    ['ADD Price :s', { ':s': { SS: ['x'] } }, undefined, 'An operand in the update expression has an incorrect data type'],
    ['SET', undefined, undefined, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "SET"'],
    ['SET a = a + :v + :v', { ':v': { N: '1' } }, undefined, 'Invalid UpdateExpression: Syntax error; token: "+", near: ":v + :v"'],
    ['', undefined, undefined, 'Invalid UpdateExpression: The expression can not be empty;'],
  ])('%s', (text, values, names, message) => {
    expect(failure(text, values, names)).toBe(message);
  });

  it('an arithmetic result DynamoDB cannot store is refused', () => {
    expect(failure('SET Price = Price + :big', { ':big': { N: '9.9999999999999999999999999999999999999E+125' } })).toBe(
      'Attempting to store more than 38 significant digits in a Number',
    );
  });
});

describe('changed attributes and purity', () => {
  it('reports the top-level attributes the update touched', () => {
    const s = scope({ ':v': { N: '1' } });
    const u = parseUpdate('SET Pictures.TopView = :v, Price = :v REMOVE Brand ADD n :v', s);
    expect(applyUpdate(u, productCatalogItem(), KEYS).changed).toEqual(['Pictures', 'Price', 'Brand', 'n']);
    expect(u.paths).toEqual([['Pictures', 'TopView'], ['Price'], ['Brand'], ['n']]);
  });

  it('exposes what DynamoDB checks before reading the item: static SET types and every path used', () => {
    const s = scope({ ':v': { N: '1' }, ':l': { L: [] }, ':s': { S: 'x' } });
    const u = parseUpdate('SET g = list_append(d[0], d), n = n + :v, s = if_not_exists(t, :s), p = q.r, m.x = :v REMOVE z', s);
    expect(u.setTypes).toEqual([
      { name: 'g', type: 'L' },
      { name: 'n', type: 'N' },
      { name: 's', type: 'S' },
      { name: 'p', type: null },
    ]);
    expect(u.pathsUsed).toEqual([['g'], ['d', 0], ['d'], ['n'], ['n'], ['s'], ['t'], ['p'], ['q', 'r'], ['m', 'x'], ['z']]);
  });

  it('keeps hostile names as plain attributes', () => {
    const out = update('SET #p = :v, #c.#p = :v', { ':v': { S: 'x' } }, { '#p': '__proto__', '#c': 'm' }, { Id: { N: '1' }, m: { M: {} } });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['Id', 'm', '__proto__']);
    expect(Object.keys((out.m as { M: Item }).M)).toEqual(['__proto__']);
  });

  it('never mutates its input (property)', () => {
    const scalar: fc.Arbitrary<AttributeValue> = fc.oneof(
      fc.string().map((S): AttributeValue => ({ S })),
      fc.integer().map((n): AttributeValue => ({ N: String(n) })),
      fc.constant<AttributeValue>({ SS: ['a', 'b'] }),
      fc.constant<AttributeValue>({ NS: ['1', '2'] }),
    );
    const value: fc.Arbitrary<AttributeValue> = fc.oneof(
      scalar,
      fc.array(scalar, { maxLength: 3 }).map((L) => ({ L })),
      fc.dictionary(fc.constantFrom('x', 'y'), scalar).map((M) => ({ M })),
    );
    const item = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'l', 'm'), value).map((d) => ({ Id: { N: '1' }, ...d }) as Item);
    const expressions = [
      'SET a = :n, l[5] = :n REMOVE b',
      'REMOVE l[0], l[1], m.x',
      'ADD c :ss DELETE a :ss',
      'SET m.y = :n, c = list_append(if_not_exists(c, :l), :l)',
      'SET a = if_not_exists(b, :n) ADD l :n',
    ];
    const values = { ':n': { N: '1' }, ':ss': { SS: ['a'] }, ':l': { L: [{ S: 'z' }] } };
    fc.assert(
      fc.property(item, fc.constantFrom(...expressions), (it, text) => {
        const snapshot = JSON.stringify(it);
        const used = Object.fromEntries(Object.entries(values).filter(([k]) => text.includes(k))) as Record<string, AttributeValue>;
        try {
          const out = applyUpdate(parseUpdate(text, scope(used)), it, KEYS).item;
          if (out !== it) expect(out).not.toBe(it);
        } catch {
          // a refused update must not have changed anything either
        }
        expect(JSON.stringify(it)).toBe(snapshot);
      }),
    );
  });
});
