/**
 * Runs PartiQL statements on the engine by translating each into the API operation DynamoDB uses
 * for it (ql-reference.select / insert / update / delete):
 *   SELECT with = or IN on the partition key -> Query per partition value; otherwise -> Scan.
 *     Limit counts items read before the WHERE filter, so a page may be empty and carry a NextToken.
 *   INSERT -> PutItem that fails on an existing key (DuplicateItemException).
 *   UPDATE -> UpdateItem on the full key named in the WHERE, conditional on the item existing and on
 *     the rest of the WHERE. DELETE -> DeleteItem on the full key, conditional on the rest.
 * Capacity is that of the operations run, so ConsumedCapacity follows the unit rules.
 */
import { createHash } from 'node:crypto';
import type { EngineCore } from '../engine';
import { EngineError, validation } from '../errors';
import { ExpressionScope, applyProjection, evaluateCondition, parseCondition, parseProjection } from '../expressions';
import { deleteItem } from '../operations/delete-item';
import { getItem } from '../operations/get-item';
import { putItem } from '../operations/put-item';
import { query } from '../operations/query';
import { scan } from '../operations/scan';
import { updateItem } from '../operations/update-item';
import type { TableState } from '../storage/table';
import type { AttributeValue, Item } from '../types';
import type { ParsedStatement, PartiqlStatement, PqlDelete, PqlInsert, PqlSelect, PqlUpdate } from './ast';
import { MAX_IN_PARTITION_VALUES, conjuncts, fullKey, planSelect, type KeyNames } from './analyze';
import { parsePartiql } from './parser';
import { ExpressionBuilder, evaluateValue } from './render';

export const MAX_STATEMENT_LENGTH = 8192;

export interface PreparedStatement {
  readonly text: string;
  readonly parsed: ParsedStatement;
  readonly params: readonly AttributeValue[];
}

/** Parses and checks the parameter count (DynamoDB's text). */
export function prepareStatement(text: string, params: readonly AttributeValue[] | undefined): PreparedStatement {
  const parsed = parsePartiql(text);
  const given = params ?? [];
  if (given.length !== parsed.parameterCount) throw validation("Number of parameters in request and statement don't match.");
  return { text, parsed, params: given };
}

export function isRead(s: PartiqlStatement): boolean {
  return s.kind === 'SELECT';
}

function tableKeys(table: TableState): KeyNames {
  return { hash: table.hash.name, ...(table.range ? { range: table.range.name } : {}) };
}

const MISSING_KEY = 'Where clause does not contain a mandatory equality on all key attributes';

/** Sums the ConsumedCapacity of several inner operations, per table. */
export function mergeConsumed(list: unknown[]): Array<Record<string, unknown>> {
  const byTable = new Map<string, Record<string, unknown>>();
  const add = (into: Record<string, unknown>, from: Record<string, unknown>): void => {
    for (const [k, v] of Object.entries(from)) {
      if (typeof v === 'number') into[k] = ((into[k] as number | undefined) ?? 0) + v;
      else if (v && typeof v === 'object') add((into[k] ??= {}) as Record<string, unknown>, v as Record<string, unknown>);
      else into[k] = v;
    }
  };
  for (const c of list) {
    if (!c || typeof c !== 'object') continue;
    const cc = c as Record<string, unknown>;
    const name = cc.TableName as string;
    const into = byTable.get(name) ?? {};
    add(into, cc);
    byTable.set(name, into);
  }
  return [...byTable.values()];
}

// ---------- SELECT ----------

interface PageToken {
  /** Statement fingerprint: a token is valid only for the statement and parameters it came from. */
  s: string;
  /** Index of the partition value (IN) the page stopped in; -1 for a Scan. */
  p: number;
  k: Item;
}

function fingerprint(p: PreparedStatement): string {
  return createHash('sha256').update(JSON.stringify([p.text, p.params])).digest('base64url').slice(0, 22);
}

function decodeToken(token: string, p: PreparedStatement, partitions: number): PageToken {
  let t: PageToken | undefined;
  try {
    t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as PageToken;
  } catch {
    t = undefined;
  }
  // The fingerprint is not a secret: anyone who knows the statement can forge it, so every field is checked.
  const validPosition = t && Number.isInteger(t.p) && (partitions === 0 ? t.p === -1 : t.p >= 0 && t.p < partitions);
  if (!t || typeof t !== 'object' || t.s !== fingerprint(p) || !validPosition || !t.k || typeof t.k !== 'object' || Array.isArray(t.k)) {
    throw validation('Invalid NextToken: it does not belong to this statement and its parameters');
  }
  return t;
}

export interface SelectOptions {
  limit?: number;
  consistent?: boolean;
  nextToken?: string;
  returnConsumedCapacity?: string;
}

function resolveSelect(core: EngineCore, s: PqlSelect): { table: TableState; keys: KeyNames } {
  const table = core.activeTable(s.table);
  if (s.index === undefined) return { table, keys: tableKeys(table) };
  const index = table.index(s.index);
  if (!index) throw validation('The table does not have the specified index: ' + s.index);
  return { table, keys: { hash: index.hash.name, ...(index.range ? { range: index.range.name } : {}) } };
}

function filterAndProject(s: PqlSelect, params: readonly AttributeValue[], items: Item[]): Item[] {
  let out = items;
  if (s.where) {
    const b = new ExpressionBuilder(params);
    const text = b.condition(s.where);
    const cond = parseCondition(text, new ExpressionScope({ names: b.names, values: b.values }), 'FilterExpression');
    out = out.filter((it) => evaluateCondition(cond, it));
  }
  if (s.projection !== '*') {
    const b = new ExpressionBuilder(params);
    const text = s.projection.map((p) => b.path(p)).join(', ');
    const projection = parseProjection(text, new ExpressionScope({ names: b.names }));
    out = out.map((it) => applyProjection(it, projection));
  }
  return out;
}

export function executeSelect(core: EngineCore, p: PreparedStatement, s: PqlSelect, o: SelectOptions): Record<string, unknown> {
  const { keys } = resolveSelect(core, s);
  const plan = planSelect(s.where, keys);
  if (plan.hashValues.length > MAX_IN_PARTITION_VALUES) throw validation(`IN on the partition key supports at most ${MAX_IN_PARTITION_VALUES} values`);
  const start = o.nextToken !== undefined ? decodeToken(o.nextToken, p, plan.access === 'scan' ? 0 : plan.hashValues.length) : undefined;
  const consumed: unknown[] = [];
  const scanned: Item[] = [];
  let remaining = o.limit;
  let token: PageToken | undefined;
  const common = {
    TableName: s.table,
    ...(s.index !== undefined ? { IndexName: s.index } : {}),
    ...(o.consistent !== undefined ? { ConsistentRead: o.consistent } : {}),
    ...(o.returnConsumedCapacity !== undefined ? { ReturnConsumedCapacity: o.returnConsumedCapacity } : {}),
  };
  const fp = fingerprint(p);
  if (plan.access === 'scan') {
    const out = scan(core, { ...common, ...(remaining !== undefined ? { Limit: remaining } : {}), ...(start ? { ExclusiveStartKey: start.k } : {}) }) as Record<string, unknown>;
    scanned.push(...(out.Items as Item[]));
    consumed.push(out.ConsumedCapacity);
    if (out.LastEvaluatedKey) token = { s: fp, p: -1, k: out.LastEvaluatedKey as Item };
  } else {
    for (let i = start ? start.p : 0; i < plan.hashValues.length; i++) {
      const b = new ExpressionBuilder(p.params);
      let kce = `${b.name(keys.hash)} = ${b.value(evaluateValue(plan.hashValues[i] as never, p.params))}`;
      if (plan.rangeCondition) kce += ' AND ' + b.condition(plan.rangeCondition);
      const esk = start && i === start.p && Object.keys(start.k).length ? start.k : undefined;
      const out = query(core, { ...common, KeyConditionExpression: kce, ...b.fields(), ...(remaining !== undefined ? { Limit: remaining } : {}), ...(esk ? { ExclusiveStartKey: esk } : {}) }) as Record<string, unknown>;
      scanned.push(...(out.Items as Item[]));
      consumed.push(out.ConsumedCapacity);
      if (remaining !== undefined) remaining -= out.ScannedCount as number;
      if (out.LastEvaluatedKey) {
        token = { s: fp, p: i, k: out.LastEvaluatedKey as Item };
        break;
      }
      // The page is full (Limit reached) but this partition is done: resume at the next one.
      if (remaining !== undefined && remaining <= 0) {
        if (i + 1 < plan.hashValues.length) token = { s: fp, p: i + 1, k: {} };
        break;
      }
    }
  }
  const result: Record<string, unknown> = { Items: filterAndProject(s, p.params, scanned) };
  if (token) result.NextToken = Buffer.from(JSON.stringify(token), 'utf8').toString('base64url');
  const cc = mergeConsumed(consumed);
  if (cc.length) result.ConsumedCapacity = cc[0];
  return result;
}

// ---------- writes ----------

/** A write statement as the API request DynamoDB would run for it. */
export interface WriteRequest {
  op: 'Put' | 'Update' | 'Delete';
  body: Record<string, unknown>;
  statement: PqlInsert | PqlUpdate | PqlDelete;
}

function keyItem(core: EngineCore, s: PqlUpdate | PqlDelete | PqlSelect, params: readonly AttributeValue[]): { table: TableState; key: Item; rest: ReturnType<typeof conjuncts> } {
  const table = core.activeTable(s.table);
  const fk = fullKey(s.where, tableKeys(table));
  if ('missing' in fk) throw validation(MISSING_KEY);
  const key: Item = {};
  for (const [name, v] of Object.entries(fk.values)) key[name] = evaluateValue(v, params);
  return { table, key, rest: fk.rest };
}

function andAll(b: ExpressionBuilder, parts: ReturnType<typeof conjuncts>, first?: string): string | undefined {
  const texts = [...(first ? [first] : []), ...parts.map((c) => '(' + b.condition(c) + ')')];
  return texts.length ? texts.join(' AND ') : undefined;
}

export function writeRequest(core: EngineCore, p: PreparedStatement): WriteRequest {
  const s = p.parsed.statement;
  if (s.kind === 'INSERT') {
    const table = core.activeTable(s.table);
    const doc = evaluateValue(s.value, p.params) as Record<string, unknown>;
    if (!doc.M) throw validation('INSERT VALUE must be a document {...}');
    const b = new ExpressionBuilder(p.params);
    const cond = `attribute_not_exists(${b.name(table.hash.name)})`;
    return { op: 'Put', statement: s, body: { TableName: s.table, Item: doc.M, ConditionExpression: cond, ...b.fields() } };
  }
  if (s.kind === 'UPDATE') {
    const { table, key, rest } = keyItem(core, s, p.params);
    const b = new ExpressionBuilder(p.params);
    const parts: string[] = [];
    if (s.set.length) parts.push('SET ' + s.set.map((a) => `${b.path(a.path)} = ${b.operand(a.value)}`).join(', '));
    if (s.remove.length) parts.push('REMOVE ' + s.remove.map((r) => b.path(r)).join(', '));
    const exists = `attribute_exists(${b.name(table.hash.name)})`;
    const cond = andAll(b, rest, exists);
    return { op: 'Update', statement: s, body: { TableName: s.table, Key: key, UpdateExpression: parts.join(' '), ConditionExpression: cond, ...b.fields() } };
  }
  if (s.kind === 'DELETE') {
    const { key, rest } = keyItem(core, s, p.params);
    const b = new ExpressionBuilder(p.params);
    const cond = andAll(b, rest);
    return { op: 'Delete', statement: s, body: { TableName: s.table, Key: key, ...(cond ? { ConditionExpression: cond } : {}), ...b.fields() } };
  }
  throw validation('A SELECT is not a write statement');
}

export const DUPLICATE_ITEM = 'Duplicate primary key exists in table';

export function executeWrite(core: EngineCore, p: PreparedStatement, o: { returnConsumedCapacity?: string; returnValuesOnConditionCheckFailure?: string }): Record<string, unknown> {
  const w = writeRequest(core, p);
  const body = {
    ...w.body,
    ...(o.returnConsumedCapacity !== undefined ? { ReturnConsumedCapacity: o.returnConsumedCapacity } : {}),
    ...(o.returnValuesOnConditionCheckFailure !== undefined ? { ReturnValuesOnConditionCheckFailure: o.returnValuesOnConditionCheckFailure } : {}),
  };
  let out: Record<string, unknown>;
  try {
    out = (w.op === 'Put' ? putItem(core, body) : w.op === 'Update' ? updateItem(core, body) : deleteItem(core, body)) as Record<string, unknown>;
  } catch (e) {
    if (w.op === 'Put' && e instanceof EngineError && e.type === 'ConditionalCheckFailedException') {
      throw new EngineError('DuplicateItemException', DUPLICATE_ITEM, 400, e.extra);
    }
    throw e;
  }
  return { Items: [], ...(out.ConsumedCapacity ? { ConsumedCapacity: out.ConsumedCapacity } : {}) };
}

// ---------- single-item reads (BatchExecuteStatement, ExecuteTransaction) ----------

/** A SELECT naming the table's full key: the Get it is, plus what to apply after the read. */
export function keyRead(core: EngineCore, p: PreparedStatement): { body: Record<string, unknown>; finish: (item: Item | undefined) => Item | undefined } {
  const s = p.parsed.statement;
  if (s.kind !== 'SELECT') throw validation('Not a SELECT statement');
  if (s.index !== undefined) throw validation(MISSING_KEY);
  const { key } = keyItem(core, s, p.params);
  return {
    body: { TableName: s.table, Key: key },
    finish: (item) => (item ? filterAndProject(s, p.params, [item])[0] : undefined),
  };
}

export function executeKeyRead(core: EngineCore, p: PreparedStatement, o: { consistent?: boolean; returnConsumedCapacity?: string }): { item?: Item; consumed?: unknown } {
  const r = keyRead(core, p);
  const out = getItem(core, { ...r.body, ...(o.consistent !== undefined ? { ConsistentRead: o.consistent } : {}), ...(o.returnConsumedCapacity !== undefined ? { ReturnConsumedCapacity: o.returnConsumedCapacity } : {}) }) as Record<string, unknown>;
  const item = r.finish(out.Item as Item | undefined);
  return { ...(item ? { item } : {}), ...(out.ConsumedCapacity ? { consumed: out.ConsumedCapacity } : {}) };
}
