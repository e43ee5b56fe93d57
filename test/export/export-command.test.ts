import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readCapacityFile, renderExport, runExportExamples, runImportWorkbench, type ExportCommandOptions } from '../../src/cli/export';
import { referenceModel } from '../../src/reference';
import { validateWorkbenchModel, type Model } from '../../src/toolkit';
import { ticketingModel } from '../fixtures/ticketing-model';
import { unitProfile } from './export-fixtures';

let dir: string;
let out: string[];
beforeEach(() => {
  out = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
});
afterEach(() => jest.restoreAllMocks());
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'stk-export-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ticketing = ticketingModel as unknown as Model;
const options = (o: Partial<ExportCommandOptions>): ExportCommandOptions => ({ format: 'cloudformation', json: false, size: 0, ...o });

describe('export --examples', () => {
  it('docs/export holds what the reference model exports now (the docs check)', async () => {
    expect(await runExportExamples(referenceModel as unknown as Model, 'docs/export', 'check')).toBe(0);
  }, 60_000);

  it('fails when an example is stale, and --write brings it back', async () => {
    const copy = join(dir, 'examples');
    cpSync('docs/export', copy, { recursive: true });
    writeFileSync(join(copy, 'main.tf'), readFileSync(join(copy, 'main.tf'), 'utf8').replace('PAY_PER_REQUEST', 'PROVISIONED'));
    expect(await runExportExamples(referenceModel as unknown as Model, copy, 'check')).toBe(1);
    expect(out.join('')).toContain('main.tf');
    expect(await runExportExamples(referenceModel as unknown as Model, copy, 'write')).toBe(0);
    expect(await runExportExamples(referenceModel as unknown as Model, copy, 'check')).toBe(0);
  }, 60_000);
});

describe('export --format', () => {
  it('provisioned CloudFormation from a profile, with units from a capacity file', async () => {
    const capacity = join(dir, 'capacity.json');
    const profile = unitProfile(ticketing);
    for (const p of Object.values(profile.patterns)) delete (p as { readUnitsPerCall?: number }).readUnitsPerCall;
    writeFileSync(capacity, JSON.stringify({ model: 'ticketing', patterns: ticketing.catalog.map((p) => ({ pattern: p.name, readUnitsPerCall: 1, writeUnitsPerCall: 1 })) }));
    const template = parse(await renderExport(ticketing, options({ tableName: 'tickets', profile, capacity: readCapacityFile(capacity) }))) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    expect(template.Resources.Table?.Properties.BillingMode).toBe('PROVISIONED');
    expect(Object.values(template.Resources).filter((r) => r.Type === 'AWS::ApplicationAutoScaling::ScalableTarget')).toHaveLength(6);
  });

  it('refuses a capacity file without units, naming the field', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ patterns: [{ pattern: 'getTenant' }] }));
    expect(() => readCapacityFile(bad)).toThrow('patterns[0]: needs pattern, readUnitsPerCall and writeUnitsPerCall');
  });

  it('a Workbench model with sample data seeded on DynamoDB Local, read back by import-workbench', async () => {
    const text = await renderExport(ticketing, options({ format: 'workbench', size: 3 }));
    expect(validateWorkbenchModel(JSON.parse(text))).toEqual([]);
    const file = join(dir, 'ticketing-workbench.json');
    writeFileSync(file, text);
    expect(runImportWorkbench(file, true)).toBe(0);
    const report = JSON.parse(out.join('')) as { tables: { facets: { name: string; items: number }[] }[] };
    expect(report.tables[0]?.facets.map((f) => [f.name, f.items])).toEqual([['tenant', 3], ['ticket', 3], ['comment', 2]]);
  }, 60_000);
});
