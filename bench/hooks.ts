import { executionAsyncId } from 'node:async_hooks';

/** Whether an async hook is in force in this process, and how that was established. */
export interface HookCheck {
  /** Hooks enabled (internals), or 1/0 from the promise probe. */
  enabled: number;
  method: 'internals' | 'promise probe';
}

interface Internals {
  getHookArrays(): [unknown[], ...unknown[]];
}

function internals(): Internals | undefined {
  try {
    // Only resolvable under `node --expose-internals` (npm run bench passes it).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('internal/async_hooks') as Internals;
  } catch {
    return undefined;
  }
}

/**
 * Counts the async hooks in force. Under --expose-internals it reads Node's own hook list; without
 * it (e.g. in jest) it probes promises: with no hook enabled, V8 assigns promise continuations no
 * async id, so executionAsyncId() after an await is 0; any enabled hook (an AsyncLocalStorage's
 * included, before Node 24) gives each continuation a fresh id.
 */
export async function asyncHooksInForce(): Promise<HookCheck> {
  const inner = internals();
  if (inner) return { enabled: inner.getHookArrays()[0].length, method: 'internals' };
  await null;
  const first = executionAsyncId();
  await null;
  const second = executionAsyncId();
  return { enabled: first === 0 && second === 0 ? 0 : 1, method: 'promise probe' };
}
