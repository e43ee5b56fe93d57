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

function emptyProfile(): CallProfile {
  return { calls: 0, usPerCall: 0, byArea: new Map(), byFunction: new Map() };
}

/** Adds one sampled block of `calls` sequential calls of fn to `into` (totals in µs, divided at the end). */
async function sampleBlock(session: Session, calls: number, fn: (i: number) => Promise<unknown>, into: CallProfile): Promise<void> {
  await post(session, 'Profiler.start');
  for (let i = 0; i < calls; i += 1) await fn(i);
  const { profile } = await post<{ profile: Profiler.Profile }>(session, 'Profiler.stop');
  const samples = profile.samples ?? [];
  const counts = new Map<number, number>();
  for (const id of samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const usPerSample = (profile.endTime - profile.startTime) / (samples.length || 1);
  for (const node of profile.nodes) {
    const n = counts.get(node.id) ?? 0;
    if (n === 0) continue;
    const us = n * usPerSample;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = functionName || '(anonymous)';
    const area = areaOf(url, name);
    into.byArea.set(area, (into.byArea.get(area) ?? 0) + us);
    const file = url ? url.replace(/^.*node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/') : '';
    const key = file ? `${name} (${file}:${lineNumber + 1})` : name;
    const slot = into.byFunction.get(key) ?? { fn: key, area, us: 0 };
    slot.us += us;
    into.byFunction.set(key, slot);
  }
  into.calls += calls;
  into.usPerCall += profile.endTime - profile.startTime;
}

function perCall(p: CallProfile): CallProfile {
  const div = p.calls || 1;
  for (const [area, us] of p.byArea) p.byArea.set(area, us / div);
  for (const slot of p.byFunction.values()) slot.us /= div;
  p.usPerCall /= div;
  return p;
}

/**
 * CPU profiles (sampling every 50 µs) of `calls` calls of each side, taken in alternating blocks
 * (service, hand-written, service, ...) so that the machine's drift during the run lands on both
 * sides alike instead of showing up as time one side added.
 */
export async function profileSides(
  calls: number,
  service: (i: number) => Promise<unknown>,
  hand: (i: number) => Promise<unknown>,
  blocks = 6,
): Promise<{ service: CallProfile; hand: CallProfile }> {
  const session = new Session();
  session.connect();
  const out = { service: emptyProfile(), hand: emptyProfile() };
  try {
    await post(session, 'Profiler.enable');
    await post(session, 'Profiler.setSamplingInterval', { interval: 50 });
    const perBlock = Math.max(1, Math.ceil(calls / blocks));
    for (let b = 0; b < blocks; b += 1) {
      await sampleBlock(session, perBlock, service, out.service);
      await sampleBlock(session, perBlock, hand, out.hand);
    }
    return { service: perCall(out.service), hand: perCall(out.hand) };
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
