/*
 * Capacity units as DynamoDB charges them. One implementation, the engine's: the reports computed
 * here and the ConsumedCapacity the embedded engine answers cannot drift apart.
 */
export { readUnits, queryReadUnits, writeUnits, itemWriteUnits } from '../../engine';
export type { ReadConsistency, ItemImage } from '../../engine';
