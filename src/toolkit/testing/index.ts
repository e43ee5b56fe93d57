/*
 * single-table-kit/testing: prove a model's access patterns on a real DynamoDB (embedded
 * engine) from jest or any test runner.
 */
export { globalSetup, globalTeardown, testClient } from './local-endpoint';
export { createModelFixture, untestedPatterns, patternsWithoutTests, collectPages, PatternAssertionError } from './model-fixture';
export type { ModelFixture, ModelFixtureOptions } from './model-fixture';
export { FaultInjector } from '../faults';
export type { FaultKind, FaultRule, InjectedFault } from '../faults';
