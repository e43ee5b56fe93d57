export { TtlSweeper, SERVICE_IDENTITY, FIVE_YEARS_MS, isExpired, ttlMillis, type SweepResult } from './sweeper';

import type { EngineCore } from '../engine';
import { TtlSweeper } from './sweeper';

/** Creates engine.ttl: the sweeper, its delay read from the fault settings at each sweep. */
export function attachTtl(core: EngineCore, delayMs: () => number): TtlSweeper {
  return new TtlSweeper(core, delayMs);
}
