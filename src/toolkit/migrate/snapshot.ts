import type { Catalog } from '../catalog/types';
import { modelTable, type Model } from '../model/define-model';
import type { EntityIndexSource } from '../table/derive-table-definition';

/** The snapshot file format; a change that old readers cannot read bumps it. */
export const SNAPSHOT_FORMAT = 'single-table-kit/model-snapshot@1';

/** How ElectroDB builds one key field: its composite attributes, casing, template or prefix. */
export interface KeySnapshot {
  field: string;
  composite: string[];
  casing: string;
  /** A custom template (`template: '${a}#x'`), else absent. */
  template?: string;
  /** The prefix ElectroDB puts in front (`$service`, `$entity_version`), absent for custom templates. */
  prefix?: string;
  cast: 'string' | 'number';
}

export interface EntityIndexSnapshot {
  /** The physical index: `table` for the base table, else the GSI's name. */
  index: string;
  collection?: string | string[];
  pk: KeySnapshot;
  sk?: KeySnapshot;
}

export interface AttributeSnapshot {
  /** ElectroDB's type; an enum lists its values. */
  type: string | string[];
  /** The DynamoDB attribute name it is stored under. */
  field: string;
  required: boolean;
  hasDefault: boolean;
}

export interface EntitySnapshot {
  name: string;
  version: string;
  service: string;
  attributes: Record<string, AttributeSnapshot>;
  /** By ElectroDB access-pattern name. */
  indexes: Record<string, EntityIndexSnapshot>;
}

export interface TableIndexSnapshot {
  pk: string;
  sk?: string;
  projection: { type: 'ALL' | 'KEYS_ONLY' } | { type: 'INCLUDE'; attributes: string[] };
}

export interface PatternSnapshot {
  kind: 'read' | 'write';
  entities: string[];
  requests: { operation: string; index: string; keyConditions?: string[]; filters?: string[] }[];
}

/** A model's physical layout: what a migration is computed from. Keys are sorted when written. */
export interface ModelSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  model: string;
  table: {
    name: string;
    keyTypes: Record<string, 'S' | 'N'>;
    primary: { pk: string; sk?: string };
    indexes: Record<string, TableIndexSnapshot>;
    billing: 'PAY_PER_REQUEST' | 'PROVISIONED';
    ttlAttribute?: string;
    stream: string | false;
  };
  entities: Record<string, EntitySnapshot>;
  patterns: Record<string, PatternSnapshot>;
}

export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}

/** What the snapshot reads of an ElectroDB entity at run time (an Entity has all of it). */
interface EntityRuntime {
  schema: {
    model: { entity: string; version: string; service: string };
    attributes: Record<string, { type?: unknown; field?: string; required?: boolean; default?: unknown }>;
    indexes: Record<string, { index?: string; collection?: string | string[]; pk: RuntimeKey; sk?: RuntimeKey }>;
  };
  model?: { prefixes?: Record<string, { pk?: { prefix?: string; cast?: string }; sk?: { prefix?: string; cast?: string } } | undefined> };
}
interface RuntimeKey {
  field: string;
  composite?: string[];
  facets?: string[];
  casing?: string;
  template?: string;
  cast?: string;
}

function keySnapshot(key: RuntimeKey, resolved: { prefix?: string; cast?: string } | undefined): KeySnapshot {
  return {
    field: key.field,
    composite: [...(key.composite ?? key.facets ?? [])],
    casing: key.casing ?? 'default',
    ...(key.template !== undefined ? { template: key.template } : {}),
    ...(key.template === undefined && resolved?.prefix !== undefined ? { prefix: resolved.prefix } : {}),
    cast: (resolved?.cast ?? key.cast) === 'number' ? 'number' : 'string',
  };
}

export function entitySnapshot(source: EntityIndexSource): EntitySnapshot {
  const entity = source as unknown as EntityRuntime;
  const { model, attributes, indexes } = entity.schema;
  const attributeSnapshots: Record<string, AttributeSnapshot> = {};
  for (const [name, a] of Object.entries(attributes)) {
    const type = Array.isArray(a.type) ? a.type.map(String) : typeof a.type === 'string' ? a.type : 'any';
    attributeSnapshots[name] = { type, field: a.field ?? name, required: a.required === true, hasDefault: a.default !== undefined };
  }
  const indexSnapshots: Record<string, EntityIndexSnapshot> = {};
  for (const [accessPattern, def] of Object.entries(indexes)) {
    const resolved = entity.model?.prefixes?.[def.index ?? ''];
    indexSnapshots[accessPattern] = {
      index: def.index ?? 'table',
      ...(def.collection !== undefined ? { collection: def.collection } : {}),
      pk: keySnapshot(def.pk, resolved?.pk),
      ...(def.sk ? { sk: keySnapshot(def.sk, resolved?.sk) } : {}),
    };
  }
  return { name: model.entity, version: String(model.version), service: model.service, attributes: attributeSnapshots, indexes: indexSnapshots };
}

/**
 * The physical layout of a model on a table: every entity's keys (fields, composites, casing,
 * templates, prefixes) and attributes, the table's indexes, projections, TTL and stream, and what
 * each catalog pattern sends. Meant to be committed beside the model (stableJson writes it).
 */
export function snapshotModel<C extends Catalog, S, D>(model: Model<C, S, D>, tableName: string): ModelSnapshot {
  const definition = modelTable(model, tableName);
  const input = definition.input;
  const hashOf = (schema: typeof input.KeySchema) => schema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
  const rangeOf = (schema: typeof input.KeySchema) => schema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  const indexes: Record<string, TableIndexSnapshot> = {};
  for (const gsi of input.GlobalSecondaryIndexes ?? []) {
    const p = gsi.Projection;
    const projection: TableIndexSnapshot['projection'] =
      p?.ProjectionType === 'INCLUDE' ? { type: 'INCLUDE', attributes: [...(p.NonKeyAttributes ?? [])].sort() } : { type: p?.ProjectionType === 'KEYS_ONLY' ? 'KEYS_ONLY' : 'ALL' };
    const sk = rangeOf(gsi.KeySchema);
    indexes[gsi.IndexName ?? ''] = { pk: hashOf(gsi.KeySchema), ...(sk ? { sk } : {}), projection };
  }
  const entities: Record<string, EntitySnapshot> = {};
  for (const source of model.entities) {
    const snapshot = entitySnapshot(source);
    if (entities[snapshot.name]) throw new SnapshotError(`two entities are named ${snapshot.name}`);
    entities[snapshot.name] = snapshot;
  }
  const patterns: Record<string, PatternSnapshot> = {};
  for (const p of model.catalog) {
    patterns[p.name] = {
      kind: p.kind,
      entities: [...p.entities],
      requests: [...p.requests, ...(p.alternatives ?? []).flatMap((a) => a.requests)].map((r) => ({
        operation: r.operation,
        index: r.index,
        ...(r.keyConditions ? { keyConditions: [...r.keyConditions] } : {}),
        ...(r.filters ? { filters: [...r.filters] } : {}),
      })),
    };
  }
  const sk = rangeOf(input.KeySchema);
  return {
    format: SNAPSHOT_FORMAT,
    model: model.name,
    table: {
      name: tableName,
      keyTypes: Object.fromEntries((input.AttributeDefinitions ?? []).map((a) => [a.AttributeName ?? '', a.AttributeType === 'N' ? 'N' : 'S'])),
      primary: { pk: hashOf(input.KeySchema), ...(sk ? { sk } : {}) },
      indexes,
      billing: input.BillingMode === 'PROVISIONED' ? 'PROVISIONED' : 'PAY_PER_REQUEST',
      ...(definition.ttlAttribute ? { ttlAttribute: definition.ttlAttribute } : {}),
      stream: input.StreamSpecification?.StreamEnabled ? (input.StreamSpecification.StreamViewType ?? 'NEW_AND_OLD_IMAGES') : false,
    },
    entities,
    patterns,
  };
}

/** JSON with every object's keys sorted (arrays keep their order): a snapshot diffs cleanly in git. */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) out[k] = sort((v as Record<string, unknown>)[k]);
      return out;
    }
    return v;
  };
  return `${JSON.stringify(sort(value), null, 2)}\n`;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a snapshot from parsed JSON, checking what the migration relies on; a file that is not
 * a snapshot, or of another format version, is refused naming the field.
 */
export function parseSnapshot(json: unknown, source = 'snapshot'): ModelSnapshot {
  const fail = (field: string, rule: string): never => {
    throw new SnapshotError(`${source}: ${field} ${rule}`);
  };
  if (!isRecord(json)) fail('(root)', 'must be a JSON object');
  const o = json as Record<string, unknown>;
  if (o.format !== SNAPSHOT_FORMAT) fail('format', `must be "${SNAPSHOT_FORMAT}", got ${JSON.stringify(o.format)}`);
  if (typeof o.model !== 'string' || o.model === '') fail('model', 'must be the model name');
  if (!isRecord(o.table)) fail('table', 'must be an object');
  const table = o.table as Record<string, unknown>;
  if (typeof table.name !== 'string') fail('table.name', 'must be a string');
  if (!isRecord(table.primary) || typeof table.primary.pk !== 'string') fail('table.primary.pk', 'must be a string');
  if (!isRecord(table.indexes)) fail('table.indexes', 'must be an object');
  if (!isRecord(o.entities)) fail('entities', 'must be an object');
  for (const [name, e] of Object.entries(o.entities as Record<string, unknown>)) {
    if (!isRecord(e) || e.name !== name || typeof e.version !== 'string' || !isRecord(e.attributes) || !isRecord(e.indexes)) {
      fail(`entities.${name}`, 'must have name (its key), version, attributes and indexes');
    }
    for (const [ap, ix] of Object.entries((e as Record<string, unknown>).indexes as Record<string, unknown>)) {
      if (!isRecord(ix) || typeof ix.index !== 'string' || !isRecord(ix.pk) || typeof ix.pk.field !== 'string' || !Array.isArray(ix.pk.composite)) {
        fail(`entities.${name}.indexes.${ap}`, 'must have index and pk { field, composite }');
      }
    }
  }
  if (!isRecord(o.patterns)) fail('patterns', 'must be an object');
  return json as ModelSnapshot;
}
