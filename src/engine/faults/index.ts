export {
  Faults,
  DEFAULT_TTL_DELAY_MS,
  TRANSACTION_CONFLICT_MESSAGE,
  cancellationReason,
  transactionCanceled,
  type FaultOptions,
  type FaultSettings,
  type FaultCounters,
  type ItemRef,
  type TransactionConflictOptions,
  type UnprocessedOptions,
} from './faults';
export {
  ThroughputThrottle,
  PARTITION_READ_UNITS_PER_SECOND,
  PARTITION_WRITE_UNITS_PER_SECOND,
  BURST_SECONDS,
  type ThrottlingOptions,
  type ThroughputCharge,
  type ThroughputTable,
} from './throughput';
export { itemKeyId, valueId } from './keys';
export { FaultRunner } from './runner';

import type { StorageFaults } from '../storage/storage-faults';
import type { TableState } from '../storage/table';
import { Faults, type FaultOptions } from './faults';
import { FaultRunner } from './runner';
import type { ChangeLike } from './requests';

/**
 * Creates engine.faults and the runner the dispatcher sends every DynamoDB operation through:
 * `runner.run(operationName, body, (b) => operation(core, b))`.
 */
export function attachFaults(
  engine: { onChange(listener: (event: ChangeLike) => void): () => void },
  host: { clock: () => number; seed: number; tables: ReadonlyMap<string, TableState>; storage: StorageFaults },
  options?: FaultOptions,
): { faults: Faults; runner: FaultRunner } {
  const faults = new Faults({ clock: host.clock, seed: host.seed, storage: host.storage, ...(options ? { options } : {}) });
  const runner = new FaultRunner(faults, host.tables);
  engine.onChange((e) => runner.observe(e));
  return { faults, runner };
}
