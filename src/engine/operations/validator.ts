/**
 * Request validation in DynamoDB's order (a TypeScript port of dynalite's validations/index.js,
 * Apache-2.0, whose authors checked order and texts against live DynamoDB):
 * 1. type checks (SerializationException, as the coral deserializer answers),
 * 2. required members and table-name length,
 * 3. constraints collected into "N validation errors detected: ..." (at most 10),
 * 4. the operation's own rules (custom).
 */
import { EngineError, validation } from '../errors';

export type TypeName =
  | 'Boolean'
  | 'Integer'
  | 'Long'
  | 'Double'
  | 'String'
  | 'Blob'
  | 'List'
  | 'Map'
  | 'ValueStruct'
  | 'FieldStruct'
  | 'AttrStruct'
  | 'ParameterizedList'
  | 'ParameterizedMap';

export interface FieldSpec {
  type: string;
  children?: string | FieldSpec | Record<string, FieldSpec | string>;
  notNull?: boolean;
  required?: boolean;
  tableName?: boolean;
  regex?: string;
  enum?: string[];
  greaterThanOrEqual?: number;
  lessThanOrEqual?: number;
  lengthGreaterThanOrEqual?: number;
  lengthLessThanOrEqual?: number;
  keys?: Record<string, number | string>;
  values?: Record<string, number | string>;
}
export type Schema = Record<string, FieldSpec | string>;

type Json = unknown;

function typeError(msg: string): EngineError {
  // The coral deserializer's error (sent as com.amazon.coral.service#SerializationException).
  return new EngineError('SerializationException', msg, 400);
}

const ATTR_CHILDREN: Record<string, FieldSpec | string> = {
  S: 'String',
  B: 'Blob',
  N: 'String',
  BOOL: 'Boolean',
  NULL: 'Boolean',
  BS: { type: 'List', children: 'Blob' },
  NS: { type: 'List', children: 'String' },
  SS: { type: 'List', children: 'String' },
  L: { type: 'List', children: 'AttrStruct<ValueStruct>' },
  M: { type: 'Map<AttributeValue>', children: 'AttrStruct<ValueStruct>' },
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** Drops members not in the schema (as the deserializer ignores them) and checks each member's type. */
export function checkTypes(data: Json, types: Record<string, FieldSpec | string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const src = isObject(data) ? data : {};
  for (const key of Object.keys(types)) {
    if (!Object.prototype.hasOwnProperty.call(src, key)) continue;
    const val = checkType(src[key], types[key] as FieldSpec | string);
    if (val !== null && val !== undefined) out[key] = val;
  }
  return out;
}

function checkType(val: unknown, spec: FieldSpec | string): unknown {
  if (val === null || val === undefined) return null;
  let children: FieldSpec | string | Record<string, FieldSpec | string> | undefined;
  let type: string;
  if (typeof spec === 'string') type = spec;
  else {
    type = spec.type;
    children = spec.children;
  }
  if (typeof children === 'string') children = { type: children };
  let subtype = '';
  const m = /(.+?)<(.+)>$/.exec(type);
  if (m) {
    type = m[1] as string;
    subtype = m[2] as string;
  }
  if (type === 'AttrStruct') return checkType(val, { type: subtype + '<AttributeValue>', children: ATTR_CHILDREN });
  switch (type) {
    case 'Boolean':
      switch (typeof val) {
        case 'number':
          throw typeError((val % 1 === 0 ? 'NUMBER_VALUE' : 'DECIMAL_VALUE') + ' cannot be converted to ' + type);
        case 'string': {
          const u = val.toUpperCase();
          if (['TRUE', '1', 'YES'].includes(u)) return true;
          if (['FALSE', '0', 'NO'].includes(u)) return false;
          throw typeError('Unexpected token received from parser');
        }
        case 'object':
          if (Array.isArray(val)) throw typeError('Unrecognized collection type class java.lang.' + type);
          throw typeError('Start of structure or map found where not expected');
      }
      return val;
    case 'Short':
    case 'Integer':
    case 'Long':
    case 'Double':
      switch (typeof val) {
        case 'boolean':
          throw typeError((val ? 'TRUE_VALUE' : 'FALSE_VALUE') + ' cannot be converted to ' + type);
        case 'number':
          return type !== 'Double' ? Math.floor(val) : val;
        case 'string':
          throw typeError('STRING_VALUE cannot be converted to ' + type);
        case 'object':
          if (Array.isArray(val)) throw typeError('Unrecognized collection type class java.lang.' + type);
          throw typeError('Start of structure or map found where not expected');
      }
      return val;
    case 'String':
      switch (typeof val) {
        case 'boolean':
          throw typeError((val ? 'TRUE_VALUE' : 'FALSE_VALUE') + ' cannot be converted to ' + type);
        case 'number':
          throw typeError((val % 1 === 0 ? 'NUMBER_VALUE' : 'DECIMAL_VALUE') + ' cannot be converted to ' + type);
        case 'object':
          if (Array.isArray(val)) throw typeError('Unrecognized collection type class java.lang.' + type);
          throw typeError('Start of structure or map found where not expected');
      }
      return val;
    case 'Blob':
      switch (typeof val) {
        case 'boolean':
        case 'number':
          throw typeError('only base-64-encoded strings are convertible to bytes');
        case 'object':
          if (Array.isArray(val)) throw typeError('Unrecognized collection type class java.nio.ByteBuffer');
          throw typeError('Start of structure or map found where not expected');
      }
      if ((val as string).length % 4) throw typeError('Base64 encoded length is expected a multiple of 4 bytes but found: ' + (val as string).length);
      if (Buffer.from(val as string, 'base64').toString('base64') !== val) throw typeError('Invalid last non-pad Base64 character dectected');
      return val;
    case 'List':
    case 'ParameterizedList':
      if (typeof val !== 'object') throw typeError('Unexpected field type');
      if (!Array.isArray(val)) throw typeError('Start of structure or map found where not expected');
      return val.map((child) => checkType(child, children as FieldSpec));
    case 'Map':
    case 'ParameterizedMap': {
      if (typeof val !== 'object') throw typeError('Unexpected field type');
      if (Array.isArray(val)) {
        throw typeError(
          'Unrecognized collection type java.util.Map<java.lang.String, ' + (subtype.includes('.') ? subtype : 'com.amazonaws.dynamodb.v20120810.' + subtype) + '>',
        );
      }
      // A null-prototype object: attribute names such as __proto__ stay plain data.
      const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
      for (const key of Object.keys(val as object)) out[key] = checkType((val as Record<string, unknown>)[key], children as FieldSpec);
      return out;
    }
    case 'ValueStruct':
    case 'FieldStruct':
      if (typeof val !== 'object') throw typeError(type === 'ValueStruct' ? 'Unexpected value type in payload' : 'Unexpected field type');
      if (Array.isArray(val)) throw typeError('Unrecognized collection type class com.amazonaws.dynamodb.v20120810.' + subtype);
      return checkTypes(val, children as Record<string, FieldSpec | string>);
    default:
      throw new Error('Unknown type: ' + type);
  }
}

export function toLowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function valueStr(data: unknown): string {
  if (data === null || data === undefined) return 'null';
  if (Array.isArray(data)) return '[' + data.map(valueStr).join(', ') + ']';
  if (typeof data === 'object') return JSON.stringify(data);
  return String(data);
}

function lengthOf(data: unknown): number {
  if (typeof data === 'object' && data !== null && !Array.isArray(data)) return Object.keys(data).length;
  return (data as { length: number }).length;
}

function pushError(ok: boolean, msg: string, data: unknown, parent: string, key: string, errors: string[]): void {
  if (ok) return;
  let value = valueStr(data);
  if (value !== 'null') value = "'" + value + "'";
  errors.push('Value ' + value + " at '" + (parent ? parent + '.' : '') + toLowerFirst(key) + "' failed to satisfy constraint: " + msg);
}

type Check = (parent: string, key: string, arg: unknown, data: unknown, errors: string[]) => void;

const checks: Record<string, Check> = {
  notNull: (p, k, _a, d, e) => pushError(d !== null && d !== undefined, 'Member must not be null', d, p, k, e),
  greaterThanOrEqual: (p, k, a, d, e) => pushError((d as number) >= (a as number), 'Member must have value greater than or equal to ' + String(a), d, p, k, e),
  lessThanOrEqual: (p, k, a, d, e) => pushError((d as number) <= (a as number), 'Member must have value less than or equal to ' + String(a), d, p, k, e),
  regex: (p, k, a, d, e) => pushError(new RegExp('^' + String(a) + '$').test(String(d)), 'Member must satisfy regular expression pattern: ' + String(a), d, p, k, e),
  lengthGreaterThanOrEqual: (p, k, a, d, e) => pushError(lengthOf(d) >= (a as number), 'Member must have length greater than or equal to ' + String(a), d, p, k, e),
  lengthLessThanOrEqual: (p, k, a, d, e) => pushError(lengthOf(d) <= (a as number), 'Member must have length less than or equal to ' + String(a), d, p, k, e),
  enum: (p, k, a, d, e) => pushError((a as string[]).includes(d as string), 'Member must satisfy enum value set: [' + (a as string[]).join(', ') + ']', d, p, k, e),
  keys: (p, k, a, d, e) => mapConstraint('Map keys', p, k, a as Record<string, number | string>, d, e, true),
  values: (p, k, a, d, e) => mapConstraint('Map value', p, k, a as Record<string, number | string>, d, e, false),
};

function mapConstraint(label: string, parent: string, key: string, rules: Record<string, number | string>, data: unknown, errors: string[], onKeys: boolean): void {
  const obj = data as Record<string, unknown>;
  for (const mapKey of Object.keys(obj)) {
    const probe: string[] = [];
    for (const [rule, arg] of Object.entries(rules)) checks[rule]?.('', 'x', arg, onKeys ? mapKey : obj[mapKey], probe);
    if (probe.length) {
      const msgs = Object.entries(rules).map(([rule, arg]) =>
        rule === 'lengthGreaterThanOrEqual'
          ? 'Member must have length greater than or equal to ' + String(arg)
          : rule === 'lengthLessThanOrEqual'
            ? 'Member must have length less than or equal to ' + String(arg)
            : 'Member must satisfy regular expression pattern: ' + String(arg),
      );
      pushError(false, label + (onKeys ? ' must satisfy constraint: [' : ' must satisfy constraint: [') + msgs.join(', ') + ']', data, parent, key, errors);
    }
  }
}

/** Required members, table names, then collected constraint errors (DynamoDB reports at most 10). */
export function checkValidations(data: Record<string, unknown>, schema: Schema): void {
  for (const [attr, spec] of Object.entries(schema)) {
    if (typeof spec === 'string') continue;
    if (spec.required && (data[attr] === null || data[attr] === undefined)) {
      throw validation("The parameter '" + attr + "' is required but was not present in the request");
    }
    if (spec.tableName && typeof data[attr] === 'string') {
      const v = data[attr] as string;
      if (v.length < 3 || v.length > 255) throw validation(attr + ' must be at least 3 characters long and at most 255 characters long');
    }
  }
  const errors: string[] = [];
  const walk = (obj: Record<string, unknown>, specs: Record<string, FieldSpec | string>, parent: string): void => {
    for (const [attr, spec] of Object.entries(specs)) one(attr, obj[attr], spec, parent);
  };
  const one = (attr: string, value: unknown, spec: FieldSpec | string, parent: string): void => {
    if (typeof spec !== 'object') return;
    for (const rule of Object.keys(spec)) {
      if (errors.length >= 10) return;
      if (rule === 'type' || rule === 'required' || rule === 'tableName') continue;
      if (rule === 'notNull' && spec.notNull !== true) continue;
      if (rule !== 'notNull' && (value === null || value === undefined)) continue;
      if (rule === 'children') {
        const path = (parent ? parent + '.' : '') + toLowerFirst(attr);
        const children = spec.children;
        if (/List$/.test(spec.type)) {
          (value as unknown[]).forEach((v, i) => one('member', v, children as FieldSpec, path + '.' + (i + 1)));
        } else if (/Map/.test(spec.type)) {
          for (const k of Object.keys(value as object)) one('member', (value as Record<string, unknown>)[k], children as FieldSpec, path + '.' + k);
        } else if (typeof children === 'object') {
          walk(value as Record<string, unknown>, children as Record<string, FieldSpec | string>, path);
        }
        continue;
      }
      checks[rule]?.(parent, attr, (spec as unknown as Record<string, unknown>)[rule], value, errors);
    }
  };
  walk(data, schema, '');
  if (errors.length) throw validation(errors.length + ' validation error' + (errors.length > 1 ? 's' : '') + ' detected: ' + errors.join('; '));
}

/** Types + validations of a request body; returns the typed copy the operation works on. */
export function validateRequest(body: unknown, schema: Schema): Record<string, unknown> {
  const data = checkTypes(body, schema);
  checkValidations(data, schema);
  return data;
}

/* Shared field specs (as DynamoDB's model declares them). */
export const TABLE_NAME: FieldSpec = { type: 'String', notNull: true, regex: '[a-zA-Z0-9_.-]+', lengthGreaterThanOrEqual: 3, lengthLessThanOrEqual: 255 };
export const INDEX_NAME: FieldSpec = { type: 'String', regex: '[a-zA-Z0-9_.-]+', lengthGreaterThanOrEqual: 3, lengthLessThanOrEqual: 255 };
export const RETURN_CONSUMED: FieldSpec = { type: 'String', enum: ['INDEXES', 'TOTAL', 'NONE'] };
export const RETURN_METRICS: FieldSpec = { type: 'String', enum: ['SIZE', 'NONE'] };
export const ATTR_MAP: FieldSpec = { type: 'Map<AttributeValue>', children: 'AttrStruct<ValueStruct>' };
export const NAMES_MAP: FieldSpec = { type: 'Map<java.lang.String>', children: 'String' };
export const STRING: FieldSpec = { type: 'String' };
export const COMPARISON_OPS = ['IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS'];
export const EXPECTED: FieldSpec = {
  type: 'Map<ExpectedAttributeValue>',
  children: {
    type: 'ValueStruct<ExpectedAttributeValue>',
    children: {
      AttributeValueList: { type: 'List', children: 'AttrStruct<ValueStruct>' },
      ComparisonOperator: { type: 'String', enum: COMPARISON_OPS },
      Exists: 'Boolean',
      Value: 'AttrStruct<FieldStruct>',
    },
  },
};
export const CONDITIONS: FieldSpec = {
  type: 'Map<Condition>',
  children: {
    type: 'ValueStruct<Condition>',
    children: {
      AttributeValueList: { type: 'List', children: 'AttrStruct<ValueStruct>' },
      ComparisonOperator: { type: 'String', notNull: true, enum: COMPARISON_OPS },
    },
  },
};
export const ATTRIBUTES_TO_GET: FieldSpec = { type: 'List', lengthGreaterThanOrEqual: 1, lengthLessThanOrEqual: 255, children: 'String' };

/**
 * Expression vs legacy parameters, as DynamoDB checks them before parsing any expression.
 */
export function validateExpressionParams(data: Record<string, unknown>, expressions: string[], nonExpressions: string[]): void {
  const exprParams = expressions.filter((e) => data[e] !== undefined && data[e] !== null);
  if (exprParams.length) {
    let nonExpr = nonExpressions;
    if (data.KeyConditions !== undefined && data.KeyConditionExpression === undefined) nonExpr = nonExpr.filter((e) => e !== 'KeyConditions');
    const present = nonExpr.filter((e) => data[e] !== undefined && data[e] !== null);
    if (present.length) {
      throw validation(
        'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {' +
          present.join(', ') +
          '} Expression parameters: {' +
          exprParams.join(', ') +
          '}',
      );
    }
  }
  if (data.ExpressionAttributeNames !== undefined && !exprParams.length) throw validation('ExpressionAttributeNames can only be specified when using expressions');
  const valExprs = expressions.filter((e) => e !== 'ProjectionExpression');
  if (valExprs.length && data.ExpressionAttributeValues !== undefined && valExprs.every((e) => data[e] === undefined)) {
    throw validation('ExpressionAttributeValues can only be specified when using expressions: ' + valExprs.join(' and ') + ' ' + (valExprs.length > 1 ? 'are' : 'is') + ' null');
  }
}
