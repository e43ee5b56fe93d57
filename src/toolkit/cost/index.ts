export { US_EAST_1_STANDARD, applyPriceOverride, loadPrices, PriceFileError, type PriceTable, type DaxPrices, type StreamsPrices } from './prices';
export {
  streamDrivenRates,
  eventsOfPattern,
  StreamRateError,
  RECORDS_PER_GET_RECORDS,
  type StreamDrivenRate,
  type StreamReadCost,
  type StreamReader,
  type StreamWorkModel,
  type HandledEvents,
} from './stream-work';
export { readUnits, queryReadUnits, writeUnits, itemWriteUnits, type ReadConsistency, type ItemImage } from './unit-rules';
export { parseTrafficProfile, readTrafficProfile, peakRates, trafficProfileSchema, TrafficProfileError, PROFILE_LIMITS, type TrafficProfile, type PatternTraffic } from './traffic-profile';
export {
  estimateCost,
  storageCost,
  UnknownPatternError,
  CostOverflowError,
  HOURS_PER_MONTH,
  ITEM_OVERHEAD_BYTES,
  type CostReport,
  type CostOptions,
  type MonthlyCost,
  type PatternCost,
  type PatternUnits,
  type StorageCost,
} from './cost-model';
