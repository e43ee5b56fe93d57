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
