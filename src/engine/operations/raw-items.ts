/**
 * A page's items kept as the JSON text they are stored as, until someone reads them: the wire
 * answer splices the text into the response body, so a Query or Scan page that needs no filter
 * or projection is neither parsed nor serialized again (two thirds of the engine's own work on a
 * 25-item page). Whoever reads `Items` (PartiQL, the persistence file, handleSync's callers) gets
 * parsed items, as from any other answer; once read or replaced, the text is dropped.
 */
import type { Item } from '../types';

const RAW = Symbol('stored item JSON');

/** Makes `out.Items` a plain property holding `value` and drops the stored text. */
function settle(out: Record<string | symbol, unknown>, value: unknown): void {
  Object.defineProperty(out, 'Items', { value, enumerable: true, writable: true, configurable: true });
  delete out[RAW];
}

/** Defines `out.Items` from stored JSON texts, parsed on first read. */
export function setRawItems(out: Record<string, unknown>, jsons: string[]): void {
  Object.defineProperty(out, RAW, { value: jsons, enumerable: false, configurable: true });
  Object.defineProperty(out, 'Items', {
    enumerable: true,
    configurable: true,
    get: () => {
      const items = jsons.map((j) => JSON.parse(j) as Item);
      settle(out, items);
      return items;
    },
    set: (value: unknown) => settle(out, value),
  });
}

/**
 * The JSON text of `out` with its items spliced in unparsed, or undefined when `out` holds no
 * stored text (never had it, or its Items were read, and so perhaps changed in place, or
 * replaced): then JSON.stringify(out) is the answer. The same text either way.
 */
export function rawItemsJson(out: unknown): string | undefined {
  if (typeof out !== 'object' || out === null) return undefined;
  const jsons = (out as { [RAW]?: string[] })[RAW];
  if (!jsons) return undefined;
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(Object.getOwnPropertyDescriptors(out))) if (k !== 'Items' && v.enumerable) rest[k] = v.value;
  const tail = JSON.stringify(rest);
  return `{"Items":[${jsons.join(',')}]${tail === '{}' ? '}' : `,${tail.slice(1)}`}`;
}
