/**
 * PartiQL for services, safe by construction:
 * - parameterized only: a statement with a literal in its text ('x', 42, TRUE) is refused, so a
 *   value can never be spliced into a statement (values go in `parameters`, marshalled by the SDK);
 * - a SELECT that DynamoDB would run as a Scan (no = or IN on the partition key, an OR at the top,
 *   no WHERE) is refused before it is sent, with the reason, unless `allowScan` says it is meant;
 * - pages follow NextToken across empty pages (Limit counts items before the WHERE filter) up to a
 *   bound, and hand out a cursor bound to the listing, the statement and its parameters;
 * - per-statement errors of BatchExecuteStatement and the cancellation of ExecuteTransaction become
 *   the toolkit's typed errors.
 */
import { createHash, randomUUID } from 'node:crypto';
import { BatchExecuteStatementCommand, ExecuteStatementCommand, ExecuteTransactionCommand } from '@aws-sdk/lib-dynamodb';
import { CursorError, decodeTokenCursor, encodeTokenCursor } from '../cursor/page-cursor';
import { callDynamo } from '../requests/classify-error';
import { ServiceError, TransactionCancelledError, UnavailableError, ValidationError } from '../requests/errors';
import { DEFAULT_PAGE_SIZE, type PageRequest, type RequestContext } from '../requests/request-context';
import { analyzeStatement, type PartiqlKeySchema, type StatementAnalysis } from './analyze-statement';

type Raw = Record<string, unknown>;

/** A statement and its ? values (plain JavaScript values; the DocumentClient marshals them). */
export interface PartiqlRequest {
  statement: string;
  parameters?: readonly unknown[];
}

export interface PartiqlOptions {
  /** The table's and indexes' key attributes (partiqlKeySchemaOf(definition)). */
  keys: PartiqlKeySchema;
  /** The pattern declares a Scan on purpose: a SELECT that scans is sent instead of refused. */
  allowScan?: boolean;
  /** Strongly consistent reads (SELECT only; not on a GSI). */
  consistent?: boolean;
}

/** Why a statement was refused before anything was sent. */
export type PartiqlRule = 'syntax' | 'literal' | 'parameters' | 'scan' | 'key' | 'mixed';

/** A statement the toolkit refuses to send: nothing was sent. */
export class PartiqlStatementError extends ServiceError<'PARTIQL_STATEMENT'> {
  constructor(
    readonly rule: PartiqlRule,
    readonly statement: string,
    detail: string,
  ) {
    super('PARTIQL_STATEMENT', `PartiQL statement refused (${rule}): ${detail}`);
  }
}

/** One statement of a BatchExecuteStatement failed (DynamoDB's BatchStatementError code in `reason`). */
export class StatementFailedError extends ServiceError<'STATEMENT_FAILED'> {
  constructor(
    readonly reason: string,
    readonly index: number,
    message: string,
  ) {
    super('STATEMENT_FAILED', `statement ${index} failed: ${reason}${message ? ` (${message})` : ''}`);
  }
}

/** Checks a statement before it is sent; returns its analysis or throws PartiqlStatementError. */
export function checkStatement(request: PartiqlRequest, options: PartiqlOptions, context: { batch?: boolean } = {}): StatementAnalysis {
  let a: StatementAnalysis;
  try {
    a = analyzeStatement(request.statement, options.keys);
  } catch (error) {
    throw new PartiqlStatementError('syntax', request.statement, (error as Error).message);
  }
  if (a.literals.length) {
    throw new PartiqlStatementError('literal', request.statement, `the text holds ${a.literals.length} literal value(s) (${a.literals.join(', ')}): write ? and pass the values as parameters`);
  }
  const given = request.parameters?.length ?? 0;
  if (given !== a.parameterCount) throw new PartiqlStatementError('parameters', request.statement, `it has ${a.parameterCount} ? but ${given} parameter(s) were given`);
  if (a.access === 'scan' && !options.allowScan) throw new PartiqlStatementError('scan', request.statement, `DynamoDB would scan the whole ${a.index === undefined ? 'table' : `index ${a.index}`}: ${a.reason ?? ''}`);
  if (a.access === 'write' && a.reason) throw new PartiqlStatementError('key', request.statement, a.reason);
  if (context.batch && a.kind === 'SELECT' && a.access !== 'key-lookup') {
    throw new PartiqlStatementError('key', request.statement, 'a SELECT in a batch or transaction must name the full primary key by equality');
  }
  return a;
}

function fingerprint(request: PartiqlRequest): string {
  return createHash('sha256').update(JSON.stringify([request.statement, request.parameters ?? []])).digest('base64url').slice(0, 22);
}

function input(request: PartiqlRequest): { Statement: string; Parameters?: unknown[] } {
  return { Statement: request.statement, ...(request.parameters?.length ? { Parameters: [...request.parameters] } : {}) };
}

/** One ExecuteStatement (a key lookup or a write), no paging: the items it returned. */
export async function executeStatement(ctx: RequestContext, request: PartiqlRequest, options: PartiqlOptions): Promise<Raw[]> {
  checkStatement(request, options);
  const out = await callDynamo(() => ctx.doc.send(new ExecuteStatementCommand({ ...input(request), ...(options.consistent ? { ConsistentRead: true } : {}) } as never)));
  return ((out as { Items?: Raw[] }).Items ?? []) as Raw[];
}

export interface StatementPageOptions extends PartiqlOptions {
  /** Requests one page may send while DynamoDB answers empty pages with a NextToken. Default 10. */
  maxRequests?: number;
}

/**
 * One page of a SELECT: ExecuteStatement with Limit = page size, following NextToken while a
 * page comes back empty (Limit counts items read before the filter) up to `maxRequests`; returns
 * what it got and a cursor (`null` at the end). The cursor continues only this pattern, this
 * statement and these parameters (signed with ctx.cursorSecret when set).
 */
export async function executeStatementPage(ctx: RequestContext, pattern: string, request: PartiqlRequest, page: PageRequest, options: StatementPageOptions): Promise<{ raw: Raw[]; cursor: string | null }> {
  const a = checkStatement(request, options);
  if (a.kind !== 'SELECT') throw new PartiqlStatementError('key', request.statement, 'only a SELECT has pages');
  const fp = fingerprint(request);
  let token: string | undefined;
  if (page.cursor) {
    try {
      token = decodeTokenCursor(page.cursor, pattern, fp, ctx.cursorSecret);
    } catch (error) {
      if (error instanceof CursorError) throw new ValidationError([{ field: 'cursor', rule: error.rule }]);
      throw error;
    }
  }
  const limit = page.limit ?? ctx.defaultPageSize ?? DEFAULT_PAGE_SIZE;
  const bound = options.maxRequests ?? 10;
  const raw: Raw[] = [];
  for (let sent = 0; sent < bound; sent++) {
    const out = (await callDynamo(() =>
      ctx.doc.send(new ExecuteStatementCommand({ ...input(request), Limit: limit, ...(token ? { NextToken: token } : {}), ...(options.consistent ? { ConsistentRead: true } : {}) } as never)),
    )) as { Items?: Raw[]; NextToken?: string };
    raw.push(...(out.Items ?? []));
    token = out.NextToken;
    if (!token || raw.length) break;
  }
  return { raw, cursor: token ? encodeTokenCursor(pattern, fp, token, ctx.cursorSecret) : null };
}

const TRANSIENT_CODES = new Set(['ProvisionedThroughputExceeded', 'ThrottlingError', 'RequestLimitExceeded', 'TransactionConflict', 'InternalServerError']);

/** What one statement of a batch gave: its item (reads), or its error as a typed error. */
export type BatchStatementResult = { ok: true; item: Raw | undefined } | { ok: false; code: string; error: ServiceError };

/**
 * One BatchExecuteStatement (at most 25 statements, all reads naming full keys or all writes).
 * Every statement is checked before anything is sent. DynamoDB answers HTTP 200 with an error per
 * failed statement: each becomes StatementFailedError (its DynamoDB code in `reason`), or
 * UnavailableError for throttling and conflicts (retry those statements later).
 */
export async function batchExecute(ctx: RequestContext, requests: readonly PartiqlRequest[], options: PartiqlOptions): Promise<BatchStatementResult[]> {
  if (requests.length === 0 || requests.length > 25) throw new ValidationError([{ field: 'statements', rule: 'must hold 1 to 25 statements (BatchExecuteStatement)', received: String(requests.length) }]);
  const analyses = requests.map((r) => checkStatement(r, options, { batch: true }));
  if (new Set(analyses.map((a) => a.kind === 'SELECT')).size > 1) throw new PartiqlStatementError('mixed', requests[0]?.statement ?? '', 'a batch holds either reads or writes, not both');
  const out = (await callDynamo(() =>
    ctx.doc.send(new BatchExecuteStatementCommand({ Statements: requests.map((r) => ({ ...input(r), ...(options.consistent ? { ConsistentRead: true } : {}) })) } as never)),
  )) as { Responses?: Array<{ Item?: Raw; Error?: { Code?: string; Message?: string } }> };
  return (out.Responses ?? []).map((r, i): BatchStatementResult => {
    if (!r.Error) return { ok: true, item: r.Item };
    const code = r.Error.Code ?? 'Unknown';
    const error = TRANSIENT_CODES.has(code) ? new UnavailableError(`statement ${i} failed: ${code}: retry later`) : new StatementFailedError(code, i, r.Error.Message ?? '');
    return { ok: false, code, error };
  });
}

/**
 * One ExecuteTransaction, all or nothing (reads naming full keys, or writes), with a
 * ClientRequestToken for writes. A cancellation becomes TransactionCancelledError with one reason
 * per statement (`DuplicateItem` for an INSERT on an existing key, `ConditionalCheckFailed`, ...).
 */
export async function executeTransaction(ctx: RequestContext, requests: readonly PartiqlRequest[], options: PartiqlOptions): Promise<Array<Raw | undefined>> {
  if (requests.length === 0 || requests.length > 100) throw new ValidationError([{ field: 'statements', rule: 'must hold 1 to 100 statements (ExecuteTransaction)', received: String(requests.length) }]);
  const analyses = requests.map((r) => checkStatement(r, options, { batch: true }));
  const reads = analyses.filter((a) => a.kind === 'SELECT').length;
  if (reads && reads !== analyses.length) throw new PartiqlStatementError('mixed', requests[0]?.statement ?? '', 'a transaction holds either reads or writes, not both');
  try {
    const out = (await callDynamo(() =>
      ctx.doc.send(new ExecuteTransactionCommand({ TransactStatements: requests.map(input), ...(reads ? {} : { ClientRequestToken: randomUUID() }) } as never)),
    )) as { Responses?: Array<{ Item?: Raw }> };
    return requests.map((_, i) => out.Responses?.[i]?.Item);
  } catch (error) {
    if ((error as { name?: string }).name === 'TransactionCanceledException') {
      const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
      throw new TransactionCancelledError(reasons.map((r) => r.Code ?? 'None'));
    }
    throw error;
  }
}
