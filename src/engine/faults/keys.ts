/**
 * Identity of an item key and of a partition key value, independent of attribute order and of how
 * a number is spelled ("1", "1.0" and "10E-1" are one key), for the fault modes' bookkeeping.
 */
import type { AttributeValue, Item, ScalarAttributeType } from '../types';
import { canonical } from '../storage/keys';

const SCALAR_TYPES: readonly ScalarAttributeType[] = ['S', 'N', 'B'];

/** Canonical string of one key value (S, N or B); other types get their JSON (never a key, but never a crash). */
export function valueId(value: AttributeValue): string {
  for (const t of SCALAR_TYPES) {
    const v = (value as Record<string, unknown>)[t];
    if (typeof v === 'string') return t + ':' + canonical(v, t);
  }
  return 'J:' + JSON.stringify(value);
}

/** Canonical string of an item key (or of a whole item's given attributes) within a table. */
export function itemKeyId(tableName: string, key: Item): string {
  const names = Object.keys(key).sort();
  let out = tableName;
  for (const n of names) out += '\u0000' + n + '\u0000' + valueId(key[n] as AttributeValue);
  return out;
}
