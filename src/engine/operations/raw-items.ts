/**
 * A page's items kept as the JSON text they are stored as, until someone reads them: the wire
 * answer splices the text into the response body, so a Query or Scan page that needs no filter
 * or projection is neither parsed nor serialized again (two thirds of the engine's own work on a
 * 25-item page). Whoever reads `Items` (PartiQL, the persistence file, handleSync's callers) gets
 * parsed items, as from any other answer; once read or replaced, the text is no longer used.
 */
import type { Item } from '../types';

const RAW = Symbol('stored item JSON');

interface RawState {
  jsons: string[];
  parsed?: Item[];
  replaced: boolean;
}

/** Defines `out.Items` from stored JSON texts, parsed on first read. */
export function setRawItems(out: Record<string, unknown>, jsons: string[]): void {
  const state: RawState = { jsons, replaced: false };
  Object.defineProperty(out, RAW, { value: state, enumerable: false });
  Object.defineProperty(out, 'Items', {
    enumerable: true,
    configurable: true,
    get: () => (state.parsed ??= jsons.map((j) => JSON.parse(j) as Item)),
    set: (value: unknown) => {
      state.replaced = true;
      Object.defineProperty(out, 'Items', { value, enumerable: true, writable: true, configurable: true });
    },
  });
}

/**
 * The JSON text of `out` with its items spliced in unparsed, or undefined when `out` has no
 * untouched raw items (then JSON.stringify(out) is the answer). The same text either way.
 */
export function rawItemsJson(out: unknown): string | undefined {
  if (typeof out !== 'object' || out === null) return undefined;
  const state = (out as { [RAW]?: RawState })[RAW];
  // Items read (and so perhaps changed in place) or replaced: serialize what is there now.
  if (!state || state.replaced || state.parsed) return undefined;
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(Object.getOwnPropertyDescriptors(out))) if (k !== 'Items' && v.enumerable) rest[k] = v.value;
  const tail = JSON.stringify(rest);
  return `{"Items":[${state.jsons.join(',')}]${tail === '{}' ? '}' : `,${tail.slice(1)}`}`;
}
