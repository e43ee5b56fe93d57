import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { catalog, referenceModel } from '../../src/reference';
import { checkCatalog, declaredRequests, defineModel, ModelError } from '../../src/toolkit';
import { patternsWithoutTests } from '../../src/toolkit/testing';
import { entities } from '../../src/reference';
import { renderAccessPatternTable } from '../../src/cli/docs';
import { generateDocs } from '../../scripts/generate-docs';
import { tableDefinition } from '../../src/reference';
import { createServices } from '../../src/reference';

describe('catalog, service layer, table and README agree', () => {
  const services = createServices({ client: new DynamoDBClient({ region: 'us-east-1' }), tableName: 'unused' });

  it('every catalog pattern is a service method, and every service method is a catalog pattern', () => {
    expect(Object.keys(services).sort()).toEqual(catalog.map((p) => p.name).sort());
  });

  it('every index a pattern declares exists on the table', () => {
    const indexes = new Set(['table', ...(tableDefinition({ tableName: 'x' }).input.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName)]);
    const used = catalog.flatMap((p) => declaredRequests(p)).map((r) => r.index);
    expect(used.filter((i) => !indexes.has(i))).toEqual([]);
  });

  it('reads are served by keys: no pattern declares a Scan, every read Query names its key condition', () => {
    for (const p of catalog) {
      for (const r of declaredRequests(p)) {
        expect(r.operation).not.toBe('Scan');
        if (r.operation === 'Query' && p.kind === 'read') expect(r.keyConditions?.length).toBeGreaterThan(0);
      }
    }
  });

  it('every catalog pattern has an access-pattern test (expectPattern) under test/', () => {
    expect(patternsWithoutTests(catalog, join(__dirname, '..'))).toEqual([]);
  });

  it('the catalog is checked against the model: every index and entity it names exists, and every index is used', () => {
    expect(checkCatalog(catalog, entities)).toEqual({ errors: [], unusedIndexes: [] });
    const typo = [{ ...catalog[1]!, entities: ['usr'], requests: [{ operation: 'Query' as const, index: 'gsi7', key: 'x' }] }];
    expect(checkCatalog(typo, entities).errors).toEqual([
      expect.stringMatching(/^getUserById names entity "usr", which the model does not have/),
      expect.stringMatching(/^getUserById declares a Query on index "gsi7", which no entity defines/),
    ]);
    expect(checkCatalog(typo, entities).unusedIndexes).toEqual(['gsi1', 'gsi2', 'gsi3']);
    expect(() => defineModel({ ...referenceModel, catalog: typo })).toThrow(ModelError);
  });

  it('every generated block of the docs (command output included) is current (run `npm run docs` when this fails)', () => {
    expect(generateDocs('check')).toEqual([]);
  }, 300_000);

  it("the README's access-pattern table is generated from the catalog (run `npm run docs` when this fails)", () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(renderAccessPatternTable(referenceModel, readme, 'summary')).toBe(readme);
  });
});
