import type { AttributeValue, Item } from '../types';
/** DynamoDB's message for an invalid AttributeValue, or undefined when valid. */
export function attributeValueError(value: unknown): string | undefined {
  throw new Error('not implemented ' + JSON.stringify(value));
}
/** Returns a normalised copy (N/NS normalised); throws ValidationException with DynamoDB's message. */
export function validateAttributeValue(value: unknown): AttributeValue {
  throw new Error('not implemented ' + JSON.stringify(value));
}
export function validateItem(item: unknown): Item {
  throw new Error('not implemented ' + JSON.stringify(item));
}
