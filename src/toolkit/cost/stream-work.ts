/*
 * Stream-driven work for the cost model: how often a stream consumer runs the catalog pattern it
 * triggers (from the profile's rates of the patterns that write what the consumer handles), and
 * what its reads of the stream cost.
 */
import { declaredRequests, type AccessPatternDeclaration, type Catalog, type DeclaredRequest } from '../catalog/types';
import type { StreamConsumerDeclaration, StreamEventName } from '../streams/settings';
import type { TrafficProfile } from './traffic-profile';

/** What a consumer handles: per ElectroDB entity name, the events it has handlers for. */
export interface HandledEvents {
  readonly entity: string;
  readonly events: readonly StreamEventName[];
}

/** The parts of a model the stream-driven rows are derived from. */
export interface StreamWorkModel {
  readonly catalog: Catalog;
  /** Consumers made by defineStreamConsumer carry `handles`; a bare declaration needs the profile's rate. */
  readonly streamConsumers?: readonly (StreamConsumerDeclaration & { readonly handles?: readonly HandledEvents[] })[];
}

/** How a consumer reads the stream: a Lambda trigger (reads are free) or the Streams API (KCL adapter, SDK poller: charged). */
export type StreamReader = 'lambda' | 'streams-api';

/** One triggered pattern's rate: the calls its consumer makes, besides its callers'. */
export interface StreamDrivenRate {
  pattern: string;
  consumer: string;
  requestsPerSecond: number;
  peakRequestsPerSecond: number;
  peakHoursPerDay: number;
  /** `derived`: from the profile's rates of `from`; `profile`: the profile's streams.<consumer>.recordsPerSecond. */
  source: 'derived' | 'profile';
  /** The write patterns whose records the consumer handles (derived), each counted as one record a call. */
  from: string[];
}

/** Thrown when a triggered pattern's rate cannot be derived and the profile does not give it. */
export class StreamRateError extends Error {
  override readonly name = 'StreamRateError';
  constructor(readonly field: string, rule: string) {
    super(`${field}: ${rule}`);
  }
}

/**
 * The stream events one call of a pattern can cause, by its declared write requests: a Put is an
 * insert, an Update a modify, a Delete a remove (a TransactWriteItems by its transactItems, all
 * three when undeclared; PartiQL by its statement kinds). A ConditionCheck or a read causes none.
 */
export function eventsOfPattern(pattern: AccessPatternDeclaration): Set<StreamEventName> {
  const out = new Set<StreamEventName>();
  const add = (r: DeclaredRequest) => {
    switch (r.operation) {
      case 'PutItem':
        out.add('insert');
        break;
      case 'UpdateItem':
        out.add('modify');
        break;
      case 'DeleteItem':
        out.add('remove');
        break;
      case 'BatchWriteItem':
        out.add('insert').add('remove');
        break;
      case 'TransactWriteItems':
        for (const k of r.transactItems ?? ['Put', 'Update', 'Delete']) {
          if (k === 'Put') out.add('insert');
          else if (k === 'Update') out.add('modify');
          else if (k === 'Delete') out.add('remove');
        }
        break;
      case 'ExecuteStatement':
      case 'BatchExecuteStatement':
      case 'ExecuteTransaction':
        for (const k of r.partiql ?? []) {
          if (k === 'INSERT') out.add('insert');
          else if (k === 'UPDATE') out.add('modify');
          else if (k === 'DELETE') out.add('remove');
        }
        break;
      default:
        break;
    }
  };
  for (const r of declaredRequests(pattern)) add(r);
  return out;
}

/**
 * The rate of every triggered pattern (catalog `trigger: { stream }`) under the profile. The
 * profile's `streams.<consumer>.recordsPerSecond` wins; else the rate is derived: every caller's
 * call of a write pattern that writes an entity the consumer handles, with an event it handles,
 * counts as one record and so one call of the triggered pattern (peaks summed as if together, for
 * the shortest peak). Records of the consumer's own writes and TTL expiries are not counted.
 */
export function streamDrivenRates(model: StreamWorkModel, profile: TrafficProfile): StreamDrivenRate[] {
  const consumers = new Map((model.streamConsumers ?? []).map((c) => [c.settings.name, c]));
  const byName = new Map(model.catalog.map((p) => [p.name, p]));
  const out: StreamDrivenRate[] = [];
  for (const pattern of model.catalog) {
    if (!pattern.trigger) continue;
    const consumer = pattern.trigger.stream;
    const given = profile.streams?.[consumer]?.recordsPerSecond;
    if (given !== undefined) {
      out.push({ pattern: pattern.name, consumer, requestsPerSecond: given, peakRequestsPerSecond: given, peakHoursPerDay: 0, source: 'profile', from: [] });
      continue;
    }
    const handles = consumers.get(consumer)?.handles;
    if (!handles) {
      throw new StreamRateError(`streams.${consumer}.recordsPerSecond`, `consumer ${consumer} (which runs ${pattern.name}) does not say what it handles (not made by defineStreamConsumer): give its records per second`);
    }
    const from = Object.keys(profile.patterns).filter((name) => {
      const p = byName.get(name);
      if (!p || p.kind !== 'write') return false;
      const events = eventsOfPattern(p);
      return handles.some((h) => p.entities.includes(h.entity) && h.events.some((e) => events.has(e)));
    });
    const traffic = from.map((name) => profile.patterns[name] as TrafficProfile['patterns'][string]);
    const avg = traffic.reduce((a, t) => a + t.requestsPerSecond, 0);
    const peak = traffic.reduce((a, t) => a + (t.peakRequestsPerSecond ?? t.requestsPerSecond), 0);
    const hours = traffic.map((t) => t.peakHoursPerDay).filter((h): h is number => h !== undefined);
    out.push({ pattern: pattern.name, consumer, requestsPerSecond: avg, peakRequestsPerSecond: peak, peakHoursPerDay: peak > avg && hours.length ? Math.min(...hours) : 0, source: 'derived', from });
  }
  for (const name of Object.keys(profile.streams ?? {})) {
    if (!consumers.has(name)) throw new StreamRateError(`streams.${name}`, `the model has no stream consumer of that name (consumers: ${[...consumers.keys()].join(', ') || 'none'})`);
  }
  return out;
}

/** GetRecords returns up to 1,000 records (or 1 MB) a call. */
export const RECORDS_PER_GET_RECORDS = 1000;

export interface StreamReadCost {
  consumer: string;
  reader: StreamReader;
  /** Stream read request units a second: one per GetRecords call. */
  getRecordsPerSecond: number;
  monthly: number;
  reason: string;
}
