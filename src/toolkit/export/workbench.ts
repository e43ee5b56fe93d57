import Ajv, { type ErrorObject } from 'ajv';
import type { Model } from '../model/define-model';
import type { TableDefinition } from '../table/derive-table-definition';
import type { ProvisionedPlan } from './provisioned-plan';
import { WORKBENCH_MODEL_SCHEMA } from './workbench-schema';

/** A DynamoDB JSON attribute value (`{ S: "x" }`, `{ N: "1" }`, ...). */
export type WorkbenchValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Record<string, WorkbenchValue> }
  | { L: WorkbenchValue[] }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] };
export type WorkbenchItem = Record<string, WorkbenchValue>;
type KeyAttribute = { AttributeName: string; AttributeType: 'S' | 'N' | 'B' };
type KeyAttributes = { PartitionKey: KeyAttribute; SortKey?: KeyAttribute };

export interface WorkbenchFacet {
  FacetName: string;
  KeyAttributeAlias: { PartitionKeyAlias: string; SortKeyAlias?: string };
  TableData: WorkbenchItem[];
  NonKeyAttributes: string[];
  DataAccess: { MySql: Record<string, never> };
}

export interface WorkbenchTable {
  TableName: string;
  KeyAttributes: KeyAttributes;
  NonKeyAttributes: { AttributeName: string; AttributeType: string }[];
  GlobalSecondaryIndexes?: { IndexName: string; KeyAttributes: KeyAttributes; Projection: { ProjectionType: string; NonKeyAttributes?: string[] } }[];
  TableFacets: WorkbenchFacet[];
  /** Items of no facet (published models keep the items in their facets). */
  TableData?: WorkbenchItem[];
  DataAccess: { MySql: Record<string, never> };
  BillingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  ProvisionedCapacitySettings?: {
    ProvisionedThroughput: { ReadCapacityUnits: number; WriteCapacityUnits: number };
    AutoScalingRead?: { ScalableTargetRequest: { MinCapacity: number; MaxCapacity: number; ServiceRole: string }; ScalingPolicyConfiguration: { TargetValue: number } };
    AutoScalingWrite?: { ScalableTargetRequest: { MinCapacity: number; MaxCapacity: number; ServiceRole: string }; ScalingPolicyConfiguration: { TargetValue: number } };
  };
}

export interface WorkbenchModel {
  ModelName: string;
  ModelMetadata: { Author: string; DateCreated: string; DateLastModified: string; Description: string; AWSService: 'Amazon DynamoDB'; Version: '3.0' };
  DataModel: WorkbenchTable[];
}

export interface WorkbenchOptions {
  /** Sample items as a DocumentClient returns them (e.g. a Scan after the model's seed). */
  items?: readonly Record<string, unknown>[];
  /** At most this many sample items per facet (entity). Default 25. */
  itemsPerFacet?: number;
  /** Auto-scaling settings to show, with a provisioned definition. */
  plan?: ProvisionedPlan;
  /** Creation date shown in the model; default now (fix it for reproducible files). */
  date?: Date;
  description?: string;
}

/** ElectroDB marks each item with its entity and version; Workbench shows them as plain attributes. */
const ENTITY_MARKER = '__edb_e__';

/** A value toDynamoJson cannot write as DynamoDB JSON: names the path and the rule. */
export class DynamoJsonError extends Error {
  override readonly name = 'DynamoJsonError';
}

const bytes = (v: Uint8Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
const numberText = (v: number | bigint, path: string) => {
  if (typeof v === 'number' && !Number.isFinite(v)) throw new DynamoJsonError(`${path}: ${v} is not a number DynamoDB can store`);
  return String(v);
};

/**
 * A plain value (as the DocumentClient returns it) in DynamoDB JSON: string S, number or bigint
 * N, boolean BOOL, null NULL, Uint8Array B (base64), a Set of strings SS, of numbers NS, of
 * binaries BS (base64), an array L, an object M (nested to any depth).
 */
export function toDynamoJson(value: unknown, path = '(value)'): WorkbenchValue {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number' || typeof value === 'bigint') return { N: numberText(value, path) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (value instanceof Uint8Array) return { B: bytes(value) };
  if (value instanceof Set) {
    const values = [...(value as Set<unknown>)];
    if (values.length === 0) throw new DynamoJsonError(`${path}: an empty set (DynamoDB stores no empty set)`);
    if (values.every((v) => v instanceof Uint8Array)) return { BS: values.map((v) => bytes(v as Uint8Array)) };
    if (values.every((v) => typeof v === 'number' || typeof v === 'bigint')) return { NS: values.map((v) => numberText(v as number | bigint, path)) };
    if (values.every((v) => typeof v === 'string')) return { SS: values as string[] };
    throw new DynamoJsonError(`${path}: a set must hold only strings, only numbers or only binaries`);
  }
  if (Array.isArray(value)) return { L: value.map((v, i) => toDynamoJson(v, `${path}[${i}]`)) };
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return { M: Object.fromEntries(entries.map(([k, v]) => [k, toDynamoJson(v, `${path}.${k}`)])) };
}

/** The plain value of a DynamoDB JSON value (toDynamoJson's inverse): B and BS as Uint8Array, sets as Set. */
export function fromDynamoJson(value: WorkbenchValue): unknown {
  const v = value as Partial<Record<'S' | 'N' | 'B' | 'BOOL' | 'NULL' | 'M' | 'L' | 'SS' | 'NS' | 'BS', unknown>>;
  if (v.S !== undefined) return v.S;
  if (v.N !== undefined) return Number(v.N);
  if (v.B !== undefined) return new Uint8Array(Buffer.from(v.B as string, 'base64'));
  if (v.BOOL !== undefined) return v.BOOL;
  if (v.NULL !== undefined) return null;
  if (v.SS !== undefined) return new Set(v.SS as string[]);
  if (v.NS !== undefined) return new Set((v.NS as string[]).map(Number));
  if (v.BS !== undefined) return new Set((v.BS as string[]).map((b) => new Uint8Array(Buffer.from(b, 'base64'))));
  if (v.L !== undefined) return (v.L as WorkbenchValue[]).map(fromDynamoJson);
  if (v.M !== undefined) return Object.fromEntries(Object.entries(v.M as Record<string, WorkbenchValue>).map(([k, x]) => [k, fromDynamoJson(x)]));
  throw new DynamoJsonError(`not a DynamoDB JSON value: ${JSON.stringify(value)}`);
}

const typeOf = (v: WorkbenchValue) => Object.keys(v)[0] as string;

interface EntityShape {
  schema: { model: { entity: string }; attributes?: Record<string, { type?: unknown }>; indexes: Record<string, { index?: string; pk: { field: string; composite?: readonly string[] }; sk?: { field: string; composite?: readonly string[] } }> };
}

function attributeType(type: unknown): string {
  if (type === 'number') return 'N';
  if (type === 'boolean') return 'BOOL';
  if (type === 'list') return 'L';
  if (type === 'map') return 'M';
  if (type === 'set') return 'SS';
  return 'S';
}

/**
 * A NoSQL Workbench data model (Version 3.0) of a model's table: keys, every other attribute with
 * its type, GSIs with projections, one facet per entity (key aliases from its composite
 * attributes, its attributes and its sample items in DynamoDB JSON); items of no entity go to
 * the table's TableData.
 */
export function workbenchModel(model: Pick<Model, 'name' | 'entities'>, definition: TableDefinition, options: WorkbenchOptions = {}): WorkbenchModel {
  const input = definition.input;
  const key = (schema: { AttributeName?: string; KeyType?: string }[] | undefined): KeyAttributes => {
    const hash = schema?.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
    const range = schema?.find((k) => k.KeyType === 'RANGE')?.AttributeName;
    return { PartitionKey: { AttributeName: hash, AttributeType: 'S' }, ...(range ? { SortKey: { AttributeName: range, AttributeType: 'S' as const } } : {}) };
  };
  const tableKeys = key(input.KeySchema);
  const keyNames = new Set([tableKeys.PartitionKey.AttributeName, tableKeys.SortKey?.AttributeName].filter(Boolean));
  const items = (options.items ?? []).map((raw, i) => Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined).map(([k, v]) => [k, toDynamoJson(v, `items[${i}].${k}`)])) as WorkbenchItem);

  // Attribute types: from sample values first, else from the entity schemas; GSI key fields are strings.
  const types = new Map<string, string>();
  for (const item of items) for (const [name, v] of Object.entries(item)) if (!types.has(name)) types.set(name, typeOf(v));
  const entities = model.entities as unknown as readonly EntityShape[];
  for (const e of entities) {
    for (const [name, a] of Object.entries(e.schema.attributes ?? {})) if (!types.has(name)) types.set(name, attributeType(a.type));
    for (const def of Object.values(e.schema.indexes)) for (const f of [def.pk.field, def.sk?.field]) if (f) types.set(f, 'S');
  }
  for (const name of keyNames) types.delete(name as string);

  const perFacet = options.itemsPerFacet ?? 25;
  const facets: WorkbenchFacet[] = entities.map((e) => {
    const name = e.schema.model.entity;
    const primary = Object.values(e.schema.indexes).find((d) => !d.index);
    const alias = (part: { composite?: readonly string[] } | undefined, fallback: string) => (part?.composite?.length ? part.composite.join('#') : fallback);
    const fields = new Set<string>([...Object.keys(e.schema.attributes ?? {})]);
    for (const def of Object.values(e.schema.indexes)) if (def.index) for (const f of [def.pk.field, def.sk?.field]) if (f) fields.add(f);
    const own = items.filter((i) => (i[ENTITY_MARKER] as { S?: string } | undefined)?.S === name).slice(0, perFacet);
    for (const i of own) for (const f of Object.keys(i)) fields.add(f);
    for (const k of keyNames) fields.delete(k as string);
    return {
      FacetName: name,
      KeyAttributeAlias: { PartitionKeyAlias: alias(primary?.pk, name), ...(tableKeys.SortKey ? { SortKeyAlias: alias(primary?.sk, name) } : {}) },
      TableData: own,
      NonKeyAttributes: [...fields].filter((f) => types.has(f)),
      DataAccess: { MySql: {} },
    };
  });

  const facetNames = new Set(facets.map((f) => f.FacetName));
  const orphans = items.filter((i) => !facetNames.has((i[ENTITY_MARKER] as { S?: string } | undefined)?.S ?? ''));
  const provisioned = input.BillingMode === 'PROVISIONED';
  const scaling = (kind: 'read' | 'write') => {
    const t = options.plan?.indexes.find((p) => p.index === 'table');
    if (!t || !options.plan) return undefined;
    return {
      ScalableTargetRequest: { MinCapacity: t[kind].min, MaxCapacity: t[kind].max, ServiceRole: 'AWSServiceRoleForApplicationAutoScaling_DynamoDBTable' },
      ScalingPolicyConfiguration: { TargetValue: Math.round(options.plan.targetUtilization * 100) },
    };
  };
  const read = scaling('read');
  const write = scaling('write');
  const stamp = formatDate(options.date ?? new Date());
  return {
    ModelName: model.name,
    ModelMetadata: {
      Author: '',
      DateCreated: stamp,
      DateLastModified: stamp,
      Description: options.description ?? `Generated by single-table-kit from the model "${model.name}"`,
      AWSService: 'Amazon DynamoDB',
      Version: '3.0',
    },
    DataModel: [
      {
        TableName: input.TableName,
        KeyAttributes: tableKeys,
        NonKeyAttributes: [...types].sort(([a], [b]) => a.localeCompare(b)).map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
        ...(input.GlobalSecondaryIndexes?.length
          ? {
              GlobalSecondaryIndexes: input.GlobalSecondaryIndexes.map((g) => ({
                IndexName: g.IndexName ?? '',
                KeyAttributes: key(g.KeySchema),
                Projection: { ProjectionType: g.Projection?.ProjectionType ?? 'ALL', ...(g.Projection?.NonKeyAttributes?.length ? { NonKeyAttributes: [...g.Projection.NonKeyAttributes] } : {}) },
              })),
            }
          : {}),
        TableFacets: facets,
        ...(orphans.length ? { TableData: orphans } : {}),
        DataAccess: { MySql: {} },
        BillingMode: provisioned ? 'PROVISIONED' : 'PAY_PER_REQUEST',
        ...(provisioned
          ? {
              ProvisionedCapacitySettings: {
                ProvisionedThroughput: { ReadCapacityUnits: input.ProvisionedThroughput?.ReadCapacityUnits ?? 1, WriteCapacityUnits: input.ProvisionedThroughput?.WriteCapacityUnits ?? 1 },
                ...(read ? { AutoScalingRead: read } : {}),
                ...(write ? { AutoScalingWrite: write } : {}),
              },
            }
          : {}),
      },
    ],
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Workbench's own date format: `May 11, 2023, 09:18 PM` (UTC here). */
function formatDate(d: Date): string {
  const h = d.getUTCHours();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())}, ${d.getUTCFullYear()}, ${pad(h % 12 === 0 ? 12 : h % 12)}:${pad(d.getUTCMinutes())} ${h < 12 ? 'AM' : 'PM'}`;
}

let validator: ReturnType<Ajv['compile']> | undefined;

/** Problems of a Workbench model against WORKBENCH_MODEL_SCHEMA, each `path: rule`; empty when valid. */
export function validateWorkbenchModel(json: unknown): string[] {
  validator ??= new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(WORKBENCH_MODEL_SCHEMA);
  if (validator(json)) return [];
  return (validator.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '(root)'}: ${e.message ?? 'invalid'}${e.params && 'additionalProperty' in e.params ? ` (${String(e.params.additionalProperty)})` : ''}`);
}

export class WorkbenchModelError extends Error {
  override readonly name = 'WorkbenchModelError';
  constructor(readonly problems: string[]) {
    super(`not a NoSQL Workbench 3.0 model: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}`);
  }
}

export interface WorkbenchReport {
  modelName: string;
  version: string;
  tables: {
    name: string;
    partitionKey: string;
    sortKey: string | undefined;
    billingMode: string;
    attributes: { name: string; type: string }[];
    items: number;
    indexes: { name: string; partitionKey: string; sortKey: string | undefined; projection: string; attributes: string[] }[];
    facets: { name: string; partitionKeyAlias: string; sortKeyAlias: string | undefined; attributes: string[]; items: number }[];
  }[];
}

/**
 * Reads a Workbench model back (validated against the schema first): its tables, their keys,
 * indexes and facets, as a starting point for writing the model's entities.
 */
export function readWorkbenchModel(json: unknown): WorkbenchReport {
  const problems = validateWorkbenchModel(json);
  if (problems.length) throw new WorkbenchModelError(problems);
  const m = json as WorkbenchModel;
  return {
    modelName: m.ModelName,
    version: m.ModelMetadata.Version,
    tables: m.DataModel.map((t) => ({
      name: t.TableName,
      partitionKey: t.KeyAttributes.PartitionKey.AttributeName,
      sortKey: t.KeyAttributes.SortKey?.AttributeName,
      billingMode: t.BillingMode,
      attributes: t.NonKeyAttributes.map((a) => ({ name: a.AttributeName, type: a.AttributeType })),
      items: (t.TableData ?? []).length + (t.TableFacets ?? []).reduce((n, f) => n + (f.TableData ?? []).length, 0),
      indexes: (t.GlobalSecondaryIndexes ?? []).map((g) => ({
        name: g.IndexName,
        partitionKey: g.KeyAttributes.PartitionKey.AttributeName,
        sortKey: g.KeyAttributes.SortKey?.AttributeName,
        projection: g.Projection.ProjectionType,
        attributes: g.Projection.NonKeyAttributes ?? [],
      })),
      facets: (t.TableFacets ?? []).map((f) => ({
        name: f.FacetName,
        partitionKeyAlias: f.KeyAttributeAlias.PartitionKeyAlias,
        sortKeyAlias: f.KeyAttributeAlias.SortKeyAlias,
        attributes: f.NonKeyAttributes,
        items: (f.TableData ?? []).length,
      })),
    })),
  };
}
