export { batchWriteAll } from './batch-write-all';
export type { BatchWriteOptions, WriteRequest } from './batch-write-all';
export { batchGetAll } from './batch-get-all';
export { BatchIncompleteError, backoffDelay } from './backoff';
export type { BackoffOptions } from './backoff';
