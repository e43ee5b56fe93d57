import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import { isWriteRequest, type RecordedRequest } from '../recorder/request-recorder';
import type { PatternMeasurement } from '../measurement/measure-patterns';

/** Read and write units one call of a pattern consumes, in total and per index (`table` = base table). */
export interface MeasuredCapacity {
  pattern: string;
  kind: 'read' | 'write';
  calls: number;
  readUnitsPerCall: number;
  writeUnitsPerCall: number;
  /** Items the call's requests read (Count of Query/Scan, found items of Gets). */
  itemsReadPerCall: number;
  /** Items the call returned to its caller (fewer than read after a filter or a sharded merge). */
  itemsPerCall: number;
  /** Read units per item returned; null when a call returns nothing. */
  readUnitsPerItem: number | null;
  byIndex: Record<string, { readUnits: number; writeUnits: number }>;
  /**
   * What DynamoDB (Local) reported per call, when the units above were computed by the rules
   * instead: a cross-check (Local under-reports TransactWriteItems).
   */
  reported?: { readUnitsPerCall: number; writeUnitsPerCall: number; byIndex: Record<string, { readUnits: number; writeUnits: number }> };
}


/**
 * One request's units by index: the units computed by DynamoDB's rules when the recorder measured
 * them, else its reported consumed capacity split as read or write units by its operation.
 */
export function capacityByIndex(request: Pick<RecordedRequest, 'operation' | 'consumedCapacity' | 'computedUnits' | 'partiql'>): Record<string, { readUnits: number; writeUnits: number }> {
  if (request.computedUnits) return Object.fromEntries(Object.entries(request.computedUnits.byIndex).map(([k, v]) => [k, { ...v }]));
  return reportedByIndex(request);
}

/** A request's units by index as DynamoDB (Local) reported them. */
export function reportedByIndex(request: Pick<RecordedRequest, 'operation' | 'consumedCapacity' | 'partiql'>): Record<string, { readUnits: number; writeUnits: number }> {
  const write = isWriteRequest(request);
  const out: Record<string, { readUnits: number; writeUnits: number }> = {};
  const add = (index: string, units: number | undefined) => {
    if (!units) return;
    const slot = (out[index] ??= { readUnits: 0, writeUnits: 0 });
    if (write) slot.writeUnits += units;
    else slot.readUnits += units;
  };
  for (const c of request.consumedCapacity as ConsumedCapacity[]) {
    const parts = (c.Table ? 1 : 0) + Object.keys(c.GlobalSecondaryIndexes ?? {}).length + Object.keys(c.LocalSecondaryIndexes ?? {}).length;
    if (parts === 0) add('table', c.CapacityUnits);
    add('table', c.Table?.CapacityUnits);
    for (const [name, v] of Object.entries(c.GlobalSecondaryIndexes ?? {})) add(name, v.CapacityUnits);
    for (const [name, v] of Object.entries(c.LocalSecondaryIndexes ?? {})) add(name, v.CapacityUnits);
  }
  return out;
}

/**
 * Per-call capacity of each measured pattern, averaged over its calls, from what DynamoDB
 * reported (DynamoDB Local applies the service's formulas). Generic: any catalog's runners.
 */
export function capacityOf(measurement: PatternMeasurement, kind: 'read' | 'write'): MeasuredCapacity {
  const calls = measurement.calls.length || 1;
  const byIndex: MeasuredCapacity['byIndex'] = {};
  const reportedByIdx: MeasuredCapacity['byIndex'] = {};
  let computed = false;
  let reportedRead = 0;
  let reportedWritten = 0;
  let read = 0;
  let written = 0;
  let items = 0;
  let returned = 0;
  for (const call of measurement.calls) {
    returned += call.returned;
    for (const r of call.requests) {
      read += r.readUnits;
      written += r.writeUnits;
      items += r.itemCount ?? 0;
      if (r.computedUnits) computed = true;
      reportedRead += r.reportedUnits?.readUnits ?? r.readUnits;
      reportedWritten += r.reportedUnits?.writeUnits ?? r.writeUnits;
      for (const [index, u] of Object.entries(reportedByIndex(r))) {
        const slot = (reportedByIdx[index] ??= { readUnits: 0, writeUnits: 0 });
        slot.readUnits += u.readUnits / calls;
        slot.writeUnits += u.writeUnits / calls;
      }
      for (const [index, u] of Object.entries(capacityByIndex(r))) {
        const slot = (byIndex[index] ??= { readUnits: 0, writeUnits: 0 });
        slot.readUnits += u.readUnits / calls;
        slot.writeUnits += u.writeUnits / calls;
      }
    }
  }
  const itemsPerCall = kind === 'read' ? returned / calls : 0;
  return {
    pattern: measurement.pattern,
    kind,
    calls: measurement.calls.length,
    readUnitsPerCall: read / calls,
    writeUnitsPerCall: written / calls,
    itemsReadPerCall: kind === 'read' ? items / calls : 0,
    itemsPerCall,
    readUnitsPerItem: itemsPerCall > 0 ? read / calls / itemsPerCall : null,
    byIndex,
    ...(computed ? { reported: { readUnitsPerCall: reportedRead / calls, writeUnitsPerCall: reportedWritten / calls, byIndex: reportedByIdx } } : {}),
  };
}
