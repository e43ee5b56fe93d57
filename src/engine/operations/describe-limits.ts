/** DescribeLimits: the default account quotas. */
import type { EngineCore } from '../engine';

export function describeLimits(core: EngineCore, body: unknown): unknown {
  void core;
  void body;
  return { AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000 };
}
