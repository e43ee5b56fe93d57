/** DynamoDB's data model as pure functions on wire AttributeValues. */
export { normalizeNumber, addNumbers, subtractNumbers, compareNumbers, numberError } from './numbers';
export { compareValues, compareStrings, compareBinaries, valuesEqual } from './compare';
export { attributeSize, itemSize, numberSize } from './size';
export { attributeValueError, validateAttributeValue, validateItem, setOwn, MAX_NESTING } from './validate';
