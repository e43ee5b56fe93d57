import { parse } from 'yaml';
import { cloudFormationTemplate, modelTable, provisionedPlan, renderCloudFormation, type CloudFormationTemplate } from '../../src/toolkit';
import { useCloudFormationChecker } from './cloudformation-fixtures';
import { MODELS, variants } from './export-fixtures';

// Both checkers hold compiled rules off-heap: built once (about 25 s together), freed at the end.
const findings = useCloudFormationChecker('stk-cfn-');

describe.each(MODELS)('CloudFormation export of the %s model', (name, model) => {
  for (const v of variants(model, `${name}-table`)) {
    describe(v.label, () => {
      const template = cloudFormationTemplate(v.definition, v.options);
      const table = template.Resources.Table?.Properties as Record<string, unknown>;

      it('passes cfn-lint rules and resource schemas with no error and no warning, as YAML and as JSON', () => {
        expect(findings(renderCloudFormation(template, 'yaml'), `${name}-${v.label}.yaml`)).toEqual([]);
        expect(findings(renderCloudFormation(template, 'json'), `${name}-${v.label}.json`)).toEqual([]);
        expect(parse(renderCloudFormation(template, 'yaml'))).toEqual(template);
      }, 120_000);

      it('declares the keys and GSIs the entities define, with projections, and the table settings', () => {
        const input = v.definition.input;
        expect(table.KeySchema).toEqual(input.KeySchema);
        expect(table.AttributeDefinitions).toEqual(input.AttributeDefinitions);
        const gsis = table.GlobalSecondaryIndexes as { IndexName: string; Projection: unknown; ProvisionedThroughput?: unknown }[];
        expect(gsis.map((g) => [g.IndexName, g.Projection])).toEqual((input.GlobalSecondaryIndexes ?? []).map((g) => [g.IndexName, g.Projection]));
        expect(table.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
        expect(table.DeletionProtectionEnabled).toBe(true);
        expect(table.SSESpecification).toEqual({ SSEEnabled: true });
        expect(table.StreamSpecification).toEqual({ StreamViewType: input.StreamSpecification?.StreamViewType });
        expect(table.TimeToLiveSpecification).toEqual(v.definition.ttlAttribute ? { AttributeName: v.definition.ttlAttribute, Enabled: true } : undefined);
        expect(table.Tags).toEqual([{ Key: 'application', Value: `${name}-table` }, { Key: 'team', Value: 'platform' }]);
        expect(template.Resources.Table?.DeletionPolicy).toBe('Retain');
      });

      it('alarms on throttling and system errors of every operation the catalog sends, and on capacity when provisioned', () => {
        const alarms = Object.entries(template.Resources).filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm');
        const throttled = alarms.find(([id]) => id === 'ThrottledRequestsAlarm')?.[1].Properties.Metrics as { MetricStat?: { Metric: { Dimensions: { Name: string; Value: unknown }[] } } }[];
        const operations = throttled.flatMap((m) => m.MetricStat?.Metric.Dimensions.filter((d) => d.Name === 'Operation').map((d) => d.Value) ?? []);
        expect(operations).toEqual(v.options.operations);
        expect(alarms.some(([id]) => id === 'SystemErrorsAlarm')).toBe(true);
        const indexes = 1 + (v.definition.input.GlobalSecondaryIndexes?.length ?? 0);
        expect(alarms.filter(([id]) => id.endsWith('CapacityAlarm'))).toHaveLength(v.label === 'provisioned' ? indexes * 2 : 0);
      });

      if (v.label === 'provisioned') {
        it('auto-scales the table and every GSI, read and write, between the plan\'s off-peak and peak capacity', () => {
          const targets = Object.values(template.Resources).filter((r) => r.Type === 'AWS::ApplicationAutoScaling::ScalableTarget');
          const policies = Object.values(template.Resources).filter((r) => r.Type === 'AWS::ApplicationAutoScaling::ScalingPolicy');
          const plan = v.options.plan;
          expect(targets).toHaveLength((plan?.indexes.length ?? 0) * 2);
          expect(policies).toHaveLength(targets.length);
          for (const p of plan?.indexes ?? []) {
            const read = targets.find((t) => t.Properties.ScalableDimension === `dynamodb:${p.index === 'table' ? 'table' : 'index'}:ReadCapacityUnits` && JSON.stringify(t.Properties.ResourceId).endsWith(p.index === 'table' ? '}"}' : `/index/${p.index}"}`));
            expect(read?.Properties).toMatchObject({ MinCapacity: p.read.min, MaxCapacity: p.read.max });
          }
          expect(policies.every((p) => (p.Properties.TargetTrackingScalingPolicyConfiguration as { TargetValue: number }).TargetValue === 70)).toBe(true);
        });
      }
    });
  }
});

describe('provisioned plan from the cost model', () => {
  it('sizes each index from peak and off-peak rates at the target utilization', () => {
    const [, model] = MODELS[1] as (typeof MODELS)[number];
    const definition = modelTable(model, 'plan-table');
    // One write pattern: 40 req/s for 4 h, 10 req/s average → off-peak 4 req/s; 2 WCU per call, 70%.
    const profile = { targetUtilization: 0.7, patterns: { createTenant: { requestsPerSecond: 10, peakRequestsPerSecond: 40, peakHoursPerDay: 4, readUnitsPerCall: 0, writeUnitsPerCall: 2 } } };
    const plan = provisionedPlan(definition, profile, []);
    const table = plan.indexes.find((p) => p.index === 'table');
    expect(table?.write).toEqual({ min: Math.ceil((4 * 2) / 0.7), max: Math.ceil((40 * 2) / 0.7) });
    expect(table?.read).toEqual({ min: 1, max: 1 });
    // Measured units split by index: a GSI gets only what was written to it.
    const split = provisionedPlan(definition, profile, [{ pattern: 'createTenant', readUnitsPerCall: 0, writeUnitsPerCall: 2, byIndex: { table: { readUnits: 0, writeUnits: 1 }, GSI1: { readUnits: 0, writeUnits: 1 } } }]);
    expect(split.indexes.map((p) => [p.index, p.write.max])).toEqual([['table', 58], ['GSI1', 58], ['GSI2', 1]]);
  });
});

describe('the check can fail', () => {
  it('rejects a template whose key is not a declared attribute and whose billing mode does not exist', () => {
    const [, model] = MODELS[0] as (typeof MODELS)[number];
    const template = cloudFormationTemplate(modelTable(model, 'broken-table'), { plan: undefined });
    const broken = JSON.parse(JSON.stringify(template)) as CloudFormationTemplate;
    const props = broken.Resources.Table?.Properties as Record<string, unknown>;
    props.BillingMode = 'FREE_TIER';
    props.AttributeDefinitions = (props.AttributeDefinitions as { AttributeName: string }[]).filter((a) => a.AttributeName !== 'pk');
    const problems = findings(renderCloudFormation(broken, 'yaml'), 'broken.yaml');
    expect(problems.some((p) => p.includes('FREE_TIER'))).toBe(true);
    expect(problems.length).toBeGreaterThanOrEqual(2);
  }, 120_000);
});

