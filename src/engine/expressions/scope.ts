/**
 * ExpressionAttributeNames / ExpressionAttributeValues of one request, with DynamoDB's checks
 * (as recorded by dynalite, Apache-2.0: validations/index.js validateExpressions / validateExpressionParams).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeValues.html
 */
import { validation } from '../errors';
import type { AttributeValue } from '../types';
import { attributeValueError, validateAttributeValue } from '../values/validate';

export interface ExpressionInput {
  /** ExpressionAttributeNames as sent. */
  names?: Record<string, string>;
  /** ExpressionAttributeValues as sent. */
  values?: Record<string, AttributeValue>;
}

const KEY_CHARS = /^[0-9a-zA-Z_]+$/;

function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/**
 * Tracks which #names/:values the request's expressions used, to refuse unused ones as DynamoDB does.
 * The constructor validates the maps themselves (empty maps, key syntax, invalid values) and throws
 * ValidationException with DynamoDB's texts.
 */
export class ExpressionScope {
  readonly names: Record<string, string> | undefined;
  readonly values: Record<string, AttributeValue> | undefined;
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();

  constructor(input: ExpressionInput) {
    const { names, values } = input;
    if (names !== undefined && names !== null) {
      const keys = Object.keys(names);
      if (!keys.length) throw validation('ExpressionAttributeNames must not be empty');
      for (const key of keys) {
        if (!key.startsWith('#') || !KEY_CHARS.test(key.slice(1))) {
          throw validation('ExpressionAttributeNames contains invalid key: Syntax error; key: "' + key + '"');
        }
      }
      this.names = names;
    }
    if (values !== undefined && values !== null) {
      const keys = Object.keys(values);
      if (!keys.length) throw validation('ExpressionAttributeValues must not be empty');
      for (const key of keys) {
        if (!key.startsWith(':') || !KEY_CHARS.test(key.slice(1))) {
          throw validation('ExpressionAttributeValues contains invalid key: Syntax error; key: "' + key + '"');
        }
      }
      const normalised: Record<string, AttributeValue> = {};
      for (const key of keys) {
        const message = attributeValueError(values[key]);
        if (message !== undefined) {
          throw validation('ExpressionAttributeValues contains invalid value: ' + message + ' for key ' + key);
        }
        Object.defineProperty(normalised, key, { value: validateAttributeValue(values[key]), enumerable: true });
      }
      this.values = normalised;
    }
  }

  /** The name a #placeholder stands for (marks it used), or undefined when not defined. */
  resolveName(ref: string): string | undefined {
    const name = own(this.names, ref);
    if (name === undefined) return undefined;
    this.usedNames.add(ref);
    return name;
  }

  /** The value a :placeholder stands for (marks it used), or undefined when not defined. */
  resolveValue(ref: string): AttributeValue | undefined {
    const value = own(this.values, ref);
    if (value === undefined) return undefined;
    this.usedValues.add(ref);
    return value;
  }

  /** After parsing every expression of a request: throws ValidationException for unused names/values. */
  assertAllUsed(): void {
    const unusedNames = Object.keys(this.names ?? {}).filter((k) => !this.usedNames.has(k));
    if (unusedNames.length) {
      throw validation('Value provided in ExpressionAttributeNames unused in expressions: keys: {' + unusedNames.join(', ') + '}');
    }
    const unusedValues = Object.keys(this.values ?? {}).filter((k) => !this.usedValues.has(k));
    if (unusedValues.length) {
      throw validation('Value provided in ExpressionAttributeValues unused in expressions: keys: {' + unusedValues.join(', ') + '}');
    }
  }
}

/**
 * The request-level rules on mixing expression and legacy parameters, and on names/values sent without
 * an expression. `expressions`: the expression parameters the operation accepts (e.g. ['UpdateExpression',
 * 'ConditionExpression']); `legacy`: its non-expression twins (e.g. ['AttributeUpdates', 'Expected']).
 */
export function validateExpressionParams(data: Record<string, unknown>, expressions: string[], legacy: string[]): void {
  const present = (k: string): boolean => data[k] !== undefined && data[k] !== null;
  const exprParams = expressions.filter(present);
  if (exprParams.length) {
    let nonExpr = legacy;
    // KeyConditions may accompany FilterExpression/ProjectionExpression when KeyConditionExpression is absent.
    if (present('KeyConditions') && !present('KeyConditionExpression')) nonExpr = legacy.filter((k) => k !== 'KeyConditions');
    const nonExprParams = nonExpr.filter(present);
    if (nonExprParams.length) {
      throw validation(
        'Can not use both expression and non-expression parameters in the same request: ' +
          'Non-expression parameters: {' + nonExprParams.join(', ') + '} ' +
          'Expression parameters: {' + exprParams.join(', ') + '}',
      );
    }
  }
  if (present('ExpressionAttributeNames') && !exprParams.length) {
    throw validation('ExpressionAttributeNames can only be specified when using expressions');
  }
  const valueExprs = expressions.filter((e) => e !== 'ProjectionExpression');
  if (valueExprs.length && present('ExpressionAttributeValues') && valueExprs.every((e) => !present(e))) {
    throw validation(
      'ExpressionAttributeValues can only be specified when using expressions: ' +
        valueExprs.join(' and ') + ' ' + (valueExprs.length > 1 ? 'are' : 'is') + ' null',
    );
  }
}
