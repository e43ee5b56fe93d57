/** DynamoDB's data model as pure functions on wire AttributeValues. */
export { normalizeNumber, addNumbers, subtractNumbers, compareNumbers } from './numbers';
export { compareValues, valuesEqual } from './compare';
export { attributeSize, itemSize } from './size';
export { attributeValueError, validateAttributeValue, validateItem } from './validate';
