/**
 * The stale-read fault for eventually consistent Query and Scan on a base table. "An eventually
 * consistent read might not reflect the results of a recently completed write" (AWS,
 * HowItWorks.ReadConsistency.html), for GetItem, BatchGetItem, Query and Scan alike.
 *
 * Which recently written items a read sees as their previous version is drawn once per request,
 * before the page is read, so a page never holds two versions of one item. A version keeps its
 * item's key, hence its position: an updated item is replaced in place, an item put within the
 * window is skipped (its previous version is no item), an item deleted within the window is put
 * back at its key. Limit, the 1 MB page, LastEvaluatedKey, Count and capacity are then computed by
 * the page reader on what this walk yields, as for any other page. Nothing here writes.
 */
import type { EngineCore } from '../engine';
import { compareEntry, type Entry } from '../storage/ordered-store';
import type { RecentVersion, TableState } from '../storage/table';

export type StaleChoices = Map<string, RecentVersion>;

/**
 * The versions one eventually consistent read of the table sees in place of the stored items
 * (keyed as keyString), or undefined when there are none. partitionId: only that partition (Query).
 */
export function staleChoices(core: EngineCore, table: TableState, consistent: boolean, partitionId?: string): StaleChoices | undefined {
  const stale = core.faults.staleReads;
  if (consistent || !stale || !table.recent.size) return undefined;
  const now = core.now();
  const probability = stale.probability ?? 1;
  const chosen: StaleChoices = new Map();
  for (const [ks, r] of table.recent) {
    if (partitionId !== undefined && r.id !== partitionId) continue;
    if (!(now - r.at < stale.windowMs)) continue;
    if (core.faults.random() < probability) chosen.set(ks, r);
  }
  return chosen.size ? chosen : undefined;
}

export interface GhostPartition {
  /** The partition key value (for the partition's scan position). */
  hash: string;
  /** Entries in key order. */
  entries: Entry[];
}

/** Items deleted within the window that the read sees again, by partition id. */
export function ghostEntries(table: TableState, chosen: StaleChoices): Map<string, GhostPartition> {
  const out = new Map<string, GhostPartition>();
  for (const r of chosen.values()) {
    if (r.json === undefined || table.store.get(r.id, r.k)) continue;
    let g = out.get(r.id);
    if (!g) out.set(r.id, (g = { hash: r.hash, entries: [] }));
    g.entries.push({ k: r.k, t: '', json: r.json, size: r.size });
  }
  for (const g of out.values()) g.entries.sort(compareEntry);
  return out;
}

/**
 * One partition's stored entries (in read order) with the chosen versions in place and its ghosts
 * (in the same order, already cut to the read's range) merged in at their keys.
 */
export function* staleWalk(partitionId: string, entries: Iterable<Entry>, ghosts: readonly Entry[], chosen: StaleChoices, forward: boolean): Generator<Entry> {
  const before = (a: Entry, b: Entry): boolean => (forward ? compareEntry(a, b) < 0 : compareEntry(a, b) > 0);
  let g = 0;
  for (const e of entries) {
    while (g < ghosts.length && before(ghosts[g] as Entry, e)) yield ghosts[g++] as Entry;
    const r = chosen.get(partitionId + '\u0000' + e.k);
    if (!r) yield e;
    else if (r.json !== undefined) yield { k: e.k, t: '', json: r.json, size: r.size };
  }
  while (g < ghosts.length) yield ghosts[g++] as Entry;
}
