/**
 * The allow-list: every difference between the engine and dynalite that is known and decided by
 * AWS's documentation, each a row of docs/engine-fidelity.md (same id). A reconciler takes its
 * difference out of the two answers of a step; whatever else differs is still reported, and any
 * difference no entry explains fails the differential test. Keep it small: one behaviour per
 * entry, each as narrow as the behaviour.
 *
 * Left: dynalite. Right: the engine. Every entry here is a case where the engine follows AWS and
 * dynalite does not (engine bugs are not listed: they fail the test until fixed).
 */
import type { JsonObject, Observation, Reconciler, StepContext } from './runner';
import type { Json } from './wire';

export interface KnownDifference extends Reconciler {
  /** One line: what differs. */
  summary: string;
}

const obj = (v: Json | undefined): JsonObject | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;

/** The engine answered as dynalite would have had it followed AWS: take the engine's answer out. */
function adopt(ctx: StepContext): true {
  ctx.right = JSON.parse(JSON.stringify(ctx.left)) as Observation;
  return true;
}

const isValidation = (o: Observation, text: string): boolean => o.type === 'ValidationException' && (o.message ?? '').includes(text);

/** The table descriptions inside an answer (CreateTable, DescribeTable, DeleteTable, UpdateTable). */
function descriptions(o: Observation): JsonObject[] {
  const body = obj(o.body);
  if (!body) return [];
  return [body.TableDescription, body.Table].map(obj).filter((d): d is JsonObject => d !== undefined);
}

/** ConsumedCapacity entries of an answer (one object, or one per table for batches). */
function capacities(o: Observation): JsonObject[] {
  const c = obj(o.body)?.ConsumedCapacity;
  if (Array.isArray(c)) return c.map(obj).filter((x): x is JsonObject => x !== undefined);
  const one = obj(c);
  return one ? [one] : [];
}

export const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    id: 'KD-1',
    summary: 'ReturnValuesOnConditionCheckFailure ALL_OLD: the engine returns the item in ConditionalCheckFailedException; dynalite ignores the parameter',
    reconcile: (ctx) => {
      const item = obj(ctx.right.body)?.Item;
      if (ctx.request.ReturnValuesOnConditionCheckFailure !== 'ALL_OLD' || ctx.right.type !== 'ConditionalCheckFailedException' || item === undefined) return false;
      if (obj(ctx.left.body)?.Item !== undefined) return false;
      delete (ctx.right.body as JsonObject).Item;
      return true;
    },
  },
  {
    id: 'KD-2',
    summary: 'Table descriptions: the engine sends DeletionProtectionEnabled: false; dynalite predates the field',
    reconcile: (ctx) => {
      let done = false;
      const lefts = descriptions(ctx.left);
      descriptions(ctx.right).forEach((d, i) => {
        if (d.DeletionProtectionEnabled === false && lefts[i] && lefts[i].DeletionProtectionEnabled === undefined) {
          delete d.DeletionProtectionEnabled;
          done = true;
        }
      });
      return done;
    },
  },
  {
    id: 'KD-3',
    summary: 'Table descriptions: dynalite sends a top-level BillingMode, which TableDescription does not have (BillingModeSummary does)',
    reconcile: (ctx) => {
      let done = false;
      const rights = descriptions(ctx.right);
      descriptions(ctx.left).forEach((d, i) => {
        if (d.BillingMode !== undefined && rights[i] && rights[i].BillingMode === undefined) {
          delete d.BillingMode;
          done = true;
        }
      });
      return done;
    },
  },
  {
    id: 'KD-4',
    summary: 'Condition and filter comparisons of strings: the engine compares UTF-8 bytes, dynalite UTF-16 code units (they differ between U+E000-U+FFFF and astral characters)',
    // Only the hand-written case isolates it: the generator keeps such pairs out of compared values.
    reconcile: (ctx) => ctx.sequence === 'hand_condition_utf8' && (ctx.op === 'PutItem' || ctx.op === 'GetItem') && adopt(ctx),
  },
  {
    id: 'KD-5',
    summary: 'Key size limits counted in UTF-8 bytes by the engine, in UTF-16 code units by dynalite (a 1026-byte sort key of 513 "é" passes dynalite)',
    reconcile: (ctx) => ctx.left.status === 200 && (isValidation(ctx.right, 'has exceeded the size limit of 1024 bytes') || isValidation(ctx.right, 'maximum size limit of2048 bytes')) && adopt(ctx),
  },
  {
    id: 'KD-6',
    summary: 'An empty string or binary as a secondary-index key attribute: the engine refuses the write, dynalite stores it',
    reconcile: (ctx) => ctx.left.status === 200 && isValidation(ctx.right, 'A value specified for a secondary index key is not supported') && adopt(ctx),
  },
  {
    id: 'KD-7',
    summary: 'DeleteItem ReturnValues other than NONE/ALL_OLD: the engine refuses them, dynalite runs the delete',
    reconcile: (ctx) => ctx.op === 'DeleteItem' && isValidation(ctx.right, 'ReturnValues can only be ALL_OLD or NONE') && !isValidation(ctx.left, 'ReturnValues') && adopt(ctx),
  },
  {
    id: 'KD-8',
    summary: 'Write capacity of global secondary indexes: the engine counts index writes (reported per index with INDEXES, in the total with TOTAL); dynalite counts the table only',
    reconcile: (ctx) => {
      let done = false;
      const lefts = capacities(ctx.left);
      capacities(ctx.right).forEach((c, i) => {
        const l = lefts[i];
        if (!l || l.GlobalSecondaryIndexes !== undefined) return;
        const gsis = obj(c.GlobalSecondaryIndexes);
        if (gsis) {
          // INDEXES: exact, the per-index units are taken out of the total.
          let units = 0;
          for (const g of Object.values(gsis)) units += Number(obj(g)?.CapacityUnits ?? 0);
          if (typeof c.CapacityUnits === 'number') c.CapacityUnits -= units;
          delete c.GlobalSecondaryIndexes;
          done = true;
          return;
        }
        // TOTAL: no breakdown; on a table with GSIs, a write's total may exceed the table's units
        // by at most 2 units per index and table unit (an index key change is a delete and a put).
        const table = ctx.tables.get(typeof c.TableName === 'string' ? c.TableName : '');
        const indexes = Array.isArray(table?.GlobalSecondaryIndexes) ? table.GlobalSecondaryIndexes.length : 0;
        const isWrite = ['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'].includes(ctx.op);
        if (!isWrite || indexes === 0 || typeof c.CapacityUnits !== 'number' || typeof l.CapacityUnits !== 'number') return;
        const extra = c.CapacityUnits - l.CapacityUnits;
        if (extra > 0 && extra <= 2 * indexes * Math.max(1, l.CapacityUnits)) {
          c.CapacityUnits = l.CapacityUnits;
          done = true;
        }
      });
      return done;
    },
  },
  {
    id: 'KD-9',
    summary: 'Select other than SPECIFIC_ATTRIBUTES together with ProjectionExpression, or SPECIFIC_ATTRIBUTES without one: the engine refuses, dynalite answers',
    reconcile: (ctx) => ctx.left.status === 200 &&
      (isValidation(ctx.right, 'Cannot specify the ProjectionExpression when choosing to get') || isValidation(ctx.right, 'Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES')) &&
      adopt(ctx),
  },
  {
    id: 'KD-10',
    summary: 'CreateTable of an existing table: dynalite sends ResourceInUseException with an empty message, the engine "Table already exists: <name>"',
    reconcile: (ctx) => ctx.op === 'CreateTable' && ctx.left.type === 'ResourceInUseException' && ctx.right.type === 'ResourceInUseException' &&
      ctx.left.message === '' && (ctx.right.message ?? '').startsWith('Table already exists: ') && adopt(ctx),
  },
  {
    id: 'KD-11',
    summary: 'A comparison whose two operands both resolve to nothing (missing attributes, size() of one): dynalite takes them as equal, the engine as no value (= false, <> true)',
    reconcile: (ctx) => {
      const text = typeof ctx.request.ConditionExpression === 'string' ? ctx.request.ConditionExpression : '';
      // One comparison of two document paths (or size() of them), no value: only then can both be missing.
      const m = /^\s*(size\([^():]+\)|[^\s():,]+)\s*(=|<>)\s*(size\([^():]+\)|[^\s():,]+)\s*$/.exec(text);
      if (!m || text.includes(':')) return false;
      const leftFailed = ctx.left.type === 'ConditionalCheckFailedException';
      const rightFailed = ctx.right.type === 'ConditionalCheckFailedException';
      const flipped = m[2] === '=' ? !leftFailed && rightFailed : leftFailed && !rightFailed;
      return flipped && adopt(ctx);
    },
  },
  {
    id: 'KD-12',
    summary: 'Expression syntax errors: dynalite words them as its PEG parser does ("Expected ... but X found"), the engine as DynamoDB does ("token: X, near: Y")',
    reconcile: (ctx) => ctx.left.type === 'ValidationException' && ctx.right.type === 'ValidationException' &&
      /Syntax error; Expected /.test(ctx.left.message ?? '') && /Syntax error; token: /.test(ctx.right.message ?? '') &&
      (ctx.left.message ?? '').split(':')[0] === (ctx.right.message ?? '').split(':')[0] && adopt(ctx),
  },
  {
    id: 'KD-13',
    summary: 'Streams: the engine honours StreamSpecification (StreamSpecification, LatestStreamArn, LatestStreamLabel in table descriptions); dynalite has no streams and drops them',
    reconcile: (ctx) => {
      let done = false;
      const lefts = descriptions(ctx.left);
      descriptions(ctx.right).forEach((d, i) => {
        const l = lefts[i];
        if (!l || l.StreamSpecification !== undefined || d.StreamSpecification === undefined) return;
        for (const k of ['StreamSpecification', 'LatestStreamArn', 'LatestStreamLabel']) delete d[k];
        done = true;
      });
      return done;
    },
  },
  {
    id: 'KD-14',
    summary: 'Item sizes (capacity units) count string bytes in UTF-8 in the engine, UTF-16 code units in dynalite: non-ASCII items cost more in the engine',
    reconcile: (ctx) => {
      // Only where the request itself carries non-ASCII text (its key or item).
      if (!/[\u0080-\uffff]/.test(JSON.stringify(ctx.request))) return false;
      let done = false;
      const lefts = capacities(ctx.left);
      capacities(ctx.right).forEach((c, i) => {
        const l = lefts[i];
        if (!l || typeof c.CapacityUnits !== 'number' || typeof l.CapacityUnits !== 'number' || c.CapacityUnits <= l.CapacityUnits) return;
        c.CapacityUnits = l.CapacityUnits;
        const t = obj(c.Table);
        if (t && obj(l.Table)) t.CapacityUnits = obj(l.Table)?.CapacityUnits ?? null;
        done = true;
      });
      return done;
    },
  },
  {
    id: 'KD-15',
    summary: 'A string set with the empty string twice: the engine refuses the duplicates, dynalite stores the set',
    reconcile: (ctx) => ctx.left.status === 200 && isValidation(ctx.right, 'Input collection [, ] contains duplicates') && adopt(ctx),
  },
  {
    id: 'KD-16',
    summary: 'UpdateTable GlobalSecondaryIndexUpdates Create: the engine adds the index (and its AttributeDefinitions); dynalite ignores Create and Delete',
    reconcile: (ctx) => {
      const byTable = createdIndexes(ctx);
      if (ctx.op === 'UpdateTable' && typeof ctx.request.TableName === 'string' && Array.isArray(ctx.request.GlobalSecondaryIndexUpdates)) {
        const entry = byTable.get(ctx.request.TableName) ?? { indexes: new Set<string>(), attributes: new Set<string>() };
        for (const u of ctx.request.GlobalSecondaryIndexUpdates) {
          const create = obj(obj(u)?.Create);
          if (typeof create?.IndexName === 'string') entry.indexes.add(create.IndexName);
        }
        for (const d of Array.isArray(ctx.request.AttributeDefinitions) ? ctx.request.AttributeDefinitions : []) {
          const name = obj(d)?.AttributeName;
          if (typeof name === 'string') entry.attributes.add(name);
        }
        byTable.set(ctx.request.TableName, entry);
      }
      let done = false;
      // Creating an index makes the table UPDATING (the engine); dynalite, ignoring it, stays ACTIVE.
      if (ctx.op === 'UpdateTable' && typeof ctx.request.TableName === 'string' && (byTable.get(ctx.request.TableName)?.indexes.size ?? 0) > 0) {
        const r = obj(obj(ctx.right.body)?.TableDescription);
        const l = obj(obj(ctx.left.body)?.TableDescription);
        if (r && l && r.TableStatus === 'UPDATING' && l.TableStatus === 'ACTIVE') {
          r.TableStatus = 'ACTIVE';
          done = true;
        }
      }
      const lefts = descriptions(ctx.left);
      descriptions(ctx.right).forEach((d, i) => {
        const entry = typeof d.TableName === 'string' ? byTable.get(d.TableName) : undefined;
        const l = lefts[i];
        if (!entry || !l) return;
        const known = (x: Json, set: Set<string>, key: string): boolean => set.has(String(obj(x)?.[key]));
        if (Array.isArray(d.GlobalSecondaryIndexes)) {
          const rest = d.GlobalSecondaryIndexes.filter((x) => !known(x, entry.indexes, 'IndexName'));
          if (rest.length !== d.GlobalSecondaryIndexes.length) {
            done = true;
            if (rest.length) d.GlobalSecondaryIndexes = rest;
            else delete d.GlobalSecondaryIndexes;
          }
        }
        if (Array.isArray(d.AttributeDefinitions) && Array.isArray(l.AttributeDefinitions)) {
          const leftNames = new Set(l.AttributeDefinitions.map((x) => String(obj(x)?.AttributeName)));
          const rest = d.AttributeDefinitions.filter((x) => leftNames.has(String(obj(x)?.AttributeName)) || !known(x, entry.attributes, 'AttributeName'));
          if (rest.length !== d.AttributeDefinitions.length) {
            d.AttributeDefinitions = rest;
            done = true;
          }
        }
      });
      return done;
    },
  },
  {
    id: 'KD-17',
    summary: 'AccessDeniedException messages name the caller ("User: arn:aws:iam::000000000000:<name>"): each server names itself',
    reconcile: (ctx) => {
      const caller = /^User: arn:aws:iam::\d+:[^ ]+ /;
      if (ctx.left.type !== 'AccessDeniedException' || ctx.right.type !== 'AccessDeniedException') return false;
      if ((ctx.left.message ?? '').replace(caller, '') !== (ctx.right.message ?? '').replace(caller, '')) return false;
      return adopt(ctx);
    },
  },
  {
    id: 'KD-18',
    summary: 'Select ALL_PROJECTED_ATTRIBUTES on a table (no IndexName): the engine refuses, dynalite answers',
    reconcile: (ctx) => ctx.left.status === 200 && ctx.request.IndexName === undefined &&
      isValidation(ctx.right, 'ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName') && adopt(ctx),
  },
  {
    id: 'KD-19',
    summary: 'A Query or Scan page that read no item: the engine charges the minimum read (0.5 eventually consistent, 1 strong), dynalite 0',
    reconcile: (ctx) => {
      if (ctx.left.status !== 200 || ctx.right.status !== 200) return false;
      const inner = obj(ctx.request.pageAll as Json | undefined) ?? ctx.request;
      const min = inner.ConsistentRead === true ? 1 : 0.5;
      // Wherever dynalite charged 0 the page read nothing (any item read costs at least the
      // minimum on both sides); there the engine's minimum is taken out, in single answers,
      // per-page and per-segment capacity alike.
      let changed = false;
      const walk = (l: Json | undefined, r: Json | undefined, capacity: boolean): void => {
        if (Array.isArray(l) && Array.isArray(r)) {
          l.forEach((v, i) => walk(v, r[i], capacity));
          return;
        }
        const lo = obj(l);
        const ro = obj(r);
        if (!lo || !ro) return;
        for (const [k, v] of Object.entries(ro)) {
          const inCapacity = capacity || /capacity/i.test(k);
          if (inCapacity && typeof v === 'number' && v === min && lo[k] === 0) {
            ro[k] = 0;
            changed = true;
          } else walk(lo[k], v, inCapacity);
        }
      };
      walk(ctx.left.body, ctx.right.body, false);
      return changed;
    },
  },
  {
    id: 'KD-20',
    summary: 'Two faults in one Query/Scan (Select with a ProjectionExpression, and a key path or GSI projection fault): both refuse with ValidationException; the engine names the Select one first',
    reconcile: (ctx) =>
      ctx.left.type === 'ValidationException' && ctx.left.status === 400 && ctx.right.status === 400 &&
      /Cannot specify the ProjectionExpression when choosing to get (only the Count|ALL_ATTRIBUTES)/.test(ctx.right.message ?? '') &&
      /Key attributes must be scalars|is not supported for global secondary index/.test(ctx.left.message ?? '') && adopt(ctx),
  },
  {
    id: 'KD-21',
    summary: 'ConditionalOperator OR with several legacy conditions (Expected, QueryFilter, ScanFilter): the engine is true when any condition is; dynalite stops at the first false one',
    reconcile: (ctx) => ctx.sequence === 'hand_legacy' && ctx.request.ConditionalOperator === 'OR' && adopt(ctx),
  },
  {
    id: 'KD-22',
    summary: 'Expected { Value, Exists: true }: the engine compares the value; dynalite only checks that the attribute exists',
    reconcile: (ctx) => {
      const expected = obj(ctx.request.Expected);
      const withValue = expected !== undefined && Object.values(expected).some((c) => obj(c)?.Exists === true && obj(c)?.Value !== undefined);
      return ctx.sequence === 'hand_legacy' && withValue && ctx.left.status === 200 && ctx.right.type === 'ConditionalCheckFailedException' && adopt(ctx);
    },
  },
];

/** KD-16's memory: indexes each table got from UpdateTable in this run (keyed by the run's table map). */
const created = new WeakMap<object, Map<string, { indexes: Set<string>; attributes: Set<string> }>>();
function createdIndexes(ctx: StepContext): Map<string, { indexes: Set<string>; attributes: Set<string> }> {
  let m = created.get(ctx.tables);
  if (!m) {
    m = new Map();
    created.set(ctx.tables, m);
  }
  return m;
}

/** Whether docs/engine-fidelity.md has a row for every entry. */
export function missingRows(doc: string, known: KnownDifference[] = KNOWN_DIFFERENCES): string[] {
  return known.filter((k) => !doc.includes(`| ${k.id} |`)).map((k) => k.id);
}
