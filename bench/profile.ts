import { Session, type Profiler } from 'node:inspector';

export interface ProfileSummary {
  pattern: string;
  calls: number;
  /** Share of sampled time by where the code lives. */
  byArea: { area: string; share: number }[];
  /** Functions with the most self time. */
  topFunctions: { fn: string; area: string; share: number }[];
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))));
}

/** Where a function's code lives: our layer, ElectroDB, the AWS SDK, Node, or the VM itself. */
function areaOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : 'V8 / native';
  if (url.includes('node_modules/electrodb')) return 'ElectroDB';
  if (/node_modules\/(@aws-sdk|@smithy|@aws-crypto)/.test(url)) return 'AWS SDK';
  if (url.includes('node_modules/zod')) return 'zod (validation)';
  if (url.includes('node_modules/ulid')) return 'ulid';
  if (url.includes('/src/')) return 'single-table-kit';
  if (url.includes('/bench/')) return 'benchmark loop';
  if (url.startsWith('node:')) return 'Node.js';
  return 'other';
}

/** A CPU profile of `calls` sequential calls of fn (sampling every 100 µs), summarized. */
export async function profileCalls(pattern: string, calls: number, fn: (i: number) => Promise<unknown>): Promise<ProfileSummary> {
  const session = new Session();
  session.connect();
  try {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: 100 });
    await post(session, 'Profiler.start');
    for (let i = 0; i < calls; i += 1) await fn(i);
    const { profile } = await post<{ profile: Profiler.Profile }>(session, 'Profiler.stop');
    const counts = new Map<number, number>();
    for (const id of profile.samples ?? []) counts.set(id, (counts.get(id) ?? 0) + 1);
    const total = (profile.samples ?? []).length || 1;
    const byArea = new Map<string, number>();
    const byFn = new Map<string, { fn: string; area: string; n: number }>();
    for (const node of profile.nodes) {
      const n = counts.get(node.id) ?? 0;
      if (n === 0) continue;
      const { functionName, url, lineNumber } = node.callFrame;
      const name = functionName || '(anonymous)';
      const area = areaOf(url, name);
      byArea.set(area, (byArea.get(area) ?? 0) + n);
      const file = url ? url.replace(/^.*node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/') : '';
      const key = `${name} ${file}:${lineNumber + 1}`;
      const slot = byFn.get(key) ?? { fn: file ? `${name} (${file}:${lineNumber + 1})` : name, area, n: 0 };
      slot.n += n;
      byFn.set(key, slot);
    }
    return {
      pattern,
      calls,
      byArea: [...byArea].map(([area, n]) => ({ area, share: n / total })).sort((a, b) => b.share - a.share),
      topFunctions: [...byFn.values()].sort((a, b) => b.n - a.n).slice(0, 12).map((f) => ({ fn: f.fn, area: f.area, share: f.n / total })),
    };
  } finally {
    await post(session, 'Profiler.disable').catch(() => undefined);
    session.disconnect();
  }
}
