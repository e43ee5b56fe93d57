/** CreateTable. Validation order and texts follow dynalite's validations/createTable.js (Apache-2.0). */
import type { EngineCore } from '../engine';
import { EngineError, validation } from '../errors';
import { OrderedStore } from '../storage/ordered-store';
import { TableState, type IndexState, type KeyDef } from '../storage/table';
import type { AttributeDefinition, KeySchemaElement, ScalarAttributeType } from '../types';
import { describeTable } from './describe';
import { enableStream, STREAM_SPEC } from './streams-spec';
import { validateRequest, type FieldSpec } from './validator';

const KEY_SCHEMA: FieldSpec = {
  type: 'List',
  notNull: true,
  lengthGreaterThanOrEqual: 1,
  lengthLessThanOrEqual: 2,
  children: { type: 'ValueStruct<KeySchemaElement>', children: { AttributeName: { type: 'String', notNull: true }, KeyType: { type: 'String', notNull: true, enum: ['HASH', 'RANGE'] } } },
};
const INDEX_KEY_SCHEMA: FieldSpec = {
  type: 'List',
  notNull: true,
  lengthGreaterThanOrEqual: 1,
  lengthLessThanOrEqual: 2,
  children: { type: 'ValueStruct<KeySchemaElement>', children: { AttributeName: { type: 'String', notNull: true }, KeyType: { type: 'String', notNull: true } } },
};
export const PROJECTION: FieldSpec = {
  type: 'FieldStruct<Projection>',
  notNull: true,
  children: {
    ProjectionType: { type: 'String', enum: ['ALL', 'INCLUDE', 'KEYS_ONLY'] },
    NonKeyAttributes: { type: 'List', lengthGreaterThanOrEqual: 1, children: 'String' },
  },
};
export const THROUGHPUT: FieldSpec = {
  type: 'FieldStruct<ProvisionedThroughput>',
  children: {
    WriteCapacityUnits: { type: 'Long', notNull: true, greaterThanOrEqual: 1 },
    ReadCapacityUnits: { type: 'Long', notNull: true, greaterThanOrEqual: 1 },
  },
};
const INDEX_NAME_SPEC: FieldSpec = { type: 'String', notNull: true, regex: '[a-zA-Z0-9_.-]+', lengthGreaterThanOrEqual: 3, lengthLessThanOrEqual: 255 };
export const ATTRIBUTE_DEFINITIONS: FieldSpec = {
  type: 'List',
  notNull: true,
  children: {
    type: 'ValueStruct<AttributeDefinition>',
    children: { AttributeName: { type: 'String', notNull: true }, AttributeType: { type: 'String', notNull: true, enum: ['B', 'N', 'S'] } },
  },
};
export const GSI_SPEC: FieldSpec = {
  type: 'ValueStruct<GlobalSecondaryIndex>',
  children: { IndexName: INDEX_NAME_SPEC, KeySchema: INDEX_KEY_SCHEMA, Projection: PROJECTION, ProvisionedThroughput: THROUGHPUT },
};

const SCHEMA = {
  AttributeDefinitions: ATTRIBUTE_DEFINITIONS,
  TableName: { type: 'String', required: true, tableName: true, regex: '[a-zA-Z0-9_.-]+' },
  BillingMode: { type: 'String', enum: ['PROVISIONED', 'PAY_PER_REQUEST'] },
  ProvisionedThroughput: THROUGHPUT,
  KeySchema: KEY_SCHEMA,
  LocalSecondaryIndexes: {
    type: 'List',
    children: { type: 'ValueStruct<LocalSecondaryIndex>', children: { IndexName: INDEX_NAME_SPEC, KeySchema: INDEX_KEY_SCHEMA, Projection: PROJECTION } },
  },
  GlobalSecondaryIndexes: { type: 'List', children: GSI_SPEC },
  StreamSpecification: STREAM_SPEC,
  Tags: { type: 'List', children: { type: 'ValueStruct<Tag>', children: { Key: { type: 'String', notNull: true }, Value: { type: 'String', notNull: true } } } },
  DeletionProtectionEnabled: 'Boolean',
  TableClass: { type: 'String', enum: ['STANDARD', 'STANDARD_INFREQUENT_ACCESS'] },
  SSESpecification: { type: 'FieldStruct<SSESpecification>', children: { Enabled: 'Boolean', SSEType: 'String', KMSMasterKeyId: 'String' } },
} satisfies Record<string, FieldSpec | string>;

interface RawIndex {
  IndexName: string;
  KeySchema: KeySchemaElement[];
  Projection: { ProjectionType?: string; NonKeyAttributes?: string[] };
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
}

function fail(msg: string): never {
  throw validation(msg);
}

export function checkIndexDefinition(ix: RawIndex, defns: string[], billing: string | undefined, global: boolean, tableHash: string, names: Set<string>): void {
  const keys = ix.KeySchema.map((k) => k.AttributeName);
  if (keys.some((k) => !defns.includes(k))) {
    fail('One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [' + keys.join(', ') + '], AttributeDefinitions: [' + defns.join(', ') + ']');
  }
  if (ix.KeySchema[1] && ix.KeySchema[0]?.AttributeName === ix.KeySchema[1].AttributeName) fail('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  if (ix.KeySchema[0]?.KeyType !== 'HASH') fail('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (ix.KeySchema[1] && ix.KeySchema[1].KeyType !== 'RANGE') fail('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  if (!global) {
    if (ix.KeySchema.length !== 2) fail('One or more parameter values were invalid: Index KeySchema does not have a range key for index: ' + ix.IndexName);
    const h = ix.KeySchema[0]?.AttributeName;
    if (h !== tableHash) {
      fail('One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: ' + ix.IndexName + '. index hash key: ' + String(h) + ', table hash key: ' + tableHash);
    }
  }
  if (ix.Projection.ProjectionType === undefined) fail('One or more parameter values were invalid: Unknown ProjectionType: null');
  if (ix.Projection.NonKeyAttributes && ix.Projection.ProjectionType !== 'INCLUDE') {
    fail('One or more parameter values were invalid: ProjectionType is ' + ix.Projection.ProjectionType + ', but NonKeyAttributes is specified');
  }
  if (global && billing === 'PAY_PER_REQUEST' && ix.ProvisionedThroughput) {
    fail('One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: ' + ix.IndexName + ' when BillingMode is PAY_PER_REQUEST');
  }
  if (global && billing !== 'PAY_PER_REQUEST' && !ix.ProvisionedThroughput) {
    fail('One or more parameter values were invalid: ProvisionedThroughput must be specified for index: ' + ix.IndexName);
  }
  if (names.has(ix.IndexName)) fail('One or more parameter values were invalid: Duplicate index name: ' + ix.IndexName);
  names.add(ix.IndexName);
}

export function buildIndex(core: EngineCore, tableName: string, defs: AttributeDefinition[], ix: RawIndex, global: boolean, now: number): IndexState {
  const def = (name: string): KeyDef => ({ name, type: (defs.find((d) => d.AttributeName === name)?.AttributeType ?? 'S') as ScalarAttributeType });
  const hash = ix.KeySchema[0] as KeySchemaElement;
  const range = ix.KeySchema[1];
  const state: IndexState = {
    name: ix.IndexName,
    global,
    hash: def(hash.AttributeName),
    ...(range ? { range: def(range.AttributeName) } : {}),
    keySchema: ix.KeySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
    projection: {
      ProjectionType: ix.Projection.ProjectionType as 'ALL' | 'KEYS_ONLY' | 'INCLUDE',
      ...(ix.Projection.NonKeyAttributes ? { NonKeyAttributes: [...ix.Projection.NonKeyAttributes] } : {}),
    },
    store: new OrderedStore(),
    status: 'ACTIVE',
    backfilling: false,
    arn: core.tableArn(tableName) + '/index/' + ix.IndexName,
    pending: [],
  };
  if (global) {
    state.throughput = {
      ReadCapacityUnits: ix.ProvisionedThroughput?.ReadCapacityUnits ?? 0,
      WriteCapacityUnits: ix.ProvisionedThroughput?.WriteCapacityUnits ?? 0,
      NumberOfDecreasesToday: 0,
    };
  }
  void now;
  return state;
}

export function createTable(core: EngineCore, body: unknown): unknown {
  const data = validateRequest(body, SCHEMA);
  const billing = data.BillingMode as string | undefined;
  const pt = data.ProvisionedThroughput as { ReadCapacityUnits?: number; WriteCapacityUnits?: number } | undefined;
  if (billing === 'PAY_PER_REQUEST') {
    if (pt) fail('One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  } else {
    if (!pt || !pt.ReadCapacityUnits || !pt.WriteCapacityUnits) {
      fail('One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
    }
    if (pt.ReadCapacityUnits > 1e12) fail('Given value ' + pt.ReadCapacityUnits + ' for ReadCapacityUnits is out of bounds');
    if (pt.WriteCapacityUnits > 1e12) fail('Given value ' + pt.WriteCapacityUnits + ' for WriteCapacityUnits is out of bounds');
  }
  const defs = data.AttributeDefinitions as AttributeDefinition[];
  const keySchema = data.KeySchema as KeySchemaElement[];
  const defns = defs.map((d) => d.AttributeName);
  const keys = keySchema.map((k) => k.AttributeName);
  if (keys.length > defns.length) fail('Invalid KeySchema: Some index key attribute have no definition');
  if (keys.some((k) => !defns.includes(k))) {
    fail('One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [' + keys.join(', ') + '], AttributeDefinitions: [' + defns.join(', ') + ']');
  }
  if (keys[0] === keys[1]) fail('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  if (keySchema[0]?.KeyType !== 'HASH') fail('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (keySchema[1] && keySchema[1].KeyType !== 'RANGE') fail('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
  const lsis = data.LocalSecondaryIndexes as RawIndex[] | undefined;
  const gsis = data.GlobalSecondaryIndexes as RawIndex[] | undefined;
  if (!lsis && !gsis && keySchema.length !== defs.length) {
    fail('One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
  }
  if (new Set(defns).size !== defns.length) {
    fail('Cannot have two attributes with the same name in AttributeDefinitions');
  }
  const names = new Set<string>();
  const tableHash = keys[0] as string;
  if (lsis) {
    if (!lsis.length) fail('One or more parameter values were invalid: List of LocalSecondaryIndexes is empty');
    if (keySchema.length !== 2) fail('One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex');
    for (const ix of lsis) checkIndexDefinition(ix, defns, billing, false, tableHash, names);
    if (lsis.length > 5) fail('One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5');
  }
  if (gsis) {
    if (!gsis.length) fail('One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty');
    for (const ix of gsis) checkIndexDefinition(ix, defns, billing, true, tableHash, names);
    if (gsis.length > 20) fail('One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20');
  }
  const used = new Set([...keys, ...(lsis ?? []).flatMap((i) => i.KeySchema.map((k) => k.AttributeName)), ...(gsis ?? []).flatMap((i) => i.KeySchema.map((k) => k.AttributeName))]);
  const unused = defns.filter((d) => !used.has(d));
  if (unused.length) {
    fail('One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [' + defns.join(', ') + '], keys used: [' + [...used].join(', ') + ']');
  }
  const name = data.TableName as string;
  if (core.findTable(name)) throw new EngineError('ResourceInUseException', 'Table already exists: ' + name);

  const now = core.now();
  const def = (n: string): KeyDef => ({ name: n, type: (defs.find((d) => d.AttributeName === n)?.AttributeType ?? 'S') as ScalarAttributeType });
  const table = new TableState(
    name,
    core.tableArn(name),
    core.newId(),
    now,
    def(tableHash),
    keys[1] !== undefined ? def(keys[1]) : undefined,
    defs.map((d) => ({ AttributeName: d.AttributeName, AttributeType: d.AttributeType })),
    keySchema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
  );
  table.billingMode = billing === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED';
  if (table.billingMode === 'PAY_PER_REQUEST') table.lastPayPerRequestAt = now;
  if (pt) table.throughput = { ReadCapacityUnits: pt.ReadCapacityUnits ?? 0, WriteCapacityUnits: pt.WriteCapacityUnits ?? 0, NumberOfDecreasesToday: 0 };
  for (const ix of lsis ?? []) table.indexes.push(buildIndex(core, name, defs, ix, false, now));
  for (const ix of gsis ?? []) table.indexes.push(buildIndex(core, name, defs, ix, true, now));
  for (const tag of (data.Tags as Array<{ Key: string; Value: string }> | undefined) ?? []) table.tags.set(tag.Key, tag.Value);
  if (data.DeletionProtectionEnabled === true) table.deletionProtection = true;
  const spec = data.StreamSpecification as { StreamEnabled?: boolean; StreamViewType?: string } | undefined;
  if (spec) {
    if (spec.StreamEnabled && !spec.StreamViewType) fail('One or more parameter values were invalid: StreamViewType is required when StreamEnabled is true');
    if (!spec.StreamEnabled && spec.StreamViewType) fail('One or more parameter values were invalid: StreamEnabled is false, so StreamViewType must not be specified');
    if (spec.StreamEnabled) enableStream(core, table, spec.StreamViewType as string);
  }
  const delay = core.options.createTableMs ?? 0;
  if (delay > 0) {
    table.status = 'CREATING';
    table.activeAt = now + delay;
    for (const i of table.indexes) if (i.global) {
      i.status = 'CREATING';
      i.activeAt = now + delay;
    }
  }
  core.tables.set(name, table);
  // DynamoDB answers CreateTable with CREATING (and the billing timestamp only in DescribeTable),
  // whatever the engine's delay before DescribeTable says ACTIVE.
  const desc = describeTable(core, table);
  desc.TableStatus = 'CREATING';
  for (const g of (desc.GlobalSecondaryIndexes as Array<Record<string, unknown>> | undefined) ?? []) g.IndexStatus = 'CREATING';
  if (desc.BillingModeSummary) desc.BillingModeSummary = { BillingMode: 'PAY_PER_REQUEST' };
  return { TableDescription: desc };
}
