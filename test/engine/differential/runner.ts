/**
 * Runs request sequences on two targets in the same order and reports every difference in
 * status, error type, error message or (normalised) body.
 *
 * Normalised, because DynamoDB itself does not define them: timestamps, ARNs and ids, the
 * table/index size and item counts (DynamoDB refreshes them about every six hours), the order of
 * set members, of Scan results, of BatchGetItem responses, of per-table ConsumedCapacity entries
 * and of tags. Everything else is compared as sent.
 */
import { send, type Body, type Json, type Target, type WireResponse } from './wire';

export type JsonObject = { [key: string]: Json };

/** One request, sent as it is (after `$ARN:<table>` placeholders are replaced by each side's ARN). */
export interface RequestStep {
  op: string;
  body: Body;
  note?: string;
}

/**
 * A Query or Scan paged to the end, each side fed its own LastEvaluatedKey. A Scan with
 * TotalSegments is run for every segment. Query pages are compared page by page (their order is
 * defined); Scan results only as a whole (which item lands on which page or segment is not).
 */
export interface PageAllStep {
  op: 'Query' | 'Scan';
  pageAll: JsonObject;
  note?: string;
}

export type Step = RequestStep | PageAllStep;

export interface Sequence {
  name: string;
  steps: Step[];
}

/** What one side answered to one step, normalised. */
export interface Observation {
  status: number;
  type?: string;
  message?: string;
  body: Json;
}

export type Aspect = 'status' | 'type' | 'message' | 'body';

export interface Difference {
  sequence: string;
  step: number;
  op: string;
  aspect: Aspect;
  request: Json;
  left: Observation;
  right: Observation;
  /** Where the bodies differ: `path: left ≠ right`, the first few. */
  detail: string[];
}

/** The paths where two JSON values differ (objects by key, arrays by index). */
export function jsonDiff(a: Json | undefined, b: Json | undefined, path = '', out: string[] = [], max = 6): string[] {
  if (out.length >= max) return out;
  if (isObject(a ?? null) && isObject(b ?? null)) {
    const x = a as JsonObject;
    const y = b as JsonObject;
    for (const k of [...new Set([...Object.keys(x), ...Object.keys(y)])].sort()) jsonDiff(x[k], y[k], `${path}.${k}`, out, max);
    return out;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((v, i) => jsonDiff(v, b[i], `${path}[${i}]`, out, max));
    return out;
  }
  const show = (v: Json | undefined): string => (v === undefined ? '(absent)' : String(JSON.stringify(v)).slice(0, 160));
  if (canonical(a ?? null) !== canonical(b ?? null) || (a === undefined) !== (b === undefined)) out.push(`${path || '.'}: ${show(a)} ≠ ${show(b)}`);
  return out;
}

/** A request that killed the oracle's process (dynalite): nothing to compare for it. */
export interface Crash {
  sequence: string;
  step: number;
  op: string;
  request: Json;
}

export interface RunResult {
  requests: number;
  steps: number;
  /** Requests that crashed dynalite; the rest of their sequence was skipped. */
  crashes: Crash[];
  /** Differences no known difference explains. */
  differences: Difference[];
  /** Steps whose answers differed only in known ways, by known-difference id. */
  known: Map<string, number>;
}

/** What a known difference sees of one step, and may change (copies) to take itself out. */
export interface StepContext {
  sequence: string;
  op: string;
  request: JsonObject;
  left: Observation;
  right: Observation;
  /** The CreateTable requests dynalite accepted so far, by table name (schemas, indexes). */
  tables: ReadonlyMap<string, JsonObject>;
}

/**
 * A documented difference: `reconcile` removes it from the two observations (returns true when
 * it applied), so that whatever else differs in the same answer is still reported.
 */
export interface Reconciler {
  id: string;
  reconcile(ctx: StepContext): boolean;
}

/** Replaced by a marker: values DynamoDB does not define (or refreshes on its own schedule). */
const VOLATILE = new Set([
  'CreationDateTime', 'TableArn', 'TableId', 'IndexArn', 'LatestStreamArn', 'LatestStreamLabel',
  'LastIncreaseDateTime', 'LastDecreaseDateTime', 'LastUpdateToPayPerRequestDateTime',
  'TableSizeBytes', 'IndexSizeBytes', 'ItemCount',
]);

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** JSON with object keys sorted: equal values give equal strings. */
export function canonical(v: Json): string {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (isObject(v)) {
    return '{' + Object.keys(v).sort().map((k) => JSON.stringify(k) + ':' + canonical(v[k] as Json)).join(',') + '}';
  }
  return JSON.stringify(v);
}

const byCanonical = (a: Json, b: Json): number => {
  const x = canonical(a);
  const y = canonical(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

function normaliseValue(v: Json): Json {
  if (Array.isArray(v)) return v.map(normaliseValue);
  if (!isObject(v)) return v;
  const keys = Object.keys(v);
  // A set's member order is not defined by DynamoDB.
  if (keys.length === 1 && (keys[0] === 'SS' || keys[0] === 'NS' || keys[0] === 'BS') && Array.isArray(v[keys[0]])) {
    return { [keys[0]]: [...(v[keys[0]] as Json[])].sort(byCanonical) };
  }
  const out: JsonObject = {};
  for (const k of keys) {
    const value = v[k] as Json;
    if (VOLATILE.has(k)) out[k] = '<volatile>';
    else if ((k === 'GlobalSecondaryIndexes' || k === 'LocalSecondaryIndexes') && Array.isArray(value)) {
      const indexName = (x: Json): Json => (isObject(x) ? (x.IndexName ?? null) : x);
      out[k] = [...(normaliseValue(value) as Json[])].sort((a, b) => byCanonical(indexName(a), indexName(b)));
    } else if (k === 'ConsumedCapacity' && Array.isArray(value)) {
      out[k] = [...(normaliseValue(value) as Json[])].sort(byCanonical);
    } else out[k] = normaliseValue(value);
  }
  return out;
}

/** Normalises a successful answer's body for comparison. */
export function normaliseBody(op: string, body: Json): Json {
  const out = normaliseValue(body);
  if (!isObject(out)) return out;
  if (op === 'Scan' && Array.isArray(out.Items)) out.Items = [...out.Items].sort(byCanonical);
  if (op === 'BatchGetItem' && isObject(out.Responses)) {
    for (const table of Object.keys(out.Responses)) {
      const items = out.Responses[table];
      if (Array.isArray(items)) out.Responses[table] = [...items].sort(byCanonical);
    }
  }
  if (op === 'ListTagsOfResource' && Array.isArray(out.Tags)) out.Tags = [...out.Tags].sort(byCanonical);
  return out;
}

/** Splits an answer into status, short error type, message and the rest of the body. */
export function observe(op: string, response: WireResponse): Observation {
  const { status, body } = response;
  if (isObject(body) && typeof body.__type === 'string') {
    const rest: JsonObject = {};
    let message: string | undefined;
    for (const [k, v] of Object.entries(body)) {
      if (k === '__type') continue;
      if ((k === 'message' || k === 'Message') && typeof v === 'string') {
        message = v;
        if (k === 'Message') rest.__messageKey = 'Message';
        continue;
      }
      rest[k] = v;
    }
    const type = body.__type.slice(body.__type.lastIndexOf('#') + 1);
    return { status, type, ...(message === undefined ? {} : { message }), body: normaliseValue(rest) };
  }
  return { status, body: status === 200 ? normaliseBody(op, body) : body };
}

/** The server closed the connection without an answer: its process died. */
export class ServerGone extends Error {
  constructor(readonly server: string, cause: unknown) {
    super(`${server} closed the connection without answering (${cause instanceof Error ? cause.message : String(cause)})`);
  }
}

/** Per-side state: the ARN each side gave each table (ARNs differ by account and region). */
class Side {
  readonly arns = new Map<string, string>();
  requests = 0;
  constructor(readonly target: Target) {}

  substitute(v: Json): Json {
    if (typeof v === 'string' && v.startsWith('$ARN:')) {
      const table = v.slice(5);
      return this.arns.get(table) ?? `arn:aws:dynamodb:us-east-1:000000000000:table/${table}`;
    }
    if (Array.isArray(v)) return v.map((x) => this.substitute(x));
    if (isObject(v)) {
      const out: JsonObject = {};
      for (const [k, x] of Object.entries(v)) out[k] = this.substitute(x);
      return out;
    }
    return v;
  }

  async send(op: string, body: Body): Promise<WireResponse> {
    this.requests++;
    let response: WireResponse;
    try {
      response = await send(this.target, op, 'json' in body ? { json: this.substitute(body.json) } : body);
    } catch (e) {
      throw new ServerGone(this.target.name, e);
    }
    this.learn(response.body);
    return response;
  }

  /**
   * Waits until a table is ACTIVE again after CreateTable or UpdateTable: dynalite flips the
   * status on a timer (createTableMs 0 is still a turn of its event loop), and the next request
   * must not race it. Not counted, not compared.
   */
  async settle(table: Json | undefined): Promise<void> {
    if (typeof table !== 'string') return;
    for (let i = 0; i < 50; i++) {
      const r = await send(this.target, 'DescribeTable', { json: { TableName: table } });
      const t = isObject(r.body) && isObject(r.body.Table) ? r.body.Table : undefined;
      const indexes = t && Array.isArray(t.GlobalSecondaryIndexes) ? t.GlobalSecondaryIndexes : [];
      if (!t || (t.TableStatus === 'ACTIVE' && indexes.every((x) => isObject(x) && x.IndexStatus === 'ACTIVE'))) return;
      await new Promise((done) => setTimeout(done, 5));
    }
  }

  private learn(body: Json): void {
    if (!isObject(body)) return;
    for (const key of ['TableDescription', 'Table']) {
      const d = body[key];
      if (isObject(d) && typeof d.TableName === 'string' && typeof d.TableArn === 'string') this.arns.set(d.TableName, d.TableArn);
    }
  }

  /** Runs a page-all step; returns the aggregated observation. */
  async pageAll(op: 'Query' | 'Scan', request: JsonObject): Promise<Observation> {
    const segments = op === 'Scan' && typeof request.TotalSegments === 'number' && request.TotalSegments > 0 && request.TotalSegments <= 16
      ? request.TotalSegments : undefined;
    const pages: Json[] = [];
    const items: Json[] = [];
    let count = 0;
    let scanned = 0;
    for (let segment = 0; segment < (segments ?? 1); segment++) {
      let start: Json | undefined;
      for (let page = 0; page < 200; page++) {
        const body: JsonObject = { ...request };
        if (segments !== undefined) body.Segment = segment;
        if (start !== undefined) body.ExclusiveStartKey = start;
        const response = await this.send(op, { json: body });
        const seen = observe(op, response);
        if (seen.status !== 200 || !isObject(seen.body)) {
          return { ...seen, body: { pagesBeforeError: pages.length, error: seen.body } };
        }
        const answer = seen.body;
        if (op === 'Query') pages.push(answer);
        else {
          if (Array.isArray(answer.Items)) items.push(...answer.Items);
          if (typeof answer.Count === 'number') count += answer.Count;
          if (typeof answer.ScannedCount === 'number') scanned += answer.ScannedCount;
          pages.push(answer.ConsumedCapacity ?? null);
        }
        const last = (response.body as JsonObject).LastEvaluatedKey;
        if (last === undefined) break;
        start = last;
      }
    }
    if (op === 'Query') return { status: 200, body: { pages } };
    return { status: 200, body: { pageCount: pages.length, count, scanned, items: items.sort(byCanonical), capacity: pages } };
  }
}

function describeRequest(step: Step): Json {
  if ('pageAll' in step) return { pageAll: step.pageAll };
  return 'json' in step.body ? step.body.json : { raw: step.body.raw };
}

function compare(sequence: string, index: number, step: Step, left: Observation, right: Observation): Difference[] {
  const out: Difference[] = [];
  const base = { sequence, step: index, op: step.op, request: describeRequest(step), left, right, detail: jsonDiff(left.body, right.body) };
  if (left.status !== right.status) out.push({ ...base, aspect: 'status' });
  if (left.type !== right.type) out.push({ ...base, aspect: 'type' });
  else if (left.message !== right.message) out.push({ ...base, aspect: 'message' });
  // An error's other fields (Item, CancellationReasons) and a success's body.
  if (left.type === right.type && canonical(left.body) !== canonical(right.body)) out.push({ ...base, aspect: 'body' });
  return out;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** Runs sequences on both targets, step by step in the same order; collects every difference. */
export async function runSequences(left: Target, right: Target, sequences: Sequence[], known: Reconciler[] = []): Promise<RunResult> {
  const l = new Side(left);
  const r = new Side(right);
  const differences: Difference[] = [];
  const knownCounts = new Map<string, number>();
  const tables = new Map<string, JsonObject>();
  let steps = 0;
  const crashes: Crash[] = [];
  for (const sequence of sequences) {
    for (const [index, step] of sequence.steps.entries()) {
      steps++;
      let a: Observation;
      try {
        a = 'pageAll' in step ? await l.pageAll(step.op, step.pageAll) : observe(step.op, await l.send(step.op, step.body));
      } catch (e) {
        // Only the oracle may crash: the engine's crash fails the run (below, uncaught).
        if (!(e instanceof ServerGone) || !left.restart) throw e;
        crashes.push({ sequence: sequence.name, step: index, op: step.op, request: describeRequest(step) });
        await left.restart();
        // The rest of the sequence would compare a fresh dynalite with the engine's state:
        // skip it, and drop the sequence's tables on the engine's side.
        for (const t of new Set(sequence.steps.flatMap((s) => (s.op === 'CreateTable' && !('pageAll' in s) && 'json' in s.body && isObject(s.body.json) && typeof s.body.json.TableName === 'string' ? [s.body.json.TableName] : [])))) {
          await r.send('DeleteTable', { json: { TableName: t } });
        }
        break;
      }
      if ((step.op === 'CreateTable' || step.op === 'UpdateTable') && a.status === 200 && !('pageAll' in step) && 'json' in step.body && isObject(step.body.json)) {
        await l.settle(step.body.json.TableName);
      }
      const settleRight = (step.op === 'CreateTable' || step.op === 'UpdateTable') && !('pageAll' in step) && 'json' in step.body && isObject(step.body.json) ? step.body.json.TableName : undefined;
      const b = 'pageAll' in step ? await r.pageAll(step.op, step.pageAll) : observe(step.op, await r.send(step.op, step.body));
      if (b.status === 200) await r.settle(settleRight);
      let found = compare(sequence.name, index, step, a, b);
      if (found.length > 0 && known.length > 0) {
        const request = describeRequest(step);
        const ctx: StepContext = {
          sequence: sequence.name, op: step.op,
          request: isObject(request) ? (isObject(request.pageAll) ? request.pageAll : request) : {},
          left: clone(a), right: clone(b), tables,
        };
        const applied = known.filter((k) => k.reconcile(ctx)).map((k) => k.id);
        const rest = compare(sequence.name, index, step, ctx.left, ctx.right);
        if (applied.length > 0) {
          for (const id of applied) knownCounts.set(id, (knownCounts.get(id) ?? 0) + 1);
          // What is left is reported against the original answers, with the known ids named.
          found = rest.length === 0 ? [] : found.map((d) => ({ ...d, detail: [`known here: ${applied.join(', ')}`, ...jsonDiff(ctx.left.body, ctx.right.body)] }));
        }
      }
      differences.push(...found);
      if (step.op === 'CreateTable' && a.status === 200 && !('pageAll' in step) && 'json' in step.body && isObject(step.body.json) && typeof step.body.json.TableName === 'string') {
        tables.set(step.body.json.TableName, step.body.json);
      }
    }
  }
  return { requests: l.requests, steps, crashes, differences, known: knownCounts };
}
