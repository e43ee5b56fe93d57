import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Names the access pattern a request belongs to, so middleware (recorder, metrics) can label
 * requests without the caller threading a name through every call.
 */
const storage = new AsyncLocalStorage<string>();

export function runInPattern<T>(pattern: string, fn: () => T): T {
  return storage.run(pattern, fn);
}

export function currentPattern(): string | undefined {
  return storage.getStore();
}
