import type {
  AttributeDefinition,
  CreateTableCommandInput,
  GlobalSecondaryIndex,
  KeySchemaElement,
  Projection,
} from '@aws-sdk/client-dynamodb';

/** The part of an ElectroDB entity the table derivation reads: its name and index definitions. */
export interface EntityIndexSource {
  schema: {
    model: { entity: string };
    indexes: Record<string, { index?: string; pk: { field: string; cast?: string }; sk?: { field: string; cast?: string } }>;
  };
  /** ElectroDB's resolved keys (an Entity has it): which key fields it writes as numbers. */
  model?: { prefixes?: Record<string, { pk?: { field?: string; cast?: string }; sk?: { field?: string; cast?: string } } | undefined> };
}

/**
 * The DynamoDB type of every key field: N where ElectroDB writes the key as a number (`cast:
 * 'number'`, or a custom template of one number attribute), else S. Two entities that write one
 * field as different types cannot share the table.
 */
export function keyFieldTypes(entities: readonly EntityIndexSource[]): Map<string, 'S' | 'N'> {
  const types = new Map<string, { type: 'S' | 'N'; by: string }>();
  for (const entity of entities) {
    const entityName = entity.schema.model.entity;
    for (const [accessPattern, def] of Object.entries(entity.schema.indexes)) {
      const resolved = entity.model?.prefixes?.[def.index ?? ''];
      for (const part of ['pk', 'sk'] as const) {
        const key = def[part];
        if (!key) continue;
        const cast = resolved?.[part]?.field === key.field ? resolved[part]?.cast : key.cast;
        const type = cast === 'number' ? 'N' : 'S';
        const by = `${entityName}.${accessPattern}`;
        const seen = types.get(key.field);
        if (seen && seen.type !== type) {
          throw new TableDefinitionError(`${by} writes key field ${key.field} as ${type === 'N' ? 'a number' : 'a string'}, but ${seen.by} writes it as ${seen.type === 'N' ? 'a number' : 'a string'}`);
        }
        if (!seen) types.set(key.field, { type, by });
      }
    }
  }
  return new Map([...types].map(([field, { type }]) => [field, type]));
}

export type Billing =
  | { mode: 'PAY_PER_REQUEST' }
  | {
      mode: 'PROVISIONED';
      readCapacityUnits: number;
      writeCapacityUnits: number;
      /** Per-GSI capacity; indexes not named get the table's. */
      indexes?: Record<string, { readCapacityUnits: number; writeCapacityUnits: number }>;
    };

/** What a GSI copies of each item: only its keys, its keys and some attributes, or everything. */
export type IndexProjection = { type: 'ALL' } | { type: 'KEYS_ONLY' } | { type: 'INCLUDE'; attributes: readonly string[] };

export type StreamView = 'NEW_AND_OLD_IMAGES' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'KEYS_ONLY';

export interface DeriveTableOptions {
  tableName: string;
  entities: readonly EntityIndexSource[];
  billing?: Billing;
  /** Attribute DynamoDB's TTL deletes items by (epoch seconds). */
  ttlAttribute?: string;
  /** Stream view; default NEW_AND_OLD_IMAGES. `false` disables streams. */
  stream?: StreamView | false;
  /** What each GSI projects; default ALL. */
  projections?: Record<string, IndexProjection>;
}

/** A table's CreateTable input plus what CreateTable cannot say (TTL). */
export interface TableDefinition {
  input: CreateTableCommandInput & { TableName: string };
  ttlAttribute: string | undefined;
}

export class TableDefinitionError extends Error {
  override readonly name = 'TableDefinitionError';
}

interface IndexKeys {
  pk: string;
  sk: string | undefined;
  usedBy: string[];
}

/** Collects every physical index the entities use; throws when two entities disagree on its key fields. */
export function collectIndexes(entities: readonly EntityIndexSource[]): Map<string, IndexKeys> {
  const indexes = new Map<string, IndexKeys>();
  for (const entity of entities) {
    const entityName = entity.schema.model.entity;
    for (const [accessPattern, def] of Object.entries(entity.schema.indexes)) {
      const name = def.index ?? '';
      const keys = { pk: def.pk.field, sk: def.sk?.field };
      const seen = indexes.get(name);
      if (!seen) {
        indexes.set(name, { ...keys, usedBy: [`${entityName}.${accessPattern}`] });
        continue;
      }
      if (seen.pk !== keys.pk || seen.sk !== keys.sk) {
        throw new TableDefinitionError(
          `${entityName}.${accessPattern} defines index "${name || 'table'}" with keys ` +
            `${keys.pk}/${keys.sk ?? '-'}, but ${seen.usedBy[0]} uses ${seen.pk}/${seen.sk ?? '-'}`,
        );
      }
      seen.usedBy.push(`${entityName}.${accessPattern}`);
    }
  }
  if (!indexes.has('')) throw new TableDefinitionError('No entity defines the table\'s primary index');
  return indexes;
}

function keySchema(keys: IndexKeys): KeySchemaElement[] {
  return [
    { AttributeName: keys.pk, KeyType: 'HASH' },
    ...(keys.sk ? [{ AttributeName: keys.sk, KeyType: 'RANGE' as const }] : []),
  ];
}

function projectionOf(projection: IndexProjection | undefined): Projection {
  if (!projection || projection.type === 'ALL') return { ProjectionType: 'ALL' };
  if (projection.type === 'KEYS_ONLY') return { ProjectionType: 'KEYS_ONLY' };
  return { ProjectionType: 'INCLUDE', NonKeyAttributes: [...projection.attributes] };
}

/**
 * Derives the CreateTable input from the entities' index definitions, so the table and the model
 * cannot drift: every key field is a string attribute (a number where ElectroDB casts the key to
 * a number), every GSI projects ALL unless
 * `projections` says otherwise.
 */
export function deriveTableDefinition(options: DeriveTableOptions): TableDefinition {
  const billing = options.billing ?? { mode: 'PAY_PER_REQUEST' };
  const indexes = collectIndexes(options.entities);
  for (const name of Object.keys(options.projections ?? {})) {
    if (name === '' || !indexes.has(name)) throw new TableDefinitionError(`projections names index "${name}", which no entity uses`);
  }
  const primary = indexes.get('') as IndexKeys;
  const types = keyFieldTypes(options.entities);
  const attributes = new Set<string>();
  for (const keys of indexes.values()) {
    attributes.add(keys.pk);
    if (keys.sk) attributes.add(keys.sk);
  }
  const gsiNames = [...indexes.keys()].filter((n) => n !== '').sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const gsis: GlobalSecondaryIndex[] = gsiNames.map((name) => {
    const keys = indexes.get(name) as IndexKeys;
    const throughput =
      billing.mode === 'PROVISIONED'
        ? {
            ProvisionedThroughput: {
              ReadCapacityUnits: billing.indexes?.[name]?.readCapacityUnits ?? billing.readCapacityUnits,
              WriteCapacityUnits: billing.indexes?.[name]?.writeCapacityUnits ?? billing.writeCapacityUnits,
            },
          }
        : {};
    return { IndexName: name, KeySchema: keySchema(keys), Projection: projectionOf(options.projections?.[name]), ...throughput };
  });
  const stream = options.stream ?? 'NEW_AND_OLD_IMAGES';
  const input: TableDefinition['input'] = {
    TableName: options.tableName,
    AttributeDefinitions: [...attributes].sort().map((name): AttributeDefinition => ({ AttributeName: name, AttributeType: types.get(name) ?? 'S' })),
    KeySchema: keySchema(primary),
    ...(gsis.length ? { GlobalSecondaryIndexes: gsis } : {}),
    ...(billing.mode === 'PROVISIONED'
      ? {
          BillingMode: 'PROVISIONED',
          ProvisionedThroughput: { ReadCapacityUnits: billing.readCapacityUnits, WriteCapacityUnits: billing.writeCapacityUnits },
        }
      : { BillingMode: 'PAY_PER_REQUEST' }),
    ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: stream } } : {}),
  };
  return { input, ttlAttribute: options.ttlAttribute };
}

/** The key layout of a table, as a CreateTable input or a DescribeTable answer's Table has it. */
export interface TableKeyLayout {
  KeySchema?: KeySchemaElement[];
  GlobalSecondaryIndexes?: { IndexName?: string; KeySchema?: KeySchemaElement[] }[];
}

/**
 * Compares a table's key layout (a CreateTable input, or a DescribeTable answer's Table) with the
 * entities: lists each index or key field an entity uses that the table lacks, and each index the
 * table defines that no entity uses. Empty when they agree.
 */
export function verifyTableAgainstEntities(
  table: TableKeyLayout,
  entities: readonly EntityIndexSource[],
): string[] {
  const problems: string[] = [];
  const fieldsOf = (schema: KeySchemaElement[] | undefined) => ({
    pk: schema?.find((k) => k.KeyType === 'HASH')?.AttributeName,
    sk: schema?.find((k) => k.KeyType === 'RANGE')?.AttributeName,
  });
  const tableIndexes = new Map<string, { pk?: string; sk?: string }>([['', fieldsOf(table.KeySchema)]]);
  for (const gsi of table.GlobalSecondaryIndexes ?? []) tableIndexes.set(gsi.IndexName ?? '', fieldsOf(gsi.KeySchema));
  const used = new Set<string>();
  for (const entity of entities) {
    for (const [accessPattern, def] of Object.entries(entity.schema.indexes)) {
      const name = def.index ?? '';
      const label = `${entity.schema.model.entity}.${accessPattern}`;
      used.add(name);
      const keys = tableIndexes.get(name);
      if (!keys) {
        problems.push(`${label} uses index "${name}", which the table does not define`);
        continue;
      }
      if (keys.pk !== def.pk.field) problems.push(`${label} uses partition key "${def.pk.field}" on ${name || 'the table'}, the table has "${keys.pk}"`);
      if (keys.sk !== def.sk?.field) problems.push(`${label} uses sort key "${def.sk?.field ?? '(none)'}" on ${name || 'the table'}, the table has "${keys.sk ?? '(none)'}"`);
    }
  }
  for (const name of tableIndexes.keys()) {
    if (!used.has(name)) problems.push(`the table defines index "${name || '(primary)'}", which no entity uses`);
  }
  return problems;
}
