/** Document paths: resolved names and list indexes, e.g. a[3].b -> ['a', 3, 'b']. */
import type { AttributeValue, Item } from '../types';

export type Path = Array<string | number>;

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** The value at a path, or undefined when any step is missing or of the wrong type. */
export function getPath(item: Item | undefined, path: Path): AttributeValue | undefined {
  if (item === undefined || path.length === 0) return undefined;
  let current: AttributeValue | undefined = own(item, path[0] as string);
  for (let i = 1; i < path.length && current !== undefined; i++) {
    const step = path[i] as string | number;
    if (typeof step === 'number') current = 'L' in current ? current.L[step] : undefined;
    else current = 'M' in current ? own(current.M, step) : undefined;
  }
  return current;
}

/** DynamoDB's rendering of a path in messages: [a, [3], b]. */
export function pathStr(path: Path): string {
  return '[' + path.map((p) => (typeof p === 'number' ? '[' + p + ']' : p)).join(', ') + ']';
}

/** The overlap/conflict rule between two document paths of one expression (update or projection). */
export function pathClash(a: Path, b: Path): 'overlap' | 'conflict' | undefined {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (typeof a[i] !== typeof b[i]) return 'conflict';
    if (a[i] !== b[i]) return undefined;
  }
  return 'overlap';
}
