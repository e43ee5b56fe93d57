import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { modelTable, openModelSession, readWorkbenchModel, validateWorkbenchModel, withProvisionedPlan, provisionedPlan, workbenchModel, WorkbenchModelError, type Model, type WorkbenchModel } from '../../src/toolkit';
import { renderWorkbenchReport } from '../../src/cli/export';
import { MODELS, unitProfile } from './export-fixtures';

/** Seeds the model on the test run's DynamoDB Local and returns every item, as a user's export would. */
async function seededItems(model: Model, size: number): Promise<Record<string, unknown>[]> {
  const session = await openModelSession(model);
  try {
    await model.seed(session.services, { size });
    const out = await DynamoDBDocumentClient.from(session.client).send(new ScanCommand({ TableName: session.tableName }));
    return out.Items ?? [];
  } finally {
    await session.close();
  }
}

describe.each(MODELS)('NoSQL Workbench export of the %s model', (name, model) => {
  let items: Record<string, unknown>[];
  let exported: WorkbenchModel;
  beforeAll(async () => {
    items = await seededItems(model, 6);
    exported = workbenchModel(model, modelTable(model, `${name}-table`), { items });
  }, 120_000);

  it('matches the schema written from published Workbench models', () => {
    expect(validateWorkbenchModel(JSON.parse(JSON.stringify(exported)))).toEqual([]);
  });

  it('has one facet per entity with its key aliases and its seeded items, and every GSI with its projection', () => {
    const table = exported.DataModel[0];
    const entities = model.entities.map((e) => e.schema.model.entity);
    expect(table?.TableFacets.map((f) => f.FacetName)).toEqual(entities);
    const seeded = new Set(items.map((i) => i.__edb_e__));
    for (const facet of table?.TableFacets ?? []) {
      if (seeded.has(facet.FacetName)) expect(facet.TableData.length).toBeGreaterThan(0);
      for (const item of facet.TableData) expect(item.__edb_e__).toEqual({ S: facet.FacetName });
      expect(facet.KeyAttributeAlias.PartitionKeyAlias.length).toBeGreaterThan(0);
    }
    const definition = modelTable(model, `${name}-table`);
    expect(table?.KeyAttributes.PartitionKey.AttributeName).toBe(definition.input.KeySchema?.[0]?.AttributeName);
    expect(table?.GlobalSecondaryIndexes?.map((g) => [g.IndexName, g.Projection])).toEqual((definition.input.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, g.Projection]));
    // Every attribute of every sample item is declared with its type.
    const declared = new Set([table?.KeyAttributes.PartitionKey.AttributeName, table?.KeyAttributes.SortKey?.AttributeName, ...(table?.NonKeyAttributes ?? []).map((a) => a.AttributeName)]);
    for (const facet of table?.TableFacets ?? []) for (const item of facet.TableData) for (const attribute of Object.keys(item)) expect(declared).toContain(attribute);
  });

  it('reads back (import): tables, facets with their item counts, indexes', () => {
    const report = readWorkbenchModel(JSON.parse(JSON.stringify(exported)));
    const facetItems = Object.fromEntries(report.tables[0]?.facets.map((f) => [f.name, f.items]) ?? []);
    const byEntity: Record<string, number> = {};
    for (const i of items) byEntity[String(i.__edb_e__)] = Math.min(25, (byEntity[String(i.__edb_e__)] ?? 0) + 1);
    for (const [entity, n] of Object.entries(byEntity)) expect(facetItems[entity]).toBe(n);
    expect(report.tables[0]?.indexes.map((i) => i.name)).toEqual(exported.DataModel[0]?.GlobalSecondaryIndexes?.map((g) => g.IndexName));
    expect(renderWorkbenchReport(report)).toContain(report.tables[0]?.facets[0]?.name);
  });

  it('shows provisioned capacity and auto-scaling when given a plan', () => {
    const base = modelTable(model, `${name}-table`);
    const plan = provisionedPlan(base, unitProfile(model), []);
    const provisioned = workbenchModel(model, withProvisionedPlan(base, plan), { plan });
    expect(validateWorkbenchModel(JSON.parse(JSON.stringify(provisioned)))).toEqual([]);
    expect(provisioned.DataModel[0]?.ProvisionedCapacitySettings?.AutoScalingWrite?.ScalableTargetRequest.MaxCapacity).toBe(plan.indexes[0]?.write.max);
  });
});

describe('the schema check can fail', () => {
  const [, model] = MODELS[1] as (typeof MODELS)[number];
  const valid = () => JSON.parse(JSON.stringify(workbenchModel(model, modelTable(model, 'schema-table')))) as Record<string, unknown> & WorkbenchModel;

  it.each([
    ['an unknown Version', (m: WorkbenchModel) => ((m.ModelMetadata as { Version: string }).Version = '2.0'), '/ModelMetadata/Version'],
    ['a facet without key aliases', (m: WorkbenchModel) => delete (m.DataModel[0]?.TableFacets[0] as Partial<WorkbenchModel['DataModel'][number]['TableFacets'][number]>).KeyAttributeAlias, '/DataModel/0/TableFacets/0'],
    ['provisioned billing without capacity settings', (m: WorkbenchModel) => ((m.DataModel[0] as { BillingMode: string }).BillingMode = 'PROVISIONED'), '/DataModel/0'],
    ['an item value that is not DynamoDB JSON', (m: WorkbenchModel) => ((m.DataModel[0] as { TableData?: unknown[] }).TableData = [{ PK: 'plain' }]), '/DataModel/0/TableData/0/PK'],
    ['a field Workbench does not know', (m: WorkbenchModel) => ((m.DataModel[0] as unknown as Record<string, unknown>).Indexes = []), '/DataModel/0'],
  ])('rejects %s', (_label, breakIt, path) => {
    const m = valid();
    breakIt(m);
    const problems = validateWorkbenchModel(m);
    expect(problems.some((p) => p.startsWith(`${path}:`))).toBe(true);
    expect(() => readWorkbenchModel(m)).toThrow(WorkbenchModelError);
  });
});
