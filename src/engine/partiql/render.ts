/**
 * Turns PartiQL trees into the engine's expression requests (#names, :values), so a statement runs
 * through the same Query/Scan/PutItem/UpdateItem/DeleteItem code, checks and capacity rules as the
 * rest of the API. Every name and value goes through a placeholder: nothing from the statement or
 * its parameters is spliced into expression text.
 */
import { validation } from '../errors';
import type { AttributeValue } from '../types';
import type { PqlCondition, PqlOperand, PqlPath } from './ast';

const FUNCTIONS = new Set(['begins_with', 'contains', 'attribute_exists', 'attribute_not_exists', 'attribute_type', 'size', 'list_append', 'if_not_exists']);

export class ExpressionBuilder {
  readonly names: Record<string, string> = {};
  readonly values: Record<string, AttributeValue> = {};
  private readonly nameIds = new Map<string, string>();
  private valueCount = 0;

  constructor(private readonly params: readonly AttributeValue[]) {}

  name(n: string): string {
    let id = this.nameIds.get(n);
    if (!id) {
      id = '#n' + String(this.nameIds.size);
      this.nameIds.set(n, id);
      this.names[id] = n;
    }
    return id;
  }

  value(v: AttributeValue): string {
    const id = ':v' + String(this.valueCount++);
    this.values[id] = v;
    return id;
  }

  path(p: PqlPath): string {
    let out = this.name(p.root);
    for (const s of p.steps) out += 'field' in s ? '.' + this.name(s.field) : `[${String(s.index)}]`;
    return out;
  }

  operand(o: PqlOperand): string {
    switch (o.k) {
      case 'path':
        return this.path(o);
      case 'call':
        if (!FUNCTIONS.has(o.name)) throw validation(`Unsupported function in statement: ${o.name}`);
        return `${o.name}(${o.args.map((a) => this.operand(a)).join(', ')})`;
      case 'arith':
        return `${this.operand(o.a)} ${o.op} ${this.operand(o.b)}`;
      default:
        return this.value(evaluateValue(o, this.params));
    }
  }

  condition(c: PqlCondition): string {
    switch (c.k) {
      case 'and':
      case 'or':
        return `(${this.condition(c.a)}) ${c.k.toUpperCase()} (${this.condition(c.b)})`;
      case 'not':
        return `NOT (${this.condition(c.a)})`;
      case 'cmp':
        return `${this.operand(c.a)} ${c.op} ${this.operand(c.b)}`;
      case 'between':
        return `${this.operand(c.a)} BETWEEN ${this.operand(c.lo)} AND ${this.operand(c.hi)}`;
      case 'in':
        return `${this.operand(c.a)} IN (${c.list.map((o) => this.operand(o)).join(', ')})`;
      case 'missing':
        return `${c.negated ? 'attribute_exists' : 'attribute_not_exists'}(${this.path(c.a)})`;
      case 'fn':
        return this.operand(c.call);
    }
  }

  /** The names/values fields of a request (omitted when empty, as DynamoDB refuses empty maps). */
  fields(): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> } {
    return {
      ...(Object.keys(this.names).length ? { ExpressionAttributeNames: this.names } : {}),
      ...(Object.keys(this.values).length ? { ExpressionAttributeValues: this.values } : {}),
    };
  }
}

function setOf(items: AttributeValue[]): AttributeValue {
  if (!items.length) throw validation('A set (<< >>) cannot be empty');
  const first = items[0] as Record<string, unknown>;
  for (const t of ['S', 'N', 'B'] as const) {
    if (t in first) {
      const out: string[] = [];
      for (const it of items) {
        const v = (it as Record<string, unknown>)[t];
        if (typeof v !== 'string') throw validation('A set (<< >>) holds values of one type: strings, numbers or binaries');
        out.push(v);
      }
      return (t === 'S' ? { SS: out } : t === 'N' ? { NS: out } : { BS: out }) as AttributeValue;
    }
  }
  throw validation('A set (<< >>) holds values of one type: strings, numbers or binaries');
}

/** The AttributeValue of a value operand, parameters substituted. */
export function evaluateValue(o: PqlOperand, params: readonly AttributeValue[]): AttributeValue {
  switch (o.k) {
    case 'param': {
      const v = params[o.index];
      if (v === undefined) throw validation("Number of parameters in request and statement don't match.");
      return v;
    }
    case 'literal':
      if (o.value === undefined) throw validation('MISSING is not a value; use IS MISSING / IS NOT MISSING');
      return o.value;
    case 'document': {
      const m: Record<string, AttributeValue> = {};
      for (const e of o.entries) m[e.key] = evaluateValue(e.value, params);
      return { M: m } as AttributeValue;
    }
    case 'list':
      return { L: o.items.map((i) => evaluateValue(i, params)) } as AttributeValue;
    case 'bag':
      return setOf(o.items.map((i) => evaluateValue(i, params)));
    default:
      throw validation('A value was expected where an attribute path or expression was written');
  }
}
