import { Session, type Profiler } from 'node:inspector';

/** Sampled self time per call, by function and by where the code lives. */
export interface CallProfile {
  calls: number;
  usPerCall: number;
  byArea: Map<string, number>;
  byFunction: Map<string, { fn: string; area: string; us: number }>;
}

export interface ProfileSummary {
  pattern: string;
  calls: number;
  serviceUsPerCall: number;
  handUsPerCall: number;
  /** µs per call by area, service and hand-written side by side: the difference is what our layer adds. */
  byArea: { area: string; serviceUs: number; handUs: number; addedUs: number }[];
  /** Functions whose self time grows most from the hand-written call to the service call. */
  topAdded: { fn: string; area: string; addedUs: number }[];
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
  if (url.includes('/src/')) return 'single-table-kit';
  if (url.includes('/bench/')) return 'benchmark loop';
  if (url.startsWith('node:')) return 'Node.js';
  return 'other';
}

/** A CPU profile (sampling every 50 µs) of `calls` sequential calls of fn. */
export async function profileCalls(calls: number, fn: (i: number) => Promise<unknown>): Promise<CallProfile> {
  const session = new Session();
  session.connect();
  try {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: 50 });
    await post(session, 'Profiler.start');
    for (let i = 0; i < calls; i += 1) await fn(i);
    const { profile } = await post<{ profile: Profiler.Profile }>(session, 'Profiler.stop');
    const samples = profile.samples ?? [];
    const counts = new Map<number, number>();
    for (const id of samples) counts.set(id, (counts.get(id) ?? 0) + 1);
    const usPerSample = (profile.endTime - profile.startTime) / (samples.length || 1);
    const byArea = new Map<string, number>();
    const byFunction = new Map<string, { fn: string; area: string; us: number }>();
    for (const node of profile.nodes) {
      const n = counts.get(node.id) ?? 0;
      if (n === 0) continue;
      const us = (n * usPerSample) / calls;
      const { functionName, url, lineNumber } = node.callFrame;
      const name = functionName || '(anonymous)';
      const area = areaOf(url, name);
      byArea.set(area, (byArea.get(area) ?? 0) + us);
      const file = url ? url.replace(/^.*node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/') : '';
      const fn = file ? `${name} (${file}:${lineNumber + 1})` : name;
      const slot = byFunction.get(fn) ?? { fn, area, us: 0 };
      slot.us += us;
      byFunction.set(fn, slot);
    }
    return { calls, usPerCall: (profile.endTime - profile.startTime) / calls, byArea, byFunction };
  } finally {
    await post(session, 'Profiler.disable').catch(() => undefined);
    session.disconnect();
  }
}

/** Service against hand-written profile: where the added time goes. */
export function compareProfiles(pattern: string, service: CallProfile, hand: CallProfile): ProfileSummary {
  const areas = new Set([...service.byArea.keys(), ...hand.byArea.keys()]);
  const byArea = [...areas]
    .map((area) => {
      const serviceUs = service.byArea.get(area) ?? 0;
      const handUs = hand.byArea.get(area) ?? 0;
      return { area, serviceUs, handUs, addedUs: serviceUs - handUs };
    })
    .filter((a) => a.area !== '(idle)' && a.area !== '(program)')
    .sort((a, b) => b.addedUs - a.addedUs);
  const fns = new Set([...service.byFunction.keys(), ...hand.byFunction.keys()]);
  const topAdded = [...fns]
    .map((fn) => {
      const s = service.byFunction.get(fn);
      const h = hand.byFunction.get(fn);
      return { fn, area: (s ?? h)!.area, addedUs: (s?.us ?? 0) - (h?.us ?? 0) };
    })
    .sort((a, b) => b.addedUs - a.addedUs)
    .slice(0, 12);
  return { pattern, calls: service.calls, serviceUsPerCall: service.usPerCall, handUsPerCall: hand.usPerCall, byArea, topAdded };
}
