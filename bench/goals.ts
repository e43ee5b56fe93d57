/** The goals of issue 12, per call, p50, on the benchmark machine. */
export const GOALS = {
  /** End to end, service / hand-written p50, every read pattern. */
  endToEndRatio: 1.05,
  /** In process, µs added over hand-written per GetItem. */
  addedGetUs: 20,
  /** In process, µs added over hand-written per (25-item) Query page. */
  addedQueryUs: 40,
  /** Added time of the best peer / added time of the kit, every pattern with peers. */
  peerFactor: 2,
  scaleRatio: 1.2,
  bulkRatio: 0.9,
} as const;

/** Goal per request: GetItem-based calls, or Query pages. */
export const addedGoalUs = (shape: 'get' | 'query'): number => (shape === 'get' ? GOALS.addedGetUs : GOALS.addedQueryUs);

/** The engine's goals (issue 18), judged in one run of the engine section. */
export const ENGINE_GOALS = {
  /** DynamoDB Local's published p50 / the engine's p50, in process, GetItem and 25-item Query. */
  referenceFactor: 20,
  /** createEngine() or startEngineServer until the first answer, p99, ms. */
  startMs: 50,
  /** Query of one partition: 1,000,000-item table p50 / 1,000-item table p50 ("as fast"). */
  scaleRatio: 1.2,
  /** 1,000,000 items of 1 KB held in under 2 GiB. */
  memoryBytes: 2 * 2 ** 30,
} as const;

/** The goals of the streams and migration issues (21, 20), judged in sections 6 and 7. */
export const CHANGE_GOALS = {
  /** migrate run under --max-wcu: the largest spend over any 10 s window, over the budget. */
  budgetOvershoot: 0.05,
} as const;
