/** Shared helpers for the expression tests: a scope from plain maps and the thrown EngineError. */
import { EngineError } from '../../../src/engine/errors';
import { ExpressionScope } from '../../../src/engine/expressions';
import type { AttributeValue, Item } from '../../../src/engine/types';

export function scope(values?: Record<string, AttributeValue>, names?: Record<string, string>): ExpressionScope {
  const input: { values?: Record<string, AttributeValue>; names?: Record<string, string> } = {};
  if (values) input.values = values;
  if (names) input.names = names;
  return new ExpressionScope(input);
}

export function errorOf(f: () => unknown): EngineError {
  try {
    f();
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected an EngineError, nothing was thrown');
}

/**
 * The ProductCatalog item the AWS developer guide's expression pages use
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html).
 */
export function productCatalogItem(): Item {
  return {
    Id: { N: '123' },
    Title: { S: 'Bicycle 123' },
    Description: { S: '123 description' },
    BicycleType: { S: 'Hybrid' },
    Brand: { S: 'Brand-Company C' },
    Price: { N: '500' },
    Color: { L: [{ S: 'Red' }, { S: 'Black' }] },
    ProductCategory: { S: 'Bicycle' },
    InStock: { BOOL: true },
    QuantityOnHand: { NULL: true },
    RelatedItems: { L: [{ N: '341' }, { N: '472' }, { N: '649' }] },
    Pictures: {
      M: {
        FrontView: { S: 'http://example.com/products/123_front.jpg' },
        RearView: { S: 'http://example.com/products/123_rear.jpg' },
        SideView: { S: 'http://example.com/products/123_left_side.jpg' },
      },
    },
    ProductReviews: {
      M: {
        FiveStar: { L: [{ S: "Excellent! Can't recommend it highly enough! Buy it!" }, { S: 'Do yourself a favor and buy this.' }] },
        OneStar: { L: [{ S: 'Terrible product! Do not buy this.' }] },
      },
    },
    Comment: { S: 'This product sells out quickly during the summer' },
    'Safety.Warning': { S: 'Always wear a helmet' },
  };
}
