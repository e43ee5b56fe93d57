import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { FULL, QUICK, runBenchmarks } from './benchmarks';
import { resultsMarkdown, ratiosSvg, GOALS, addedGoal, goalRows, peerFactor } from './report';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'boolean', default: false }, out: { type: 'string' } } });
  const quick = values.quick ?? false;
  // A quick run must not overwrite the published results unless asked to.
  const out = values.out ? resolve(values.out) : quick ? mkdtempSync(join(tmpdir(), 'stk-bench-')) : resolve(__dirname, '..', '..');
  const command = `npm run bench${quick ? ' -- --quick' : ''}`;
  const results = await runBenchmarks({ ...(quick ? QUICK : FULL), endpoint: process.env.DYNAMODB_ENDPOINT, hookCheck: 'assert' });
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(out, 'ratios.svg'), ratiosSvg(results));
  writeFileSync(join(out, 'RESULTS.md'), resultsMarkdown(results, command));
  if (values.json) {
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } else {
    const lines = [
      ...results.endToEnd.map((r, i) => {
        const ip = results.inProcess[i]!;
        const sc = results.scale.find((s) => s.pattern === r.pattern);
        const factor = peerFactor(ip);
        const peers = ip.peers.map((p) => `${p.name} +${Math.round(p.addedUs)}`).join(', ');
        return `${r.pattern.padEnd(27)} items ${r.itemsPerRequest.join('+').padStart(5)}  e2e ${r.ratio.toFixed(2)} (A/A ${r.control.toFixed(2)})  added ${Math.round(ip.addedUs).toString().padStart(4)} µs, ${Math.round(ip.addedPerRequestUs)} per request (≤${addedGoal(ip.shape)})${factor !== undefined ? `  peers: ${peers} (${Number.isFinite(factor) ? factor.toFixed(1) : '∞'}×)` : ''}${sc ? `  large/small ${sc.ratio.toFixed(2)}  Scan ${Math.round(sc.scanOverPattern)}×` : ''}`;
      }),
      ...goalRows(results).map((g) => `goal ${g.goal} ${g.target}: ${g.met ? 'met' : 'MISSED'} (${g.measured})`),
      `async hooks in force: ${results.meta.hooks.start.enabled} at start, ${results.meta.hooks.end.enabled} at end (${results.meta.hooks.start.method})`,
      `bulk load: best concurrency ${results.bulk.best.concurrency}, ${Math.round(results.bulk.best.projectItemsPerSecond)} items/s; project/plain ${results.bulk.rows.map((r) => r.ratio.toFixed(2)).join(' ')} (goal ≥ ${GOALS.bulkRatio})`,
      `written: ${join(out, 'RESULTS.md')}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
