import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { Entity } from 'electrodb';
import { createTable, deleteTable, entities, tableDefinition } from '../../src/reference';
import { deriveTableDefinition, dropTable, ensureTable, TableDefinitionError, TableMismatchError, verifyTableAgainstEntities } from '../../src/toolkit';
import { testClient, uniqueTableName } from '../support/local-table';

const entity = (name: string, indexes: Record<string, { index?: string; pk: string; sk?: string }>) =>
  new Entity({
    model: { entity: name, version: '1', service: 'test' },
    attributes: { id: { type: 'string' } },
    indexes: Object.fromEntries(
      Object.entries(indexes).map(([k, v]) => [k, { ...(v.index ? { index: v.index } : {}), pk: { field: v.pk, composite: ['id'] }, ...(v.sk ? { sk: { field: v.sk, composite: [] } } : {}) }]),
    ),
  });

describe('tableDefinition', () => {
  const def = tableDefinition({ tableName: 'app' });

  it('is derived from the entities: every index and key field they use, nothing else', () => {
    expect(def.input.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(def.input.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['gsi1', 'gsi2', 'gsi3']);
    expect(def.input.AttributeDefinitions?.map((a) => a.AttributeName)).toEqual(['gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'gsi3pk', 'gsi3sk', 'pk', 'sk']);
    expect(def.input.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(def.input.BillingMode).toBe('PAY_PER_REQUEST');
    expect(def.ttlAttribute).toBe('expiresAt');
    expect(verifyTableAgainstEntities(def.input, entities)).toEqual([]);
  });

  it('offers provisioned capacity, per index if wanted', () => {
    const provisioned = tableDefinition({ tableName: 'app', billing: { mode: 'PROVISIONED', readCapacityUnits: 10, writeCapacityUnits: 5, indexes: { gsi3: { readCapacityUnits: 2, writeCapacityUnits: 1 } } } });
    expect(provisioned.input.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 10, WriteCapacityUnits: 5 });
    const gsis = provisioned.input.GlobalSecondaryIndexes ?? [];
    expect(gsis.find((g) => g.IndexName === 'gsi1')?.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 10, WriteCapacityUnits: 5 });
    expect(gsis.find((g) => g.IndexName === 'gsi3')?.ProvisionedThroughput).toEqual({ ReadCapacityUnits: 2, WriteCapacityUnits: 1 });
  });

  it('reports an index an entity uses that the table lacks, and one the table has that no entity uses', () => {
    const withoutGsi2 = { ...def.input, GlobalSecondaryIndexes: def.input.GlobalSecondaryIndexes?.filter((g) => g.IndexName !== 'gsi2') };
    expect(verifyTableAgainstEntities(withoutGsi2, entities)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^user\.byEmail uses index "gsi2", which the table does not define$/)]),
    );
    const withExtra = {
      ...def.input,
      GlobalSecondaryIndexes: [...(def.input.GlobalSecondaryIndexes ?? []), { IndexName: 'gsi9', KeySchema: [{ AttributeName: 'gsi9pk', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } }],
    };
    expect(verifyTableAgainstEntities(withExtra, entities)).toEqual(['the table defines index "gsi9", which no entity uses']);
    const renamedKey = { ...def.input, KeySchema: [{ AttributeName: 'PK', KeyType: 'HASH' as const }, { AttributeName: 'sk', KeyType: 'RANGE' as const }] };
    expect(verifyTableAgainstEntities(renamedKey, entities).some((p) => p.includes('uses partition key "pk" on the table, the table has "PK"'))).toBe(true);
  });

  it('refuses entities that disagree on an index\'s key fields', () => {
    const a = entity('a', { main: { pk: 'pk', sk: 'sk' }, byX: { index: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk' } });
    const b = entity('b', { main: { pk: 'pk', sk: 'sk' }, byY: { index: 'gsi1', pk: 'other', sk: 'gsi1sk' } });
    expect(() => deriveTableDefinition({ tableName: 't', entities: [a, b] })).toThrow(TableDefinitionError);
    expect(() => deriveTableDefinition({ tableName: 't', entities: [a, b] })).toThrow(/b\.byY defines index "gsi1" with keys other\/gsi1sk, but a\.byX uses gsi1pk\/gsi1sk/);
  });
});

describe('createTable / deleteTable', () => {
  it('are idempotent, wait for ACTIVE, and enable TTL and streams', async () => {
    const client = testClient();
    const tableName = uniqueTableName('lifecycle');
    try {
      await createTable(client, { tableName });
      const again = await createTable(client, { tableName });
      expect(again.TableStatus).toBe('ACTIVE');
      const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
      expect(ttl.TimeToLiveDescription).toMatchObject({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
      const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
      expect(described.Table?.StreamSpecification?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
      // the live table agrees with the entities too: a DescribeTable answer is accepted as it is
      expect(verifyTableAgainstEntities(described.Table ?? {}, entities)).toEqual([]);
    } finally {
      await deleteTable(client, tableName);
      await deleteTable(client, tableName);
      await expect(client.send(new DescribeTableCommand({ TableName: tableName }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      client.destroy();
    }
  });
});

describe('ensureTable on an existing table', () => {
  const a = entity('a', { main: { pk: 'pk', sk: 'sk' }, byX: { index: 'gsi1', pk: 'gsi1pk', sk: 'gsi1sk' } });
  const b = entity('b', { main: { pk: 'pk', sk: 'sk' }, byY: { index: 'gsi2', pk: 'gsi2pk' } });
  const client = testClient();
  afterAll(() => client.destroy());

  it('refuses a table whose indexes differ from the definition, naming each difference, and writes nothing', async () => {
    const tableName = uniqueTableName('mismatch');
    try {
      await ensureTable(client, deriveTableDefinition({ tableName, entities: [a] }));
      const wider = deriveTableDefinition({ tableName, entities: [a, b], projections: { gsi1: { type: 'KEYS_ONLY' } } });
      const error = await ensureTable(client, wider).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TableMismatchError);
      expect((error as TableMismatchError).differences).toEqual([
        'index gsi1 projects ALL, the definition KEYS_ONLY',
        'index gsi2 is missing (the definition has it with keys gsi2pk HASH)',
      ]);
      const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
      expect(described.Table?.GlobalSecondaryIndexes?.map((g) => g.IndexName)).toEqual(['gsi1']);
      const otherKeys = deriveTableDefinition({ tableName, entities: [entity('c', { main: { pk: 'PK', sk: 'SK' } })] });
      await expect(ensureTable(client, otherKeys)).rejects.toThrow(/primary key is pk HASH, sk RANGE, the definition has PK HASH, SK RANGE/);
    } finally {
      await dropTable(client, tableName);
    }
  });

  it('adds missing indexes when asked explicitly, and then agrees with the entities', async () => {
    const tableName = uniqueTableName('addgsi');
    try {
      await ensureTable(client, deriveTableDefinition({ tableName, entities: [a] }));
      const described = await ensureTable(client, deriveTableDefinition({ tableName, entities: [a, b] }), { addMissingIndexes: true });
      expect(described.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.IndexStatus]).sort()).toEqual([['gsi1', 'ACTIVE'], ['gsi2', 'ACTIVE']]);
      expect(verifyTableAgainstEntities(described, [a, b])).toEqual([]);
    } finally {
      await dropTable(client, tableName);
    }
  });
});
