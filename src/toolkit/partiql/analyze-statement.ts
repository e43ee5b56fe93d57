/**
 * What a PartiQL statement will do, decided before it is sent, with the engine's parser and
 * planner (the same code that executes it): its kind, table, index, whether a SELECT is a key
 * lookup, a Query or a Scan (and why), and the literals written into its text.
 */
import { fullKey, parsePartiql, planSelect, type KeyNames, type PartiqlStatement, type PartiqlStatementKind } from '../../engine';
import type { TableDefinition } from '../table/derive-table-definition';

/** Key attributes of a table and of each of its indexes, by index name. */
export interface PartiqlKeySchema {
  table: KeyNames;
  indexes: Record<string, KeyNames>;
}

/** How a statement reaches its items: one item by key, a Query, a Scan, or a write on one key. */
export type StatementAccess = 'key-lookup' | 'query' | 'scan' | 'write';

export interface StatementAnalysis {
  kind: PartiqlStatementKind;
  table: string;
  /** The index a SELECT reads (`"table"."index"`); undefined for the base table. */
  index: string | undefined;
  access: StatementAccess;
  /** Why a SELECT scans, or why a write lacks its key; undefined otherwise. */
  reason: string | undefined;
  /** The ? count: the parameters the statement needs. */
  parameterCount: number;
  /** Literals written in the text ('x', 42, TRUE, NULL), in order, as written kinds. */
  literals: readonly string[];
  statement: PartiqlStatement;
}

/** A table's key schema for PartiQL analysis, from any model's derived table definition. */
export function partiqlKeySchemaOf(definition: TableDefinition): PartiqlKeySchema {
  const keys = (schema: { AttributeName?: string; KeyType?: string }[] | undefined): KeyNames => {
    const hash = schema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
    const range = schema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
    return range ? { hash, range } : { hash };
  };
  return {
    table: keys(definition.input.KeySchema),
    indexes: Object.fromEntries((definition.input.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName ?? '', keys(g.KeySchema)])),
  };
}

/** A table or index name as a PartiQL quoted identifier (a double quote is doubled). */
export function quoteIdentifier(name: string): string {
  return '"' + name.split('"').join('""') + '"';
}

/**
 * Parses and classifies a statement. Throws the engine's ValidationException-shaped error
 * (`Statement wasn't well formed, ...`) on bad syntax; `keys` undefined for an index it does not
 * know leaves a SELECT on that index classified as a scan with the reason.
 */
export function analyzeStatement(text: string, keys: PartiqlKeySchema): StatementAnalysis {
  const parsed = parsePartiql(text);
  const s = parsed.statement;
  const index = s.kind === 'SELECT' ? s.index : undefined;
  const base = { kind: s.kind, table: s.table, index, parameterCount: parsed.parameterCount, literals: parsed.literals.map((l) => l.literal), statement: s };
  if (s.kind === 'SELECT') {
    const names = index === undefined ? keys.table : keys.indexes[index];
    if (!names) return { ...base, access: 'scan', reason: `the index ${index ?? ''} is not one of the table's indexes` };
    const plan = planSelect(s.where, names);
    return { ...base, access: plan.access, reason: plan.reason };
  }
  if (s.kind === 'INSERT') return { ...base, access: 'write', reason: undefined };
  const key = fullKey(s.where, keys.table);
  return { ...base, access: 'write', reason: 'missing' in key ? `the WHERE clause has no equality on the key attribute(s) ${key.missing.join(', ')}` : undefined };
}
