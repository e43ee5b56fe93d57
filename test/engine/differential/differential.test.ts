/**
 * Differential test: the engine against dynalite (Apache-2.0; its authors verified its answers,
 * limits and error texts against live DynamoDB), request by request, on raw JSON over HTTP.
 *
 * The corpus is generated with fast-check from a seed. Size and seed from the environment:
 *   ENGINE_DIFF_SEED (default 20261204), ENGINE_DIFF_SEQUENCES (default 40 sequences, one table
 *   each), ENGINE_DIFF_STEPS (default 30, the most steps a sequence has).
 * A difference fails the test unless test/engine/differential/known-differences.ts explains it,
 * and every entry there is a row of docs/engine-fidelity.md, decided by AWS's documentation.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { HAND_WRITTEN } from './cases';
import { generateCorpus } from './generators';
import { KNOWN_DIFFERENCES, missingRows } from './known-differences';
import { normaliseBody, observe, runSequences, type Difference, type RunResult, type Sequence } from './runner';
import { closeConnections, startDynalite, startEngine, type Target } from './wire';

const SEED = Number(process.env.ENGINE_DIFF_SEED ?? 20261204);
const SEQUENCES = Number(process.env.ENGINE_DIFF_SEQUENCES ?? 40);
const STEPS = Number(process.env.ENGINE_DIFF_STEPS ?? 30);

function show(d: Difference): string {
  const cut = (v: unknown): string => { const s = JSON.stringify(v); return s.length > 500 ? s.slice(0, 500) + '…' : s; };
  const what = d.aspect === 'body' ? d.detail.map((l) => `\n    ${l}`).join('') : `\n  dynalite: ${cut(d.left)}\n  engine:   ${cut(d.right)}`;
  return `${d.sequence} step ${d.step} ${d.op} [${d.aspect}]\n  request: ${cut(d.request)}${what}`;
}

function report(label: string, result: RunResult): void {
  const known = [...result.known].sort().map(([id, n]) => `${id}×${n}`).join(' ') || 'none';
  console.log(`${label}: ${result.requests} requests per run (each side), ${result.steps} steps; steps with known differences: ${known}; unexplained differences: ${result.differences.length}`);
  // dynalite's own crashes are its bugs, not the engine's: reported, and their sequence skipped.
  for (const c of result.crashes) console.log(`dynalite crashed on ${c.sequence} step ${c.step} ${c.op}: ${JSON.stringify(c.request).slice(0, 400)}`);
}

async function withTargets<T>(run: (left: Target, right: Target) => Promise<T>, second: () => Promise<Target | undefined>): Promise<T> {
  const left = await startDynalite();
  const right = await second();
  try {
    if (right === undefined) throw new Error('src/engine/index.ts does not export startEngineServer yet: nothing to compare dynalite with');
    return await run(left, right);
  } finally {
    await left.close();
    await right?.close();
  }
}

const corpus: Sequence[] = generateCorpus({ seed: SEED, sequences: SEQUENCES, maxSteps: STEPS });

afterAll(() => closeConnections());

describe('the harness', () => {
  test('two dynalites agree on the hand-written cases and on the corpus: what is normalised is what DynamoDB leaves undefined', async () => {
    const result = await withTargets((a, b) => runSequences(a, b, [...HAND_WRITTEN, ...corpus.slice(0, 10)]), () => startDynalite('dynalite-2'));
    expect(result.differences.map(show)).toEqual([]);
    expect(result.requests).toBeGreaterThan(300);
    // Two dynalites, hundreds of requests each: a few seconds alone, over a minute on a loaded machine.
  }, 240_000);

  test('normalisation keeps what DynamoDB defines: number text, item order of a Query, set members', () => {
    const item = (sk: string, n: string) => ({ pk: { S: 'p' }, sk: { S: sk }, n: { N: n }, s: { SS: ['b', 'a'] } });
    const a = normaliseBody('Query', { Items: [item('1', '1.5'), item('2', '2')], Count: 2 });
    const b = normaliseBody('Query', { Items: [item('2', '2'), item('1', '1.5')], Count: 2 });
    const c = normaliseBody('Query', { Items: [item('1', '1.50'), item('2', '2')], Count: 2 });
    const d = normaliseBody('Query', { Items: [{ ...item('1', '1.5'), s: { SS: ['a', 'b'] } }, item('2', '2')], Count: 2 });
    expect(JSON.stringify(a)).not.toEqual(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toEqual(JSON.stringify(c));
    expect(JSON.stringify(a)).toEqual(JSON.stringify(d));
    // A Scan's order is not defined; its content is.
    expect(JSON.stringify(normaliseBody('Scan', { Items: [item('1', '1'), item('2', '2')] })))
      .toEqual(JSON.stringify(normaliseBody('Scan', { Items: [item('2', '2'), item('1', '1')] })));
    // Errors are split into status, short type and message.
    expect(observe('GetItem', { status: 400, body: { __type: 'com.amazon.coral.validate#ValidationException', message: 'm' } }))
      .toEqual({ status: 400, type: 'ValidationException', message: 'm', body: {} });
  });

  test('every known difference is a row of docs/engine-fidelity.md', () => {
    const doc = readFileSync(resolve(__dirname, '..', '..', '..', 'docs', 'engine-fidelity.md'), 'utf8');
    expect(missingRows(doc)).toEqual([]);
    expect(new Set(KNOWN_DIFFERENCES.map((k) => k.id)).size).toBe(KNOWN_DIFFERENCES.length);
    expect(doc).toMatch(/requests per run/);
  });
});

describe('the engine against dynalite', () => {
  test('hand-written cases', async () => {
    const result = await withTargets((a, b) => runSequences(a, b, HAND_WRITTEN, KNOWN_DIFFERENCES), startEngine);
    report('hand-written cases', result);
    expect(result.differences.map(show)).toEqual([]);
  });

  test(`generated corpus (seed ${SEED}, ${SEQUENCES} sequences of up to ${STEPS} steps)`, async () => {
    const result = await withTargets((a, b) => runSequences(a, b, corpus, KNOWN_DIFFERENCES), startEngine);
    report(`generated corpus, seed ${SEED}`, result);
    expect(result.differences.map(show)).toEqual([]);
  });
});
