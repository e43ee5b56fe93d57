import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const root = resolve(__dirname, '..', '..');

/*
 * Using the kit must leave the rest of the process as fast as before: no async hook (an
 * AsyncLocalStorage's first run turns one on for the whole process on Node 20 and 22, and every
 * promise of the application pays for it from then on; Node 24's AsyncLocalStorage runs on
 * AsyncContextFrame instead, without a hook). A child process runs every access pattern of the
 * reference model through the built package and counts the enabled hooks with Node's internals;
 * then it enables an async hook itself, to show the count would see one on any Node.
 */
const script = `
const { getHookArrays } = require('internal/async_hooks');
const { createHook } = require('node:async_hooks');
const hooks = () => getHookArrays()[0].length;
const { openModelSession, measurePatterns } = require('./dist/toolkit');
const { referenceModel } = require('./dist/reference');
(async () => {
  const before = hooks();
  const session = await openModelSession(referenceModel);
  const seed = await referenceModel.seed(session.services, { size: 12 });
  const names = referenceModel.catalog.map((p) => p.name);
  const measured = await measurePatterns(names, referenceModel.runners(session.services, seed), session.recorder);
  const labelled = measured.every((m) => m.calls[0].requests.length > 0 && m.calls[0].requests.every((r) => r.pattern === m.pattern));
  await session.close();
  const after = hooks();
  createHook({ init() {} }).enable();
  console.log(JSON.stringify({ before, after, patterns: measured.length, labelled, control: hooks() }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('no process-wide hooks', () => {
  it('after every access pattern has run, no async hook is enabled, and every request was still labelled with its pattern', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-internals', '-e', script], { cwd: root, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
    const result = JSON.parse(stdout.trim().split('\n').pop() as string) as { before: number; after: number; patterns: number; labelled: boolean; control: number };
    expect(result.patterns).toBeGreaterThan(20);
    expect(result.labelled).toBe(true);
    expect(result).toMatchObject({ before: 0, after: 0 });
    // The measure can see a hook: one enabled in the same process is counted.
    expect(result.control).toBeGreaterThan(0);
  }, 120_000);
});
