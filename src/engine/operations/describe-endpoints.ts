/** DescribeEndpoints: this engine is its own endpoint. */
import type { EngineCore } from '../engine';

export function describeEndpoints(core: EngineCore, body: unknown): unknown {
  void body;
  return { Endpoints: [{ Address: `dynamodb.${core.region}.amazonaws.com`, CachePeriodInMinutes: 1440 }] };
}
