/**
 * The allow-list: every difference between the engine and dynalite that is known, decided by AWS's
 * documentation and explained in docs/engine-fidelity.md (one row per id). A difference that no
 * entry matches fails the differential test. Keep it small: an entry covers one behaviour, and
 * its matcher is as narrow as the behaviour.
 *
 * Left side: dynalite. Right side: the engine.
 */
import type { Difference } from './runner';
import type { Json } from './wire';

export interface KnownDifference {
  /** The row id in docs/engine-fidelity.md. */
  id: string;
  /** One line: what differs. */
  summary: string;
  matches(d: Difference): boolean;
}

const obj = (v: Json | undefined): Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? v : {};

/** The request (or the page-all request) of a difference, as an object. */
export function requestOf(d: Difference): Record<string, Json> {
  const r = obj(d.request);
  return 'pageAll' in r ? obj(r.pageAll) : r;
}

export const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    id: 'KD-1',
    summary: 'ReturnValuesOnConditionCheckFailure: ALL_OLD: the engine returns the item in the ConditionalCheckFailedException, dynalite ignores the parameter',
    matches: (d) => d.aspect === 'body' && d.left.type === 'ConditionalCheckFailedException' &&
      requestOf(d).ReturnValuesOnConditionCheckFailure === 'ALL_OLD' &&
      obj(d.left.body).Item === undefined && obj(d.right.body).Item !== undefined,
  },
];

/** The differences no known entry explains. */
export function unexplained(differences: Difference[], known: KnownDifference[] = KNOWN_DIFFERENCES): Difference[] {
  return differences.filter((d) => !known.some((k) => k.matches(d)));
}

/** Which known entries matched at least once (an entry that never matches is stale). */
export function matchedIds(differences: Difference[], known: KnownDifference[] = KNOWN_DIFFERENCES): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of differences) {
    const k = known.find((x) => x.matches(d));
    if (k) counts.set(k.id, (counts.get(k.id) ?? 0) + 1);
  }
  return counts;
}
