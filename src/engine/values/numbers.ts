/** Normalises a DynamoDB N string; throws ValidationException with DynamoDB's message. */
export function normalizeNumber(text: string): string {
  throw new Error('not implemented ' + text);
}
export function addNumbers(a: string, b: string): string {
  throw new Error('not implemented ' + a + b);
}
export function subtractNumbers(a: string, b: string): string {
  throw new Error('not implemented ' + a + b);
}
export function compareNumbers(a: string, b: string): number {
  throw new Error('not implemented ' + a + b);
}
