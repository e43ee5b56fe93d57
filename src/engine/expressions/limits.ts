/**
 * DynamoDB's expression limits ("Constraints in Amazon DynamoDB", Expression parameters):
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Constraints.html#limits-expression-parameters
 * - any expression string: at most 4 KB (the size of "a=b" is 3 bytes);
 * - at most 300 operators or functions in an expression;
 * - IN: at most 100 operands (checked by the condition checker).
 */
import { validation } from '../errors';

export const MAX_EXPRESSION_BYTES = 4096;
export const MAX_OPERATORS = 300;

export function checkExpressionLength(text: string, param: string): void {
  if (text === '') throw validation('Invalid ' + param + ': The expression can not be empty;');
  const size = Buffer.byteLength(text, 'utf8');
  if (size > MAX_EXPRESSION_BYTES) {
    throw validation('Invalid ' + param + ': Expression size has exceeded the maximum allowed size; expression size: ' + size);
  }
}

interface Node {
  k: string;
}

/** Operators and functions of a parsed tree: every node that is not a path or a value. */
export function countNodes(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((sum: number, n) => sum + countNodes(n), 0);
  if (typeof node !== 'object' || node === null) return 0;
  const k = (node as Node).k;
  // Paths and literal values are operands; objects without a kind are payloads (attribute values).
  if (typeof k !== 'string' || k === 'path' || k === 'value') return 0;
  let count = 1;
  for (const [key, child] of Object.entries(node)) {
    if (key !== 'k' && typeof child === 'object') count += countNodes(child);
  }
  return count;
}

export function countOperators(tree: unknown, param: string): void {
  const count = countNodes(tree);
  if (count > MAX_OPERATORS) {
    // AWS documents the limit but not its message; this text is ours.
    throw validation('Invalid ' + param + ': The expression contains too many operators; operator count: ' + count);
  }
}
