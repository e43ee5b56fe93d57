/**
 * Hostile input: any text built from the expression languages' tokens (and junk) either parses or is
 * refused with a ValidationException naming the parameter; it never crashes the parser with a
 * TypeError/RangeError, and a parsed condition evaluates on any item without throwing.
 */
import fc from 'fast-check';
import { EngineError } from '../../../src/engine/errors';
import { ExpressionScope, applyProjection, applyUpdate, evaluateCondition, parseCondition, parseProjection, parseUpdate } from '../../../src/engine/expressions';
import type { AttributeValue, Item } from '../../../src/engine/types';

const TOKENS = [
  'a', 'b', 'l', 'm', 'status', '#n', '#p', '#x', ':v', ':s', ':l', ':x', '(', ')', '((', '))', '[', ']', '[0]', '[1]', '.', ',',
  '=', '<>', '<', '<=', '>', '>=', '+', '-', 'AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'SET', 'REMOVE', 'ADD', 'DELETE',
  'size', 'contains', 'begins_with', 'attribute_exists', 'attribute_not_exists', 'attribute_type', 'list_append', 'if_not_exists',
  ' ', '$', '"', '${', '\u0000', '😀', '\uD800', '1', '99999999999999999999',
];
const text = fc.array(fc.constantFrom(...TOKENS), { maxLength: 14 }).map((parts) => parts.join(' '));

const values: Record<string, AttributeValue> = { ':v': { N: '1' }, ':s': { S: 'a' }, ':l': { L: [{ S: 'x' }] } };
const names = { '#n': 'a', '#p': '__proto__' };

const scalar: fc.Arbitrary<AttributeValue> = fc.oneof(
  fc.string({ maxLength: 3 }).map((S): AttributeValue => ({ S })),
  fc.integer({ min: -5, max: 5 }).map((n): AttributeValue => ({ N: String(n) })),
  fc.constant<AttributeValue>({ SS: ['a'] }),
  fc.constant<AttributeValue>({ BOOL: true }),
);
const value: fc.Arbitrary<AttributeValue> = fc.oneof(
  scalar,
  fc.array(scalar, { maxLength: 3 }).map((L): AttributeValue => ({ L })),
  fc.dictionary(fc.constantFrom('a', 'b'), scalar).map((M): AttributeValue => ({ M })),
);
const item = fc.dictionary(fc.constantFrom('a', 'b', 'l', 'm'), value).map((d) => ({ k: { S: 'key' }, ...d }) as Item);

function refusedProperly(e: unknown): void {
  expect(e).toBeInstanceOf(EngineError);
  expect((e as EngineError).type).toBe('ValidationException');
}

describe('robustness of the parsers', () => {
  it('condition: parses or refuses with a ValidationException; evaluation never throws', () => {
    fc.assert(
      fc.property(text, item, (t, it) => {
        let cond;
        try {
          cond = parseCondition(t, new ExpressionScope({ values, names }), 'ConditionExpression');
        } catch (e) {
          refusedProperly(e);
          expect((e as EngineError).message.startsWith('Invalid ConditionExpression: ')).toBe(true);
          return;
        }
        expect(typeof evaluateCondition(cond, it)).toBe('boolean');
        expect(typeof evaluateCondition(cond, undefined)).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });

  it('update: parses or refuses; application either succeeds or refuses with a ValidationException', () => {
    fc.assert(
      fc.property(text.map((t) => 'SET ' + t), item, (t, it) => {
        let u;
        try {
          u = parseUpdate(t, new ExpressionScope({ values, names }));
        } catch (e) {
          refusedProperly(e);
          expect((e as EngineError).message.startsWith('Invalid UpdateExpression: ')).toBe(true);
          return;
        }
        try {
          const out = applyUpdate(u, it, ['k']).item;
          expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
        } catch (e) {
          refusedProperly(e);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('projection: parses or refuses; projection never throws', () => {
    fc.assert(
      fc.property(text, item, (t, it) => {
        let p;
        try {
          p = parseProjection(t, new ExpressionScope({ names }));
        } catch (e) {
          refusedProperly(e);
          expect((e as EngineError).message.startsWith('Invalid ProjectionExpression: ')).toBe(true);
          return;
        }
        expect(typeof applyProjection(it, p)).toBe('object');
      }),
      { numRuns: 1000 },
    );
  });
});

/** A boolean tree over four leaf conditions, printed with only the parentheses precedence needs. */
type Tree = { k: 'leaf'; i: number; paren: boolean } | { k: 'and' | 'or'; a: Tree; b: Tree } | { k: 'not'; a: Tree };

const LEAVES: Array<{ text: string; holds: (it: Item) => boolean }> = [
  { text: 'a = :v', holds: (it) => (it.a as { N?: string } | undefined)?.N === '1' },
  { text: 'b < :w', holds: (it) => Number((it.b as { N?: string } | undefined)?.N ?? NaN) < 2 },
  { text: 'attribute_exists(c)', holds: (it) => it.c !== undefined },
  { text: 'begins_with(s, :s)', holds: (it) => ((it.s as { S?: string } | undefined)?.S ?? '').startsWith('a') && it.s !== undefined },
];

const tree: fc.Arbitrary<Tree> = fc.letrec<{ t: Tree }>((tie) => ({
  t: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ k: fc.constant('leaf' as const), i: fc.integer({ min: 0, max: 3 }), paren: fc.boolean() }),
    fc.record({ k: fc.constantFrom('and' as const, 'or' as const), a: tie('t'), b: tie('t') }),
    fc.record({ k: fc.constant('not' as const), a: tie('t') }),
  ),
})).t;

const PREC = { or: 1, and: 2, not: 3, leaf: 4 } as const;

function print(t: Tree): string {
  const wrap = (child: Tree, min: number): string => (PREC[child.k] < min || (child.k === 'not' && min > PREC.not) ? '(' + print(child) + ')' : print(child));
  switch (t.k) {
    case 'leaf':
      return t.paren ? '(' + (LEAVES[t.i] as { text: string }).text + ')' : (LEAVES[t.i] as { text: string }).text;
    case 'not':
      // NOT applies to a comparison or a parenthesised condition, never directly to another NOT
      return 'NOT ' + (t.a.k === 'leaf' ? print(t.a) : '(' + print(t.a) + ')');
    case 'and':
      return wrap(t.a, PREC.not) + ' AND ' + wrap(t.b, PREC.and);
    case 'or':
      return wrap(t.a, PREC.and) + ' OR ' + wrap(t.b, PREC.or);
  }
}

function reference(t: Tree, it: Item): boolean {
  switch (t.k) {
    case 'leaf':
      return (LEAVES[t.i] as { holds: (it: Item) => boolean }).holds(it);
    case 'not':
      return !reference(t.a, it);
    case 'and':
      return reference(t.a, it) && reference(t.b, it);
    case 'or':
      return reference(t.a, it) || reference(t.b, it);
  }
}

describe('precedence and parentheses (property: printed trees parse and evaluate like the tree)', () => {
  const smallItem = fc.record(
    {
      a: fc.constantFrom<AttributeValue>({ N: '1' }, { N: '2' }, { S: '1' }),
      b: fc.constantFrom<AttributeValue>({ N: '1' }, { N: '3' }),
      c: fc.constant<AttributeValue>({ NULL: true }),
      s: fc.constantFrom<AttributeValue>({ S: 'ab' }, { S: 'x' }),
    },
    { requiredKeys: [] },
  );
  it('OR < AND < NOT, left to right', () => {
    fc.assert(
      fc.property(tree, smallItem, (t, it) => {
        const text = print(t);
        const scope = new ExpressionScope({ values: { ':v': { N: '1' }, ':w': { N: '2' }, ':s': { S: 'a' } } });
        const cond = parseCondition(text, scope, 'FilterExpression');
        expect(evaluateCondition(cond, it as Item)).toBe(reference(t, it as Item));
      }),
      { numRuns: 1500 },
    );
  });
});
