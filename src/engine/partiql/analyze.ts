/**
 * What a parsed statement will do to a table, from the key schema alone: the engine plans with it
 * and the toolkit refuses accidental scans with it before a request is sent.
 * DynamoDB's rule (ql-reference.select): a SELECT is a Query when its WHERE has an equality or IN
 * condition on the partition key; otherwise (no WHERE, an OR at the top, no key condition) a Scan.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ql-reference.select.html
 */
import type { PartiqlStatement, PqlCondition, PqlOperand, PqlPath } from './ast';

export interface KeyNames {
  readonly hash: string;
  readonly range?: string;
}

/** A SELECT's access: one item by its full key, a Query of partitions, or a Scan. */
export type SelectAccess = 'key-lookup' | 'query' | 'scan';

export interface SelectPlan {
  readonly access: SelectAccess;
  /** Why it scans (scan only), in words a user can act on. */
  readonly reason?: string;
  /** The partition-key values (one for =, several for IN). */
  readonly hashValues: readonly PqlOperand[];
  /** The conjunct usable as the sort-key condition of a Query, if any. */
  readonly rangeCondition?: PqlCondition;
}

/** Most partition-key values an IN may list (AWS: "IN ... up to 50 partition key values"). */
export const MAX_IN_PARTITION_VALUES = 50;

/** The top-level AND terms of a condition. */
export function conjuncts(c: PqlCondition | undefined): PqlCondition[] {
  if (!c) return [];
  if (c.k === 'and') return [...conjuncts(c.a), ...conjuncts(c.b)];
  return [c];
}

export function isValueOperand(o: PqlOperand): boolean {
  return o.k === 'param' || o.k === 'document' || o.k === 'list' || o.k === 'bag' || (o.k === 'literal' && o.literal !== 'missing');
}

function isAttr(o: PqlOperand, name: string): o is PqlPath {
  return o.k === 'path' && o.root === name && o.steps.length === 0;
}

/** The value an equality conjunct gives the attribute (either side), or undefined. */
export function equalityValue(c: PqlCondition, name: string): PqlOperand | undefined {
  if (c.k !== 'cmp' || c.op !== '=') return undefined;
  if (isAttr(c.a, name) && isValueOperand(c.b)) return c.b;
  if (isAttr(c.b, name) && isValueOperand(c.a)) return c.a;
  return undefined;
}

function inValues(c: PqlCondition, name: string): readonly PqlOperand[] | undefined {
  if (c.k !== 'in' || !isAttr(c.a, name) || !c.list.length || !c.list.every(isValueOperand)) return undefined;
  return c.list;
}

function isRangeCondition(c: PqlCondition, name: string): boolean {
  if (c.k === 'cmp') return c.op !== '<>' && ((isAttr(c.a, name) && isValueOperand(c.b)) || (isAttr(c.b, name) && isValueOperand(c.a)));
  if (c.k === 'between') return isAttr(c.a, name) && isValueOperand(c.lo) && isValueOperand(c.hi);
  if (c.k === 'fn') return c.call.name === 'begins_with' && c.call.args.length === 2 && isAttr(c.call.args[0] as PqlOperand, name) && isValueOperand(c.call.args[1] as PqlOperand);
  return false;
}

/** How a SELECT reads a table or index with these key names. */
export function planSelect(where: PqlCondition | undefined, keys: KeyNames): SelectPlan {
  if (!where) return { access: 'scan', reason: 'the statement has no WHERE clause', hashValues: [] };
  const terms = conjuncts(where);
  let hashValues: readonly PqlOperand[] | undefined;
  for (const t of terms) {
    const eq = equalityValue(t, keys.hash);
    if (eq) {
      hashValues = [eq];
      break;
    }
    const list = inValues(t, keys.hash);
    if (list) {
      hashValues = list;
      break;
    }
  }
  if (!hashValues) {
    const reason =
      where.k === 'or'
        ? `the WHERE clause is an OR: each branch would need an equality on the partition key ${keys.hash}, so DynamoDB scans`
        : `the WHERE clause has no equality (=) or IN condition on the partition key ${keys.hash}`;
    return { access: 'scan', reason, hashValues: [] };
  }
  const rangeEq = keys.range ? terms.find((t) => equalityValue(t, keys.range as string)) : undefined;
  const rangeCondition = rangeEq ?? (keys.range ? terms.find((t) => isRangeCondition(t, keys.range as string)) : undefined);
  const oneItem = hashValues.length === 1 && (!keys.range || rangeEq !== undefined);
  return { access: oneItem ? 'key-lookup' : 'query', hashValues, ...(rangeCondition ? { rangeCondition } : {}) };
}

/**
 * The full primary key an UPDATE/DELETE (or a batch SELECT) names by equality, or the key
 * attributes it lacks. DynamoDB: "Where clause does not contain a mandatory equality on all key attributes".
 */
export function fullKey(where: PqlCondition | undefined, keys: KeyNames): { values: Record<string, PqlOperand>; rest: PqlCondition[] } | { missing: string[] } {
  const terms = conjuncts(where);
  const values: Record<string, PqlOperand> = {};
  const used = new Set<PqlCondition>();
  const missing: string[] = [];
  for (const name of [keys.hash, ...(keys.range ? [keys.range] : [])]) {
    const t = terms.find((c) => !used.has(c) && equalityValue(c, name));
    if (!t) {
      missing.push(name);
      continue;
    }
    used.add(t);
    values[name] = equalityValue(t, name) as PqlOperand;
  }
  if (missing.length) return { missing };
  return { values, rest: terms.filter((t) => !used.has(t)) };
}

/** The statement's kind and the table (and index) it names. */
export function statementTarget(s: PartiqlStatement): { kind: PartiqlStatement['kind']; table: string; index?: string } {
  return { kind: s.kind, table: s.table, ...(s.kind === 'SELECT' && s.index !== undefined ? { index: s.index } : {}) };
}
