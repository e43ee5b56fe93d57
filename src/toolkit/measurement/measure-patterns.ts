import { performance } from 'node:perf_hooks';
import type { RecordedRequest, RequestRecorder } from '../recorder/request-recorder';
import type { PatternRunners } from './pattern-runner';

/** Every call of one pattern: the requests each call sent and its wall time. */
export interface PatternMeasurement {
  pattern: string;
  calls: { requests: RecordedRequest[]; durationMs: number; returned: number; resultAttributes?: string[] }[];
}

/**
 * The attribute names of the items a call returned (the same shapes countReturnedItems walks):
 * what a pattern's caller can use, for the projection report.
 */
export function returnedAttributes(result: unknown): string[] {
  const names = new Set<string>();
  const entity = (value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) for (const k of Object.keys(value)) names.add(k);
  };
  const visit = (value: unknown) => {
    if (value === null || value === undefined || typeof value !== 'object') return;
    if (Array.isArray(value)) return value.forEach(entity);
    const record = value as Record<string, unknown>;
    if (Array.isArray(record.items) && 'cursor' in record) return record.items.forEach(entity);
    const nested = Object.values(record).filter((v) => v !== null && typeof v === 'object');
    if (nested.length === 0) return entity(record);
    for (const v of nested) {
      if (Array.isArray(v)) v.forEach(entity);
      else entity(v);
    }
  };
  visit(result);
  return [...names].sort();
}

/**
 * Items a service call returned, by shape: a page `{ items, cursor }` counts its items, an array
 * its elements, an object its nested entities (one per object, one per array element), a plain
 * entity itself. Reads can return fewer items than they read (filters, scatter-gather pages).
 */
export function countReturnedItems(result: unknown): number {
  if (result === null || result === undefined) return 0;
  if (Array.isArray(result)) return result.length;
  if (typeof result !== 'object') return 0;
  const record = result as Record<string, unknown>;
  if (Array.isArray(record.items) && 'cursor' in record) return record.items.length;
  let nested = 0;
  for (const value of Object.values(record)) {
    if (Array.isArray(value)) nested += value.length;
    else if (value !== null && typeof value === 'object') nested += 1;
  }
  return nested > 0 ? nested : 1;
}

export interface PatternSummary {
  pattern: string;
  calls: number;
  /** Per call, averaged over calls. */
  requests: number;
  items: number;
  readUnits: number;
  writeUnits: number;
  latencyMs: number;
  /** Indexes the calls touched, `table` for the base table. */
  indexes: string[];
  operations: string[];
}

/**
 * Runs each named pattern `iterations` times, one call at a time, recording exactly the requests
 * each call sends (set-up requests are excluded). Generic: any runners, any recorder.
 */
export async function measurePatterns(
  names: readonly string[],
  runners: PatternRunners,
  recorder: RequestRecorder,
  options: { iterations?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<PatternMeasurement[]> {
  const iterations = options.iterations ?? 1;
  const out: PatternMeasurement[] = [];
  let done = 0;
  for (const pattern of names) {
    const runner = runners[pattern];
    if (!runner) throw new Error(`no runner for access pattern ${pattern}`);
    const calls: PatternMeasurement['calls'] = [];
    for (let i = 0; i < iterations; i += 1) {
      const call = await runner(i);
      const start = performance.now();
      const { requests, result } = await recorder.capture(call);
      calls.push({ requests, durationMs: performance.now() - start, returned: countReturnedItems(result), resultAttributes: returnedAttributes(result) });
      done += 1;
      options.onProgress?.(done, names.length * iterations);
    }
    out.push({ pattern, calls });
  }
  return out;
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

export function summarize(measurement: PatternMeasurement): PatternSummary {
  const { calls } = measurement;
  const sum = (pick: (r: RecordedRequest) => number) => calls.map((c) => c.requests.reduce((a, r) => a + pick(r), 0));
  const all = calls.flatMap((c) => c.requests);
  return {
    pattern: measurement.pattern,
    calls: calls.length,
    requests: mean(calls.map((c) => c.requests.length)),
    items: mean(sum((r) => r.itemCount ?? 0)),
    readUnits: mean(sum((r) => r.readUnits)),
    writeUnits: mean(sum((r) => r.writeUnits)),
    latencyMs: mean(calls.map((c) => c.durationMs)),
    indexes: [...new Set(all.map((r) => r.index ?? 'table'))],
    operations: [...new Set(all.map((r) => r.operation))],
  };
}
