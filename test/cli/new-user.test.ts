import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { roundForOutput } from '../../src/cli/json-output';
import {
  CostOverflowError,
  estimateCost,
  modelTable,
  parseTrafficProfile,
  provisionedPlan,
  renderCloudFormation,
  cloudFormationTemplate,
  terraformConfig,
  withProvisionedPlan,
  type Model,
  type TrafficProfile,
} from '../../src/toolkit';
import { ticketingModel } from '../fixtures/ticketing-model';
import { runCli } from '../support/cli';

const root = resolve(__dirname, '..', '..');
const cli = runCli;
let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'stk-new-user-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('every command answers --help', () => {
  const COMMANDS = ['demo', 'docs', 'capacity', 'cost', 'hot-partitions', 'view', 'export', 'import-workbench', 'projections', 'init', 'snapshot', 'diff', 'migrate'];
  it.each(COMMANDS)('%s --help prints its usage and exits 0 (no DynamoDB, no model loaded)', async (command) => {
    for (const flag of ['--help', '-h']) {
      const run = await cli([command, flag]);
      expect({ flag, status: run.status, stderr: run.stderr }).toEqual({ flag, status: 0, stderr: '' });
      expect(run.stdout.startsWith(`single-table-kit ${command}`)).toBe(true);
    }
    expect((await cli(['help', command])).stdout).toBe((await cli([command, '--help'])).stdout);
  });

  it('help lists every command the --help test covers, and an unknown one is refused', async () => {
    const usage = (await cli(['help'])).stdout;
    for (const command of COMMANDS) expect(usage).toContain(`\n  ${command} `);
    const run = await cli(['help', 'nope']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('unknown command nope');
  });
});

describe('traffic profiles with numbers no month can hold', () => {
  const base = (p: Record<string, unknown>) => ({ patterns: { getTenant: { requestsPerSecond: 1, ...p } } });
  it.each([
    ['1e306 requests/s', { requestsPerSecond: 1e306 }, 'patterns.getTenant.requestsPerSecond'],
    ['Infinity', { requestsPerSecond: Infinity }, 'patterns.getTenant.requestsPerSecond'],
    ['NaN', { requestsPerSecond: NaN }, 'patterns.getTenant.requestsPerSecond'],
    ['a negative rate', { requestsPerSecond: -1 }, 'patterns.getTenant.requestsPerSecond'],
    ['a huge peak', { requestsPerSecond: 1e9, peakRequestsPerSecond: 1e300, peakHoursPerDay: 1 }, 'patterns.getTenant.peakRequestsPerSecond'],
    ['huge units per call', { readUnitsPerCall: 1e300, writeUnitsPerCall: 0 }, 'patterns.getTenant.readUnitsPerCall'],
  ])('%s is refused, naming the field', (_label, fields, field) => {
    expect(() => parseTrafficProfile(base(fields))).toThrow(`profile: ${field}: `);
  });

  it('a stored item count beyond the bound is refused too', () => {
    expect(() => parseTrafficProfile({ patterns: {}, storage: { items: { ticket: { count: 1e300, averageBytes: 100 } } } })).toThrow('storage.items.ticket.count');
  });

  it('the largest profile allowed stays finite in the cost report, the plan and every export; prices that overflow are refused', () => {
    const model = ticketingModel as unknown as Model;
    const profile = parseTrafficProfile({ patterns: Object.fromEntries(model.catalog.map((p) => [p.name, { requestsPerSecond: 1e9, readUnitsPerCall: 1e6, writeUnitsPerCall: 1e6 }])), storage: { items: { ticket: { count: 1e15, averageBytes: 409600, indexEntriesPerItem: 25 } } } });
    const report = estimateCost(profile, []);
    const numbers = JSON.stringify(report).match(/-?\d[\d.e+-]*|null/g) ?? [];
    expect(numbers).not.toContain('null');
    expect(Number.isFinite(report.totals.onDemand) && Number.isFinite(report.recommendation.monthlySavings)).toBe(true);
    // Capacity that many calls need is more than a whole number holds exactly: the plan is refused, naming where.
    const base = modelTable(model, 'huge');
    expect(() => provisionedPlan(base, profile, [])).toThrow(/^table: read capacity \d+ is not a whole number DynamoDB can take/);
    // A big but possible profile: every figure finite, in the plan and in every export.
    const big = parseTrafficProfile({ patterns: Object.fromEntries(model.catalog.map((p) => [p.name, { requestsPerSecond: 1e6, readUnitsPerCall: 100, writeUnitsPerCall: 100 }])) });
    const plan = provisionedPlan(base, big, []);
    for (const i of plan.indexes) for (const r of [i.read, i.write]) expect(Number.isSafeInteger(r.max) && Number.isSafeInteger(r.min)).toBe(true);
    const definition = withProvisionedPlan(base, plan);
    expect(terraformConfig(definition, { plan })).not.toMatch(/Infinity|NaN/);
    expect(renderCloudFormation(cloudFormationTemplate(definition, { plan }), 'json')).not.toMatch(/null|Infinity/);
    const prices = { ...report.prices, onDemand: { ...report.prices.onDemand, readRequestUnitsPerMillion: 1e300 } };
    expect(() => estimateCost(profile, [], { prices })).toThrow(CostOverflowError);
  });

  it('a hand-made plan with Infinity is never written: Terraform and CloudFormation refuse it', () => {
    const base = modelTable(ticketingModel as unknown as Model, 'inf');
    const plan = provisionedPlan(base, { patterns: { getTenant: { requestsPerSecond: 1, readUnitsPerCall: 1, writeUnitsPerCall: 0 } } }, []);
    const broken = { ...plan, indexes: plan.indexes.map((i) => ({ ...i, read: { min: 1, max: Infinity } })) };
    const definition = withProvisionedPlan(base, broken);
    expect(() => terraformConfig(definition, { plan: broken })).toThrow('Infinity is not a finite number');
    expect(() => renderCloudFormation(cloudFormationTemplate(definition, { plan: broken }), 'yaml')).toThrow('is not a finite number');
  });
});

describe('--json has no float noise', () => {
  it('dollars to the cent, other fractions to 6 significant digits, whole numbers unchanged; a non-finite number is an error', () => {
    const out = roundForOutput({ patterns: [{ readUnitsPerCall: 0.9999999999999999, writeUnitsPerCall: 2, share: 0.30000000000000004, monthly: { onDemand: 12.345678, provisioned: 0.1 + 0.2 } }], totals: { onDemand: 1234.5649999 }, recommendation: { monthlySavings: 10.005000001 }, prices: { readCapacityUnitHour: 0.00013 } });
    expect(out).toEqual({ patterns: [{ readUnitsPerCall: 1, writeUnitsPerCall: 2, share: 0.3, monthly: { onDemand: 12.35, provisioned: 0.3 } }], totals: { onDemand: 1234.56 }, recommendation: { monthlySavings: 10.01 }, prices: { readCapacityUnitHour: 0.00013 } });
    expect(() => roundForOutput({ a: [Infinity] })).toThrow('a.0: Infinity is not a finite number');
  });
});

describe("docs/reports.md's example profile works as documented", () => {
  it('cost --json on the documented profile (with a planned pattern given units per call) succeeds, and every number is rounded', async () => {
    const doc = readFileSync(join(root, 'docs', 'reports.md'), 'utf8');
    const example = /### The traffic profile\s+```json\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(example).toBeDefined();
    const profile = JSON.parse(example as string) as TrafficProfile;
    expect(profile.patterns.plannedPattern).toEqual({ requestsPerSecond: 5, readUnitsPerCall: 1, writeUnitsPerCall: 0 });
    const file = join(dir, 'profile.json');
    writeFileSync(file, example as string);
    const run = await cli(['cost', '--profile', file, '--size', '20', '--iterations', '1', '--json']);
    expect(run.stderr).not.toContain('no such access pattern');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { patterns: { pattern: string; readUnitsPerCall: number; monthly: { onDemand: number } }[] };
    expect(report.patterns.find((p) => p.pattern === 'plannedPattern')).toMatchObject({ readUnitsPerCall: 1, monthly: { onDemand: 1.64 } }); // 5/s × 730 h × $0.125 per million read units
    // No float noise: at most 6 significant digits anywhere (money has at most 2 decimals).
    for (const m of run.stdout.matchAll(/:\s(-?\d+\.\d+)(?:e[-+]?\d+)?[,\n]/g)) expect((m[1] as string).replace(/^-?0\.0*|[-.]/g, '').length).toBeLessThanOrEqual(6);
  }, 180_000);
});
