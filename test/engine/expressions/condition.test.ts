/**
 * Condition and filter expressions, "Condition and filter expressions, operators, and functions":
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html
 * Expression attribute names: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html
 * Reserved words: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ReservedWords.html
 * Error texts: DynamoDB's, as recorded by dynalite (checked against dynalite 4.0.0 by hand).
 */
import { evaluateCondition, parseCondition } from '../../../src/engine/expressions';
import type { AttributeValue, Item } from '../../../src/engine/types';
import { errorOf, productCatalogItem, scope } from './helpers';

function holds(text: string, values: Record<string, AttributeValue> = {}, item: Item | undefined = productCatalogItem(), names?: Record<string, string>): boolean {
  const s = scope(Object.keys(values).length ? values : undefined, names);
  const cond = parseCondition(text, s, 'ConditionExpression');
  s.assertAllUsed();
  return evaluateCondition(cond, item);
}

function failure(text: string, values?: Record<string, AttributeValue>, names?: Record<string, string>, param: 'ConditionExpression' | 'FilterExpression' = 'ConditionExpression'): string {
  const e = errorOf(() => parseCondition(text, scope(values, names), param));
  expect(e.type).toBe('ValidationException');
  return e.message;
}

describe('functions (examples from the AWS guide, on the ProductCatalog item)', () => {
  it.each<[string, Record<string, AttributeValue>, boolean]>([
    ['attribute_exists(Pictures.SideView)', {}, true],
    ['attribute_exists(Pictures.TopView)', {}, false],
    ['attribute_not_exists(Manufacturer)', {}, true],
    ['attribute_not_exists(Price)', {}, false],
    ['attribute_type(ProductReviews.FiveStar, :v_sub)', { ':v_sub': { S: 'L' } }, true],
    ['attribute_type(ProductReviews.FiveStar, :v_sub)', { ':v_sub': { S: 'M' } }, false],
    ['attribute_type(QuantityOnHand, :t)', { ':t': { S: 'NULL' } }, true],
    ['begins_with(Pictures.FrontView, :v_sub)', { ':v_sub': { S: 'http://' } }, true],
    ['begins_with(Pictures.FrontView, :v_sub)', { ':v_sub': { S: 'https://' } }, false],
    ['contains(Brand, :v_sub)', { ':v_sub': { S: 'Company' } }, true],
    ['contains(Color, :v_sub)', { ':v_sub': { S: 'Red' } }, true],
    ['contains(Color, :v_sub)', { ':v_sub': { S: 'Green' } }, false],
    ['contains(RelatedItems, :n)', { ':n': { N: '472.0' } }, true],
    ['size(Brand) <= :v_sub', { ':v_sub': { N: '20' } }, true],
    ['size(Color) < :v_sub', { ':v_sub': { N: '3' } }, true],
    ['size(ProductReviews.OneStar) > :v_sub', { ':v_sub': { N: '1' } }, false],
    ['size(Pictures) = :n', { ':n': { N: '3' } }, true],
    ['size(Price) = :n', { ':n': { N: '3' } }, false],
  ])('%s %j -> %s', (text, values, expected) => {
    expect(holds(text, values)).toBe(expected);
  });

  it('begins_with and contains work on binaries by bytes, contains on sets by membership', () => {
    const item: Item = { b: { B: Buffer.from([1, 2, 3]).toString('base64') }, bs: { BS: ['AQ==', 'Ag=='] }, ns: { NS: ['1', '2'] }, ss: { SS: ['x'] } };
    expect(holds('begins_with(b, :p)', { ':p': { B: Buffer.from([1, 2]).toString('base64') } }, item)).toBe(true);
    expect(holds('begins_with(b, :p)', { ':p': { B: Buffer.from([2]).toString('base64') } }, item)).toBe(false);
    expect(holds('contains(b, :p)', { ':p': { B: Buffer.from([2, 3]).toString('base64') } }, item)).toBe(true);
    expect(holds('contains(bs, :p)', { ':p': { B: 'Ag==' } }, item)).toBe(true);
    expect(holds('contains(ns, :p)', { ':p': { N: '2.00' } }, item)).toBe(true);
    expect(holds('contains(ss, :p)', { ':p': { S: 'x' } }, item)).toBe(true);
    expect(holds('contains(ss, :p)', { ':p': { N: '1' } }, item)).toBe(false);
  });
});

describe('comparators', () => {
  const v = { ':p': { N: '500' }, ':lo': { N: '100' }, ':hi': { N: '1000' }, ':s': { S: '500' } };
  it.each<[string, boolean]>([
    ['Price = :p', true],
    ['Price <> :p', false],
    ['Price < :hi', true],
    ['Price <= :p', true],
    ['Price > :lo', true],
    ['Price >= :hi', false],
    ['Price BETWEEN :lo AND :hi', true],
    ['Price BETWEEN :p AND :p', true],
    ['Price IN (:lo, :p)', true],
    ['Price IN (:lo, :hi)', false],
    // different types are simply not equal / not ordered: false, not an error
    ['Price = :s', false],
    ['Price <> :s', true],
    ['Price < :s', false],
    ['Price IN (:s)', false],
  ])('%s -> %s', (text, expected) => {
    const used = Object.fromEntries(Object.entries(v).filter(([k]) => new RegExp(k + '\\b').test(text)));
    expect(holds(text, used)).toBe(expected);
  });

  it('orders strings by UTF-8 bytes', () => {
    const item: Item = { s: { S: '\uFFFF' } };
    expect(holds('s < :v', { ':v': { S: '😀' } }, item)).toBe(true);
  });

  it('is case-insensitive for keywords', () => {
    expect(holds('Price between :lo and :hi or not Price in (:p)', { ':lo': { N: '1' }, ':hi': { N: '1000' }, ':p': { N: '1' } })).toBe(true);
  });
});

describe('missing attributes and missing items', () => {
  it('a comparison with a missing attribute is false, and NOT of it is true', () => {
    const v = { ':v': { N: '1' } };
    expect(holds('Nope = :v', v)).toBe(false);
    expect(holds('Nope < :v', v)).toBe(false);
    expect(holds('NOT Nope = :v', v)).toBe(true);
    expect(holds('NOT (Nope < :v)', v)).toBe(true);
    expect(holds('Nope BETWEEN :v AND :v', v)).toBe(false);
    expect(holds('Nope IN (:v)', v)).toBe(false);
    expect(holds('Nope <> :v', v)).toBe(true);
    expect(holds('Pictures.Nope.Deeper = :v', v)).toBe(false);
    expect(holds('Color[5] = :v', v)).toBe(false);
    expect(holds('Price[0] = :v', v)).toBe(false);
  });

  it('with no item at all, attribute_not_exists holds and comparisons do not', () => {
    const onNothing = (text: string, values?: Record<string, AttributeValue>): boolean => evaluateCondition(parseCondition(text, scope(values), 'ConditionExpression'), undefined);
    expect(onNothing('attribute_not_exists(Id)')).toBe(true);
    expect(onNothing('attribute_exists(Id)')).toBe(false);
    expect(onNothing('Id = :v', { ':v': { N: '123' } })).toBe(false);
    expect(onNothing('NOT Id = :v', { ':v': { N: '123' } })).toBe(true);
  });
});

describe('paths', () => {
  it('reads nested maps and list indexes', () => {
    expect(holds('ProductReviews.FiveStar[1] = :v', { ':v': { S: 'Do yourself a favor and buy this.' } })).toBe(true);
    expect(holds('RelatedItems[2] = :v', { ':v': { N: '649' } })).toBe(true);
    expect(holds('(Pictures.FrontView) = :v', { ':v': { S: 'http://example.com/products/123_front.jpg' } })).toBe(true);
  });

  it('a #name stands for one whole attribute name, dots included (AWS: "Safety.Warning")', () => {
    expect(holds('#sw = :v', { ':v': { S: 'Always wear a helmet' } }, productCatalogItem(), { '#sw': 'Safety.Warning' })).toBe(true);
    expect(holds('#pr.#5star[0] = :v', { ':v': { S: "Excellent! Can't recommend it highly enough! Buy it!" } }, productCatalogItem(), { '#pr': 'ProductReviews', '#5star': 'FiveStar' })).toBe(true);
  });

  it('accepts names starting with an underscore (as dynalite 4 does)', () => {
    expect(holds('_private = :v', { ':v': { N: '1' } }, { _private: { N: '1' } })).toBe(true);
  });

  it('lists every path it reads', () => {
    const cond = parseCondition('a.b = :v AND (size(l[1]) > :v OR contains(#n, c)) AND x BETWEEN :v AND y', scope({ ':v': { N: '1' } }, { '#n': 'n' }), 'ConditionExpression');
    expect(cond.paths).toEqual([['a', 'b'], ['l', 1], ['n'], ['c'], ['x'], ['y']]);
  });

  it('looks up own attributes only (no prototype names)', () => {
    expect(holds('attribute_exists(#p)', {}, {}, { '#p': '__proto__' })).toBe(false);
    expect(holds('attribute_exists(#c)', {}, {}, { '#c': 'constructor' })).toBe(false);
    expect(holds('attribute_exists(#p)', {}, JSON.parse('{"__proto__":{"S":"x"}}') as Item, { '#p': '__proto__' })).toBe(true);
  });
});

describe('precedence: NOT over AND over OR; parentheses', () => {
  const t = { ':t': { BOOL: true } };
  const item: Item = { a: { BOOL: true }, b: { BOOL: false }, c: { BOOL: false } };
  it.each<[string, boolean]>([
    ['a = :t OR b = :t AND c = :t', true], // a OR (b AND c)
    ['(a = :t OR b = :t) AND c = :t', false],
    ['NOT a = :t AND b = :t', false], // (NOT a) AND b
    ['NOT a = :t OR a = :t', true],
    ['NOT (a = :t AND b = :t)', true],
    ['b = :t OR c = :t OR a = :t', true],
    ['a = :t AND b = :t OR a = :t', true],
  ])('%s -> %s', (text, expected) => {
    expect(holds(text, t, item)).toBe(expected);
  });
});

describe('errors', () => {
  it.each<[string, Record<string, AttributeValue> | undefined, Record<string, string> | undefined, string]>([
    ['status = :v', { ':v': { S: 'x' } }, undefined, 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status'],
    ['Comment = :v', { ':v': { S: 'x' } }, undefined, 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Comment'],
    ['#x = :v', { ':v': { S: 'x' } }, undefined, 'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x'],
    ['a = :x', { ':v': { S: 'x' } }, undefined, 'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :x'],
    ['a BETWEEN :hi AND :lo', { ':lo': { N: '1' }, ':hi': { N: '10' } }, undefined,
      'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:1}'],
    ['a BETWEEN :lo AND :s', { ':lo': { N: '1' }, ':s': { S: 'x' } }, undefined,
      'Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:x}'],
    ['((a = :v))', { ':v': { S: 'x' } }, undefined, 'Invalid ConditionExpression: The expression has redundant parentheses;'],
    ['size(a)', undefined, undefined, 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size'],
    ['attribute_exists(a) = :v', { ':v': { S: 'x' } }, undefined, 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists'],
    ['foo(a)', undefined, undefined, 'Invalid ConditionExpression: Invalid function name; function: foo'],
    ['contains(a)', undefined, undefined, 'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: contains, number of operands: 1'],
    ['a = a', undefined, undefined, 'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]'],
    ['attribute_exists(:v)', { ':v': { S: 'x' } }, undefined, 'Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists'],
    ['begins_with(a, :n)', { ':n': { N: '1' } }, undefined, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N'],
    ['size(:n) = :n', { ':n': { N: '1' } }, undefined, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N'],
    ['attribute_type(a, :t)', { ':t': { S: 'STRING' } }, undefined, 'Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}'],
    ['attribute_type(a, :n)', { ':n': { N: '1' } }, undefined, 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N'],
    ['a = ', undefined, undefined, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "= "'],
    ['attribute_type()', undefined, undefined, 'Invalid ConditionExpression: Syntax error; token: ")", near: "()"'],
    ['l[x] = :v', { ':v': { S: 'x' } }, undefined, 'Invalid ConditionExpression: Syntax error; token: "x", near: "[x]"'],
    ['a $ :v', { ':v': { S: 'x' } }, undefined, 'Invalid ConditionExpression: Syntax error; token: "$", near: "a $ :v"'],
    ['NOT NOT a = :v', { ':v': { S: 'x' } }, undefined, 'Invalid ConditionExpression: Syntax error; token: "NOT", near: "NOT NOT a"'],
    ['a', undefined, undefined, 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "a"'],
    ['', undefined, undefined, 'Invalid ConditionExpression: The expression can not be empty;'],
  ])('%s', (text, values, names, message) => {
    expect(failure(text, values, names)).toBe(message);
  });

  it('names the parameter (FilterExpression)', () => {
    expect(failure('status = :v', { ':v': { S: 'x' } }, undefined, 'FilterExpression')).toBe(
      'Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: status',
    );
  });

  it('reports redundant parentheses before an unknown function, and that before a reserved word', () => {
    expect(failure('((status = :v)) AND foo(a)', { ':v': { S: 'x' } })).toBe('Invalid ConditionExpression: The expression has redundant parentheses;');
    expect(failure('status = :v AND foo(a)', { ':v': { S: 'x' } })).toBe('Invalid ConditionExpression: Invalid function name; function: foo');
  });

  it('IN takes up to 100 operands', () => {
    const values: Record<string, AttributeValue> = {};
    for (let i = 0; i < 101; i++) values[':v' + i] = { N: String(i) };
    const list = (n: number): string => Object.keys(values).slice(0, n).join(', ');
    const s = scope(values);
    const cond = parseCondition('a IN (' + list(100) + ')', s, 'ConditionExpression');
    expect(evaluateCondition(cond, { a: { N: '99' } })).toBe(true);
    expect(failure('a IN (' + list(101) + ')', values)).toBe('Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101');
  });

  it('refuses an expression over 4 KB (UTF-8 bytes)', () => {
    const ok = 'a'.repeat(4093) + '=:v'; // 4096 bytes
    expect(() => parseCondition(ok, scope({ ':v': { N: '1' } }), 'ConditionExpression')).not.toThrow();
    expect(failure(ok + ' ', { ':v': { N: '1' } })).toBe('Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097');
    // 2050 characters but 4097 bytes: the limit counts bytes (and is checked before the syntax)
    expect(failure('é'.repeat(2047) + '=:v', { ':v': { N: '1' } })).toBe('Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4097');
  });

  it('refuses more than 300 operators (our message: AWS documents the limit, not its text)', () => {
    const values = { ':v': { N: '1' } };
    const within = Array.from({ length: 150 }, () => 'a = :v').join(' OR '); // 150 comparisons + 149 OR = 299
    expect(() => parseCondition(within, scope(values), 'ConditionExpression')).not.toThrow();
    const over = Array.from({ length: 151 }, () => 'a = :v').join(' OR '); // 301
    expect(failure(over, values)).toBe('Invalid ConditionExpression: The expression contains too many operators; operator count: 301');
  });

  it('stays fast on deeply nested parentheses (no exponential backtracking)', () => {
    const depth = 1000;
    const text = '('.repeat(depth) + 'a = :v' + ')'.repeat(depth);
    expect(failure(text, { ':v': { N: '1' } })).toBe('Invalid ConditionExpression: The expression has redundant parentheses;');
  });
});
