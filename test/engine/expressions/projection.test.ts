/**
 * Projection expressions, "Using projection expressions in DynamoDB":
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html
 */
import { applyProjection, parseProjection } from '../../../src/engine/expressions';
import type { Item } from '../../../src/engine/types';
import { errorOf, productCatalogItem, scope } from './helpers';

function project(text: string, names?: Record<string, string>, item: Item = productCatalogItem()): Item {
  const s = scope(undefined, names);
  const p = parseProjection(text, s);
  s.assertAllUsed();
  return applyProjection(item, p);
}

describe('projection', () => {
  it('returns top-level attributes, list elements and nested map entries (AWS example)', () => {
    expect(project('Description, RelatedItems[0], ProductReviews.FiveStar')).toEqual({
      Description: { S: '123 description' },
      RelatedItems: { L: [{ N: '341' }] },
      ProductReviews: { M: { FiveStar: productCatalogItem().ProductReviews && (productCatalogItem().ProductReviews as { M: Item }).M.FiveStar } },
    });
  });

  it('compacts projected list elements in index order', () => {
    expect(project('RelatedItems[2], RelatedItems[0]')).toEqual({ RelatedItems: { L: [{ N: '341' }, { N: '649' }] } });
    expect(project('ProductReviews.FiveStar[1]')).toEqual({ ProductReviews: { M: { FiveStar: { L: [{ S: 'Do yourself a favor and buy this.' }] } } } });
  });

  it('leaves out missing paths entirely', () => {
    expect(project('Nope, RelatedItems[9], Pictures.Nope, Price')).toEqual({ Price: { N: '500' } });
  });

  it('resolves #names (a dotted name stays one attribute)', () => {
    expect(project('#sw, #c', { '#sw': 'Safety.Warning', '#c': 'Comment' })).toEqual({
      'Safety.Warning': { S: 'Always wear a helmet' },
      Comment: { S: 'This product sells out quickly during the summer' },
    });
  });

  it('does not share structure with the source item', () => {
    const item = productCatalogItem();
    const out = project('Pictures', undefined, item);
    (out.Pictures as { M: Item }).M.FrontView = { S: 'changed' };
    expect((item.Pictures as { M: Item }).M.FrontView).toEqual({ S: 'http://example.com/products/123_front.jpg' });
  });

  it.each<[string, Record<string, string> | undefined, string]>([
    ['Comment', undefined, 'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: Comment'],
    ['#x', undefined, 'Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #x'],
    ['a, a', undefined, 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]'],
    ['l[2].b, l[2]', undefined, 'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [l, [2], b], path two: [l, [2]]'],
    ['l.a, l[0]', undefined, 'Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [l, a], path two: [l, [0]]'],
    ['l[a]', undefined, 'Invalid ProjectionExpression: Syntax error; token: "a", near: "[a]"'],
    ['a,', undefined, 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","'],
    ['', undefined, 'Invalid ProjectionExpression: The expression can not be empty;'],
  ])('%s is refused', (text, names, message) => {
    const e = errorOf(() => parseProjection(text, scope(undefined, names)));
    expect(e.type).toBe('ValidationException');
    expect(e.message).toBe(message);
  });
});
