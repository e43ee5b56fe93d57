import { catalogOperations, modelTable, provisionedPlan, withProvisionedPlan, type InfrastructureOptions, type Model, type TableDefinition, type TrafficProfile } from '../../src/toolkit';
import { referenceModel } from '../../src/reference';
import { ticketingModel } from '../fixtures/ticketing-model';

/** The two models every export is checked on: ours, and one with other key names and a sparse INCLUDE index. */
export const MODELS: [string, Model][] = [
  ['reference', referenceModel as unknown as Model],
  ['ticketing', ticketingModel as unknown as Model],
];

/** A profile with units given (no measuring): every pattern 10 req/s, 40 at a 4-hour peak. */
export function unitProfile(model: Model): TrafficProfile {
  return {
    targetUtilization: 0.7,
    patterns: Object.fromEntries(
      model.catalog.map((p) => [p.name, { requestsPerSecond: 10, peakRequestsPerSecond: 40, peakHoursPerDay: 4, readUnitsPerCall: p.kind === 'read' ? 1 : 0.5, writeUnitsPerCall: p.kind === 'write' ? 2 : 0 }]),
    ),
  };
}

export interface Variant {
  label: string;
  definition: TableDefinition;
  options: InfrastructureOptions;
}

/** On-demand, and provisioned with auto-scaling from unitProfile, for a model. */
export function variants(model: Model, tableName: string): Variant[] {
  const base = modelTable(model, tableName);
  const plan = provisionedPlan(base, unitProfile(model), []);
  const common = { operations: catalogOperations(model.catalog), tags: { application: tableName, team: 'platform' } };
  return [
    { label: 'on-demand', definition: base, options: common },
    { label: 'provisioned', definition: withProvisionedPlan(base, plan), options: { ...common, plan, alarmTopicArn: 'arn:aws:sns:us-east-1:123456789012:oncall' } },
  ];
}
