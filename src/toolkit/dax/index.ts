export { daxClient, connectDax, DaxUnsupportedOperationError, DaxSdkMissingError, DAX_OPERATIONS } from './dax-client';
export type { DaxOperations, DaxOperation, DaxClientOptions, DaxClusterConfig, DaxConnection } from './dax-client';
export { simulateDax, DEFAULT_DAX_TTL_MS } from './simulated-dax';
export type { SimulatedDax, SimulatedDaxOptions, DaxCacheStats } from './simulated-dax';
export { daxServing, daxReadsOf, estimateDaxSavings, DaxPriceError, DEFAULT_DAX_HIT_RATIO, DEFAULT_DAX_CLUSTER } from './dax-report';
export type { DaxService, DaxRequestServing, DaxPatternServing, DaxPatternReads, DaxCluster, DaxCostOptions, DaxPatternSaving, DaxCostReport } from './dax-report';
