import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { globalSetup } from '../../src/toolkit/testing';

/**
 * The public jest global setup (one engine for the run, unless DYNAMODB_ENDPOINT names another), plus one build of dist/ for the
 * tests that run the package as its users do (CLI, exports): built here once, not per test file,
 * so two test files never write dist/ at the same time. The build is incremental (dist/.tsbuildinfo, left
 * out of the package): with sources unchanged since the last build it takes seconds, not half a minute.
 */
export default async function setup(): Promise<void> {
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: resolve(__dirname, '..', '..'), stdio: 'pipe' });
  await globalSetup();
}
