import type { AttributeValue } from '../types';
/** Orders two values of the same scalar type (S by UTF-8 bytes, N numerically, B by unsigned bytes). */
export function compareValues(a: AttributeValue, b: AttributeValue): number {
  throw new Error('not implemented ' + JSON.stringify([a, b]));
}
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  throw new Error('not implemented ' + JSON.stringify([a, b]));
}
