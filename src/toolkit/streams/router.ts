/**
 * The stream router: a single-table stream carries every entity's changes, so each record is tried
 * against the model's entities by ElectroDB's identifiers (`__edb_e__`, `__edb_v__`), parsed by the
 * entity that wrote it, and handed to the handler of that entity and event. A record nothing can
 * route (another table, a malformed record, an image no entity parses, a KEYS_ONLY stream) goes to
 * `unknown`; without an `unknown` handler it fails, so it is retried and reported, never dropped.
 */
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Entity, EntityItem } from 'electrodb';
import type { Model } from '../model/define-model';
import { collectIndexes, keyFieldTypes, type EntityIndexSource } from '../table/derive-table-definition';
import { resolveStreamConsumerSettings, STREAM_EVENTS as EVENTS, type StreamConsumerDeclaration, type StreamConsumerSettings } from './settings';
import type { HandledEvents } from '../cost/stream-work';
import { isMarkerRecord, isTtlDeletion, tableOfStreamArn, type StreamRecord, type WireItem } from './stream-record';

/** An ElectroDB entity as the router uses it: its identity, its keys, and `parse`. */
export interface RoutableEntity extends EntityIndexSource {
  schema: EntityIndexSource['schema'] & { model: { entity: string; version?: string } };
  parse(item: { Item: Record<string, unknown> }): { data: unknown };
}

/** The item type of an entity: ElectroDB's EntityItem for an Entity, else a plain record. */
export type ParsedItem<E> =
  E extends Entity<infer A, infer F, infer C, infer S> ? EntityItem<Entity<A, F, C, S>> : Record<string, unknown>;

/** What every change carries of its record. */
export interface ChangeBase {
  /** The handler key (the name the entity has in the consumer's `entities`). */
  entity: string;
  eventID: string;
  sequenceNumber: string;
  /** Epoch ms (the record's ApproximateCreationDateTime, whole seconds on AWS). */
  approximateCreationTime: number;
  /** The item's keys, unmarshalled. */
  keys: Record<string, unknown>;
  /** The record as received. */
  record: StreamRecord;
}

export interface InsertChange<T> extends ChangeBase {
  event: 'insert';
  newImage: T;
}

export interface ModifyChange<T> extends ChangeBase {
  event: 'modify';
  newImage: T;
  /** Absent on a NEW_IMAGE stream. */
  oldImage: T | undefined;
}

export interface RemoveChange<T> extends ChangeBase {
  event: 'remove';
  /** Absent on a NEW_IMAGE stream. */
  oldImage: T | undefined;
  /** True when DynamoDB's TTL deleted the item (userIdentity Service / dynamodb.amazonaws.com). */
  byTtl: boolean;
}

export type Change<T> = InsertChange<T> | ModifyChange<T> | RemoveChange<T>;

/** What a handler gets beside its change. */
export interface HandlerContext<Services> {
  /** The services the runner was given (the Lambda handler's, or the local consumer's). */
  services: Services;
  /** The consumer's name (settings.name). */
  consumer: string;
}

type Handled = void | Promise<void>;

/** Handlers of one entity. A TTL deletion goes to `expire` when there is one, else to `remove`. */
export interface EntityHandlers<T, Services> {
  insert?: (change: InsertChange<T>, ctx: HandlerContext<Services>) => Handled;
  modify?: (change: ModifyChange<T>, ctx: HandlerContext<Services>) => Handled;
  remove?: (change: RemoveChange<T>, ctx: HandlerContext<Services>) => Handled;
  expire?: (change: RemoveChange<T>, ctx: HandlerContext<Services>) => Handled;
}

/** Why a record could not be routed. */
export type UnroutableReason =
  | 'malformed-record'
  | 'other-table'
  | 'no-image'
  | 'unknown-entity'
  | 'unparsable-image';

export interface Unroutable {
  reason: UnroutableReason;
  /** In words, for logs and reports. */
  detail: string;
}

export interface StreamConsumerDefinition<E extends Record<string, RoutableEntity>, Services> {
  /** The entities the stream may carry, by handler key (`{ user: User, membership: Membership }`). */
  entities: E;
  settings: StreamConsumerSettings;
  handlers: { [K in keyof E]?: EntityHandlers<ParsedItem<E[K]>, Services> };
  /** Records no entity routes; without it such a record fails (and is retried, then reported). */
  unknown?: (record: StreamRecord, why: Unroutable, ctx: HandlerContext<Services>) => Handled;
  /**
   * Only records of this table are routed (checked on eventSourceARN when it names one): a record
   * of another table goes to `unknown` as `other-table`.
   */
  tableName?: string;
  /** The table's TTL attribute, for idempotency markers (defineStreamConsumerFor fills it from the model). */
  ttlAttribute?: string;
}

/** One routed (or unroutable) unit of work from a record. */
export type Routed =
  | { kind: 'change'; change: Change<unknown>; run: (ctx: HandlerContext<unknown>) => Handled; handled: boolean }
  | { kind: 'unknown'; why: Unroutable };

/** A consumer: the router, its settings (read by the exports and the local consumer) and its table keys. */
export interface StreamConsumer<E extends Record<string, RoutableEntity> = Record<string, RoutableEntity>, Services = unknown> extends StreamConsumerDeclaration {
  readonly settings: StreamConsumerSettings;
  readonly name: string;
  readonly entities: E;
  /** The table's partition and sort key attributes (from the entities' primary index). */
  readonly keys: { partitionKey: string; sortKey: string | undefined; partitionKeyType: 'S' | 'N' };
  readonly tableName: string | undefined;
  readonly ttlAttribute: string | undefined;
  /** What it has handlers for, by ElectroDB entity name (the catalog's names): the cost model derives its rate from it. */
  readonly handles: readonly HandledEvents[];
  /** Splits a record into the changes it holds (usually one; two when the item changed entity). */
  route(record: StreamRecord): Routed[];
  /** Routes and runs one record's handlers; throws what a handler throws (or an unroutable record without `unknown`). */
  handle(record: StreamRecord, services: Services): Promise<void>;
}

export class StreamConsumerError extends Error {
  override readonly name = 'StreamConsumerError';
  constructor(readonly field: string, readonly rule: string) {
    super(`stream consumer ${field}: ${rule}`);
  }
}

/** An unroutable record reached a consumer with no `unknown` handler. */
export class UnroutableRecordError extends Error {
  override readonly name = 'UnroutableRecordError';
  constructor(readonly reason: UnroutableReason, detail: string, readonly sequenceNumber: string | undefined) {
    super(`stream record ${sequenceNumber ?? '(no SequenceNumber)'}: ${reason}: ${detail}`);
  }
}

/**
 * Defines a stream consumer over the given ElectroDB entities. Handler keys are the keys of
 * `entities`; their change images are typed by the entity.
 */
export function defineStreamConsumer<const E extends Record<string, RoutableEntity>, Services = unknown>(
  definition: StreamConsumerDefinition<E, Services>,
): StreamConsumer<E, Services> {
  const settings = resolveStreamConsumerSettings(definition?.settings);
  if (!definition.entities || typeof definition.entities !== 'object' || Object.keys(definition.entities).length === 0) {
    throw new StreamConsumerError('entities', 'must name at least one ElectroDB entity');
  }
  const byIdentity = new Map<string, string>();
  for (const [key, entity] of Object.entries(definition.entities)) {
    if (typeof entity?.parse !== 'function' || typeof entity.schema?.model?.entity !== 'string') {
      throw new StreamConsumerError(`entities.${key}`, 'must be an ElectroDB entity (with schema.model.entity and parse)');
    }
    byIdentity.set(identity(entity.schema.model.entity, entity.schema.model.version), key);
  }
  for (const [key, handlers] of Object.entries(definition.handlers ?? {}) as [string, Record<string, unknown> | undefined][]) {
    if (!Object.prototype.hasOwnProperty.call(definition.entities, key)) throw new StreamConsumerError(`handlers.${key}`, `names no entity of the consumer (entities: ${Object.keys(definition.entities).join(', ')})`);
    for (const [event, fn] of Object.entries(handlers ?? {})) {
      if (!(EVENTS as readonly string[]).includes(event)) throw new StreamConsumerError(`handlers.${key}.${event}`, `must be one of ${EVENTS.join(', ')}`);
      if (typeof fn !== 'function') throw new StreamConsumerError(`handlers.${key}.${event}`, 'must be a function');
    }
  }
  if (definition.unknown !== undefined && typeof definition.unknown !== 'function') throw new StreamConsumerError('unknown', 'must be a function');
  const primary = collectIndexes(Object.values(definition.entities)).get('');
  if (!primary) throw new StreamConsumerError('entities', 'no entity has a primary index');
  const keys = { partitionKey: primary.pk, sortKey: primary.sk, partitionKeyType: keyFieldTypes(Object.values(definition.entities)).get(primary.pk) ?? 'S' };
  const handlers = (definition.handlers ?? {}) as Record<string, EntityHandlers<unknown, Services> | undefined>;

  const unknownOf = (reason: UnroutableReason, detail: string): Routed[] => [{ kind: 'unknown', why: { reason, detail } }];

  const parseImage = (image: WireItem | undefined): { key: string; item: unknown } | { failure: Unroutable } | undefined => {
    if (!image) return undefined;
    let plain: Record<string, unknown>;
    try {
      plain = unmarshall(image as never);
    } catch (error) {
      return { failure: { reason: 'unparsable-image', detail: `not a DynamoDB item: ${describe(error)}` } };
    }
    const e = plain.__edb_e__;
    const v = plain.__edb_v__;
    if (typeof e !== 'string') return { failure: { reason: 'unknown-entity', detail: 'the image has no ElectroDB entity identifier (__edb_e__)' } };
    const key = byIdentity.get(identity(e, typeof v === 'string' ? v : undefined)) ?? byIdentity.get(identity(e, undefined));
    if (key === undefined) return { failure: { reason: 'unknown-entity', detail: `no entity of the consumer is ${e} version ${String(v)}` } };
    const entity = definition.entities[key] as RoutableEntity;
    try {
      const { data } = entity.parse({ Item: plain });
      if (data === null || data === undefined || typeof data !== 'object') return { failure: { reason: 'unparsable-image', detail: `${key} did not parse the image` } };
      return { key, item: data };
    } catch (error) {
      return { failure: { reason: 'unparsable-image', detail: `${key} refused the image: ${describe(error)}` } };
    }
  };

  const route = (record: StreamRecord): Routed[] => {
    const d = record?.dynamodb;
    const name = record?.eventName;
    if (!record || typeof record !== 'object' || !d || typeof d !== 'object') return unknownOf('malformed-record', 'the record has no dynamodb field');
    if (typeof d.SequenceNumber !== 'string' || typeof record.eventID !== 'string') return unknownOf('malformed-record', 'the record has no SequenceNumber or eventID');
    if (name !== 'INSERT' && name !== 'MODIFY' && name !== 'REMOVE') return unknownOf('malformed-record', `eventName ${JSON.stringify(name)} is not INSERT, MODIFY or REMOVE`);
    if (record.eventSource !== undefined && record.eventSource !== 'aws:dynamodb') return unknownOf('other-table', `eventSource ${JSON.stringify(record.eventSource)} is not aws:dynamodb`);
    // The consumers' own idempotency markers share the table: their records are nobody's changes.
    if (isMarkerRecord(record)) return [];
    const table = tableOfStreamArn(record.eventSourceARN);
    if (definition.tableName !== undefined && table !== undefined && table !== definition.tableName) return unknownOf('other-table', `the record is of table ${table}, the consumer reads ${definition.tableName}`);
    let plainKeys: Record<string, unknown> = {};
    try {
      plainKeys = d.Keys ? unmarshall(d.Keys as never) : {};
    } catch (error) {
      return unknownOf('malformed-record', `Keys are not DynamoDB attributes: ${describe(error)}`);
    }
    const base = {
      eventID: record.eventID,
      sequenceNumber: d.SequenceNumber,
      approximateCreationTime: typeof d.ApproximateCreationDateTime === 'number' ? d.ApproximateCreationDateTime * 1000 : NaN,
      keys: plainKeys,
      record,
    };
    const newer = name === 'REMOVE' ? undefined : parseImage(d.NewImage);
    const older = name === 'INSERT' ? undefined : parseImage(d.OldImage);
    for (const p of [newer, older]) if (p && 'failure' in p) return [{ kind: 'unknown', why: p.failure }];
    const n = newer as { key: string; item: unknown } | undefined;
    const o = older as { key: string; item: unknown } | undefined;
    if (!n && !o) return unknownOf('no-image', `the stream (${d.StreamViewType ?? 'unknown view'}) carries no image to tell the entity by`);
    const out: Routed[] = [];
    const add = (change: Change<unknown>) => {
      const h = handlers[change.entity];
      let fn: ((c: never, ctx: HandlerContext<Services>) => Handled) | undefined;
      if (change.event === 'remove') fn = (change.byTtl ? (h?.expire ?? h?.remove) : h?.remove) as typeof fn;
      else fn = h?.[change.event] as typeof fn;
      out.push({ kind: 'change', change, handled: fn !== undefined, run: (ctx) => fn?.(change as never, ctx as HandlerContext<Services>) });
    };
    if (name === 'INSERT') add({ ...base, entity: (n as { key: string }).key, event: 'insert', newImage: n?.item });
    else if (name === 'REMOVE') add({ ...base, entity: (o as { key: string }).key, event: 'remove', oldImage: o?.item, byTtl: isTtlDeletion(record) });
    else if (n && o && n.key !== o.key) {
      // The item changed entity (an overwrite by another entity's put): the old entity lost it, the new one gained it.
      add({ ...base, entity: o.key, event: 'remove', oldImage: o.item, byTtl: false });
      add({ ...base, entity: n.key, event: 'insert', newImage: n.item });
    } else if (n) add({ ...base, entity: n.key, event: 'modify', newImage: n.item, oldImage: o?.item });
    else return unknownOf('no-image', 'a MODIFY record without its NewImage (an OLD_IMAGE stream): the new state is unknown');
    return out;
  };

  return {
    settings: definition.settings,
    name: settings.name,
    entities: definition.entities,
    keys,
    tableName: definition.tableName,
    ttlAttribute: definition.ttlAttribute,
    handles: Object.entries(handlers)
      .map(([key, h]) => ({ entity: (definition.entities[key] as RoutableEntity).schema.model.entity, events: EVENTS.filter((e) => typeof h?.[e] === 'function') }))
      .filter((h) => h.events.length > 0),
    route,
    async handle(record, services) {
      const ctx: HandlerContext<Services> = { services, consumer: settings.name };
      for (const r of route(record)) {
        if (r.kind === 'change') await r.run(ctx as HandlerContext<unknown>);
        else if (definition.unknown) await definition.unknown(record, r.why, ctx);
        else throw new UnroutableRecordError(r.why.reason, r.why.detail, record?.dynamodb?.SequenceNumber);
      }
    },
  };
}

/**
 * defineStreamConsumer for a model: its table's TTL attribute becomes the consumer's, and the
 * entities are given by handler key as usual.
 */
export function defineStreamConsumerFor<const E extends Record<string, RoutableEntity>, Services>(
  model: Pick<Model, 'table'>,
  definition: StreamConsumerDefinition<E, Services>,
): StreamConsumer<E, Services> {
  return defineStreamConsumer({ ...definition, ttlAttribute: definition.ttlAttribute ?? model.table?.ttlAttribute });
}

function identity(entity: string, version: string | undefined): string {
  return JSON.stringify([entity, version ?? null]);
}

/** A thrown value in words: an Error's name and message, anything else as a string. */
export function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  try {
    return typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
