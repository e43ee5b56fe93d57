/**
 * An engine whose tables live in a file: loaded at start, written back (atomically: a temporary
 * file renamed over the old one) shortly after every change and on close. For development data
 * that should survive a restart, never as a production store. Stream records are not kept.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { createEngine, type Engine, type EngineOptions } from '../engine';
import type { Item } from '../types';

const FORMAT = 'single-table-kit-engine-file';
const VERSION = 1;

/** Operations that change tables or their settings (item writes are seen through onChange). */
const MUTATING = new Set(['CreateTable', 'DeleteTable', 'UpdateTable', 'UpdateTimeToLive', 'TagResource', 'UntagResource']);

export interface EngineFileOptions {
  engine?: EngineOptions;
  /** Write this long after the last change (default 200 ms)... */
  debounceMs?: number;
  /** ...but at least this often while changes keep coming (default 2,000 ms). */
  maxDelayMs?: number;
  /** Called when a save fails (the engine keeps serving; the next change tries again). */
  onSaveError?: (error: unknown) => void;
}

export interface EngineFile {
  engine: Engine;
  path: string;
  /** Tables and items loaded from the file at start. */
  loaded: { tables: number; items: number };
  /** Writes the file now. */
  save(): void;
  /** Saves, stops saving and closes the engine. */
  close(): Promise<void>;
}

interface SavedTable {
  create: Record<string, unknown>;
  ttl?: { AttributeName: string };
  tags?: { Key: string; Value: string }[];
  items: number;
}

type Json = Record<string, unknown>;

function call(engine: Engine, op: string, body: Json): Json {
  return engine.handleSync(`DynamoDB_20120810.${op}`, body) as Json;
}

function keyDefs(list: unknown): unknown {
  return Array.isArray(list) ? list.map((k: Json) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })) : undefined;
}

function throughput(t: unknown, provisioned: boolean): Json | undefined {
  if (!provisioned || !t || typeof t !== 'object') return undefined;
  const { ReadCapacityUnits, WriteCapacityUnits } = t as Json;
  return { ReadCapacityUnits, WriteCapacityUnits };
}

/** The CreateTable request that makes a table like the one DescribeTable describes. */
function createRequestOf(table: Json): Json {
  const billing = ((table.BillingModeSummary as Json | undefined)?.BillingMode as string | undefined) ?? 'PROVISIONED';
  const provisioned = billing === 'PROVISIONED';
  const request: Json = {
    TableName: table.TableName,
    KeySchema: keyDefs(table.KeySchema),
    AttributeDefinitions: table.AttributeDefinitions,
    BillingMode: billing,
  };
  if (provisioned) request.ProvisionedThroughput = throughput(table.ProvisionedThroughput, true);
  const gsis = table.GlobalSecondaryIndexes as Json[] | undefined;
  if (gsis?.length) {
    request.GlobalSecondaryIndexes = gsis.map((g) => ({
      IndexName: g.IndexName,
      KeySchema: keyDefs(g.KeySchema),
      Projection: g.Projection,
      ...(provisioned ? { ProvisionedThroughput: throughput(g.ProvisionedThroughput, true) } : {}),
    }));
  }
  const lsis = table.LocalSecondaryIndexes as Json[] | undefined;
  if (lsis?.length) request.LocalSecondaryIndexes = lsis.map((l) => ({ IndexName: l.IndexName, KeySchema: keyDefs(l.KeySchema), Projection: l.Projection }));
  const stream = table.StreamSpecification as Json | undefined;
  if (stream?.StreamEnabled) request.StreamSpecification = { StreamEnabled: true, StreamViewType: stream.StreamViewType };
  return request;
}

function tableNames(engine: Engine): string[] {
  const names: string[] = [];
  let start: unknown;
  do {
    const page = call(engine, 'ListTables', start ? { ExclusiveStartTableName: start } : {});
    names.push(...((page.TableNames as string[]) ?? []));
    start = page.LastEvaluatedTableName;
  } while (start);
  return names;
}

/** Writes every table and its items: one JSON header line, one line per table, one per item. */
function writeSnapshot(engine: Engine, path: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    const line = (value: unknown) => writeSync(fd, `${JSON.stringify(value)}\n`);
    line({ format: FORMAT, version: VERSION });
    for (const name of tableNames(engine)) {
      const table = call(engine, 'DescribeTable', { TableName: name }).Table as Json;
      if (table.TableStatus === 'DELETING') continue;
      const items: Item[] = [];
      let start: unknown;
      do {
        const page = call(engine, 'Scan', { TableName: name, ConsistentRead: true, ...(start ? { ExclusiveStartKey: start } : {}) });
        items.push(...((page.Items as Item[]) ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      const ttl = call(engine, 'DescribeTimeToLive', { TableName: name }).TimeToLiveDescription as Json | undefined;
      const tags = (call(engine, 'ListTagsOfResource', { ResourceArn: table.TableArn }).Tags as SavedTable['tags']) ?? [];
      const saved: SavedTable = { create: createRequestOf(table), items: items.length };
      if (ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING') saved.ttl = { AttributeName: ttl.AttributeName as string };
      if (tags?.length) saved.tags = tags;
      line({ table: saved });
      for (const item of items) line({ item });
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export class EngineFileError extends Error {
  override readonly name = 'EngineFileError';
}

/** Loads the file into a fresh engine (no stream records are made for the loaded items). */
function loadSnapshot(engine: Engine, path: string): { tables: number; items: number } {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  const parse = (text: string, n: number): Json => {
    try {
      return JSON.parse(text) as Json;
    } catch {
      throw new EngineFileError(`${path}: line ${n + 1} is not JSON: the file is not an engine file or was damaged`);
    }
  };
  const header = lines.length ? parse(lines[0] as string, 0) : {};
  if (header.format !== FORMAT || header.version !== VERSION) {
    throw new EngineFileError(`${path} is not a single-table-kit engine file (format ${VERSION}); give a new path or an engine file`);
  }
  let tables = 0;
  let items = 0;
  let current: { name: string; stream?: Json; ttl?: SavedTable['ttl']; tags?: SavedTable['tags'] } | undefined;
  const finish = () => {
    if (!current) return;
    // Streams and TTL are switched on after the items are in, so loading makes no stream records.
    if (current.stream) call(engine, 'UpdateTable', { TableName: current.name, StreamSpecification: current.stream });
    if (current.ttl) call(engine, 'UpdateTimeToLive', { TableName: current.name, TimeToLiveSpecification: { Enabled: true, AttributeName: current.ttl.AttributeName } });
    if (current.tags?.length) {
      const arn = (call(engine, 'DescribeTable', { TableName: current.name }).Table as Json).TableArn;
      call(engine, 'TagResource', { ResourceArn: arn, Tags: current.tags });
    }
  };
  lines.slice(1).forEach((text, i) => {
    const entry = parse(text, i + 1);
    if (entry.table) {
      finish();
      const saved = entry.table as SavedTable;
      const { StreamSpecification, ...create } = saved.create;
      call(engine, 'CreateTable', create);
      current = { name: create.TableName as string, stream: StreamSpecification as Json | undefined, ttl: saved.ttl, tags: saved.tags };
      tables++;
    } else if (entry.item && current) {
      call(engine, 'PutItem', { TableName: current.name, Item: entry.item });
      items++;
    } else {
      throw new EngineFileError(`${path}: line ${i + 2} is neither a table nor an item of one`);
    }
  });
  finish();
  return { tables, items };
}

/** Opens (or creates) an engine file. */
export function openEngineFile(path: string, options: EngineFileOptions = {}): EngineFile {
  const base = createEngine(options.engine);
  const loaded = existsSync(path) ? loadSnapshot(base, path) : { tables: 0, items: 0 };
  const debounceMs = options.debounceMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 2000;
  let timer: NodeJS.Timeout | undefined;
  let firstDirtyAt: number | undefined;
  let closed = false;

  const save = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    firstDirtyAt = undefined;
    writeSnapshot(base, path);
  };
  const saveSafely = () => {
    try {
      save();
    } catch (error) {
      options.onSaveError?.(error);
    }
  };
  const changed = () => {
    if (closed) return;
    const now = Date.now();
    firstDirtyAt ??= now;
    if (timer) clearTimeout(timer);
    const wait = Math.max(0, Math.min(debounceMs, firstDirtyAt + maxDelayMs - now));
    timer = setTimeout(saveSafely, wait);
    timer.unref();
  };
  const unsubscribe = base.onChange(changed);

  // The same engine, with table-level changes noticed too (items are seen through onChange).
  const engine: Engine = Object.create(base) as Engine;
  const handleSync = (target: string, body: unknown): unknown => {
    const result = base.handleSync(target, body);
    if (MUTATING.has(target.slice(target.lastIndexOf('.') + 1))) changed();
    return result;
  };
  Object.defineProperties(engine, {
    handleSync: { value: handleSync },
    handle: {
      value: (target: string, body: unknown) => {
        try {
          return Promise.resolve(handleSync(target, body));
        } catch (e) {
          return Promise.reject(e instanceof Error ? e : new Error(String(e)));
        }
      },
    },
  });
  return {
    engine,
    path,
    loaded,
    save,
    async close() {
      if (closed) return;
      save();
      closed = true;
      unsubscribe();
      await base.close();
    },
  };
}
