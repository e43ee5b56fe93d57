export { daxClient, connectDax, DaxUnsupportedOperationError, DaxSdkMissingError, DAX_OPERATIONS } from './dax-client';
export type { DaxOperations, DaxOperation, DaxClientOptions, DaxClusterConfig, DaxConnection } from './dax-client';
export { simulateDax, DEFAULT_DAX_TTL_MS } from './simulated-dax';
export type { SimulatedDax, SimulatedDaxOptions, DaxCacheStats } from './simulated-dax';
