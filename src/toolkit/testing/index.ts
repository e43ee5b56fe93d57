/*
 * single-table-kit/testing: prove a model's access patterns on a real DynamoDB (embedded
 * engine) from jest or any test runner.
 */
export { globalSetup, globalTeardown, testClient } from './local-endpoint';
export { createModelFixture, untestedPatterns, patternsWithoutTests, collectPages, PatternAssertionError } from './model-fixture';
export type { ModelFixture, ModelFixtureOptions } from './model-fixture';
export { FaultInjector } from '../faults';
export type { FaultKind, FaultRule, InjectedFault } from '../faults';
// A DAX cluster simulated around any client (its two caches, TTLs on a test clock), for daxClient()
export { simulateDax, DEFAULT_DAX_TTL_MS } from '../dax';
export type { SimulatedDax, SimulatedDaxOptions, DaxCacheStats } from '../dax';
// Stream consumers run locally with the semantics of Lambda's event source mapping
export { startStreamConsumer, StreamDrainTimeout, HandlerTimeoutError } from '../streams/local-consumer';
export type { LocalConsumerOptions, LocalStreamConsumer, ConsumerStats, HandlerStats, DiscardedRecords } from '../streams/local-consumer';
export { engineStreamSource, streamsApiSource } from '../streams/stream-source';
export type { StreamSource, SourceRecord, SourcePosition, StreamsApiClient } from '../streams/stream-source';
export { StreamInvocationCrash } from '../streams/lambda-handler';
