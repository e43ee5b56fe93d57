/**
 * Runs one access pattern once: `prepare` does the unmeasured set-up (e.g. a fresh user to delete)
 * and returns the call to measure. Generic: demo tables, capacity measurement and benchmarks take
 * any model's runners.
 */
export type PatternRunner = (iteration: number) => Promise<() => Promise<unknown>>;

export type PatternRunners<Name extends string = string> = Record<Name, PatternRunner>;

/** Maps items with at most `concurrency` calls in flight; results keep the input order. */
export async function mapWithConcurrency<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<R>,
  onDone?: (done: number) => void,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) {
      results[i] = await fn(items[i] as T, i);
      done += 1;
      onDone?.(done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
