/** DynamoDB operations a pattern may declare. Scan is listed so a catalog can never claim it silently. */
export type DynamoOperation =
  | 'GetItem'
  | 'Query'
  | 'Scan'
  | 'PutItem'
  | 'UpdateItem'
  | 'DeleteItem'
  | 'BatchGetItem'
  | 'BatchWriteItem'
  | 'TransactGetItems'
  | 'TransactWriteItems'
  | 'ExecuteStatement'
  | 'BatchExecuteStatement'
  | 'ExecuteTransaction';

/** The kinds of PartiQL statement a request carries (the IAM actions PartiQLSelect, PartiQLInsert, ...). */
export type PartiQLStatementKind = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

/** How many times a request happens in one call: exact, or a range (max open when absent). */
export type Times = number | { min: number; max?: number };

export interface DeclaredRequest {
  operation: DynamoOperation;
  /** `table` for the base table, else the GSI's name. */
  index: string;
  /** The key condition in words, for people: `gsi2pk = email`. */
  key: string;
  /**
   * Allowed KeyConditionExpression shapes (names resolved, values as `?`, lowercase), checked
   * against what was sent. Only for Query.
   */
  keyConditions?: readonly string[];
  /**
   * Allowed FilterExpression shapes (names resolved, values as `?`, lowercase). A request with a
   * filter the declaration does not list, or without one it lists, does not match.
   */
  filters?: readonly string[];
  /**
   * Read consistency of a read (GetItem, Query, BatchGetItem): `strong`, `eventual` or `either`.
   * Default `eventual`: a strongly consistent read costs twice as much and must be declared.
   */
  consistency?: 'strong' | 'eventual' | 'either';
  /** Default 1. */
  times?: Times;
  /** Why the request is made, when a pattern makes several. */
  purpose?: string;
  /**
   * The kinds of items a TransactWriteItems sends (`Put`, `Update`, `Delete`, `ConditionCheck`):
   * the IAM export grants exactly these. Undeclared, it grants all four and says so.
   */
  transactItems?: readonly TransactItemKind[];
  /**
   * For ExecuteStatement, BatchExecuteStatement and ExecuteTransaction: the kinds of statements the
   * request carries (the IAM export grants the matching PartiQL actions).
   */
  partiql?: readonly PartiQLStatementKind[];
  /**
   * An ExecuteStatement SELECT that reads the whole table or index on purpose (no `=` or `IN` on the
   * partition key): the IAM export then leaves out its `dynamodb:FullTableScan` deny for that table
   * or index (and says so). Only with `partiql: ['SELECT']`. Like a Scan, defineCatalog refuses it;
   * a catalog built by hand can carry one.
   */
  fullTableScan?: boolean;
}

/** The kinds of items a TransactWriteItems may carry. */
export type TransactItemKind = 'ConditionCheck' | 'Put' | 'Update' | 'Delete';
const TRANSACT_ITEM_KINDS: readonly string[] = ['ConditionCheck', 'Put', 'Update', 'Delete'] satisfies TransactItemKind[];

/** The operations that carry PartiQL statements (and need `partiql`). */
export const PARTIQL_OPERATIONS: readonly DynamoOperation[] = ['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction'];
const PARTIQL_KINDS: readonly string[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'] satisfies PartiQLStatementKind[];

/**
 * What is wrong with a request's `partiql` and `fullTableScan` declarations, or undefined: a PartiQL
 * operation lists one or more distinct statement kinds (ExecuteStatement exactly one); a batch or a
 * transaction does not mix reads and writes (DynamoDB refuses it); no other operation has them; a full
 * table scan is only an ExecuteStatement SELECT (batch and transaction reads need the full key).
 */
export function partiqlDeclarationProblem(r: DeclaredRequest): string | undefined {
  const isPartiql = PARTIQL_OPERATIONS.includes(r.operation);
  if (!isPartiql) {
    if (r.partiql !== undefined) return `partiql is only for ${PARTIQL_OPERATIONS.join(', ')}, not a ${r.operation}`;
    if (r.fullTableScan !== undefined) return `fullTableScan is only for an ExecuteStatement with partiql: ['SELECT'], not a ${r.operation}`;
    return undefined;
  }
  const kinds = r.partiql;
  if (!Array.isArray(kinds) || kinds.length === 0) return `${r.operation} must declare partiql: the statement kinds it sends (${PARTIQL_KINDS.join(', ')})`;
  const bad = kinds.find((k) => !PARTIQL_KINDS.includes(k));
  if (bad !== undefined) return `partiql must list ${PARTIQL_KINDS.join(', ')}, got ${JSON.stringify(bad)}`;
  if (new Set(kinds).size !== kinds.length) return 'partiql lists a statement kind twice';
  if (r.operation === 'ExecuteStatement' && kinds.length !== 1) return 'an ExecuteStatement sends one statement: partiql lists exactly one kind';
  if (kinds.includes('SELECT') && kinds.length > 1) return `${r.operation} cannot mix reads (SELECT) and writes (${kinds.filter((k) => k !== 'SELECT').join(', ')})`;
  if (r.fullTableScan !== undefined && typeof r.fullTableScan !== 'boolean') return 'fullTableScan must be true or false';
  if (r.fullTableScan && !(r.operation === 'ExecuteStatement' && kinds[0] === 'SELECT')) return `fullTableScan is only for an ExecuteStatement with partiql: ['SELECT'] (a ${r.operation}'s reads need the full key)`;
  return undefined;
}

export interface AccessPatternDeclaration {
  /** The service method's name, and the test's. */
  name: string;
  kind: 'read' | 'write';
  description: string;
  /** Entities it returns or writes. */
  entities: readonly string[];
  /** The requests ONE call makes (one page, for listings), in order. */
  requests: readonly DeclaredRequest[];
  /** Other request sequences a call may take instead, each with the condition that leads to it. */
  alternatives?: readonly { when: string; requests: readonly DeclaredRequest[] }[];
  /** True when the call returns one page and a cursor for the next. */
  paged?: boolean;
  /**
   * A stream-driven write: the pattern is also called by the named stream consumer (of the model's
   * `streamConsumers`), on the records it handles, besides its callers. defineModel checks the name.
   */
  trigger?: { stream: string };
}

export type Catalog = readonly AccessPatternDeclaration[];

/** Every request a pattern may send, main sequence and alternatives together. */
export function declaredRequests(pattern: AccessPatternDeclaration): DeclaredRequest[] {
  return [...pattern.requests, ...(pattern.alternatives ?? []).flatMap((a) => a.requests)];
}

/** Keeps the literal pattern names, so `PatternName<typeof catalog>` is a union of names. */
export function defineCatalog<const T extends Catalog>(patterns: T): T {
  const seen = new Set<string>();
  for (const p of patterns) {
    if (seen.has(p.name)) throw new Error(`Access pattern "${p.name}" is declared twice`);
    seen.add(p.name);
    for (const r of declaredRequests(p)) {
      if (r.transactItems === undefined) continue;
      if (r.operation !== 'TransactWriteItems') throw new Error(`Access pattern "${p.name}": transactItems is only for a TransactWriteItems, not a ${r.operation}`);
      const bad = r.transactItems.find((k) => !TRANSACT_ITEM_KINDS.includes(k));
      if (bad !== undefined || r.transactItems.length === 0) throw new Error(`Access pattern "${p.name}": transactItems must list one or more of ${TRANSACT_ITEM_KINDS.join(', ')}${bad !== undefined ? `, got ${JSON.stringify(bad)}` : ''}`);
    }
    for (const r of declaredRequests(p)) {
      const problem = partiqlDeclarationProblem(r);
      if (problem) throw new Error(`Access pattern "${p.name}": ${problem}`);
    }
    if (declaredRequests(p).some((r) => r.operation === 'Scan')) {
      throw new Error(`Access pattern "${p.name}" declares a Scan: every access pattern must be served by keys`);
    }
    // A PartiQL SELECT that scans is a Scan: refused here alike (a hand-made catalog may still carry one).
    if (declaredRequests(p).some((r) => r.fullTableScan)) {
      throw new Error(`Access pattern "${p.name}" declares a PartiQL full table scan: every access pattern must be served by keys`);
    }
  }
  return patterns;
}

export type PatternName<C extends Catalog> = C[number]['name'];
