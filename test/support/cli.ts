import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '..', '..');

/**
 * Runs the built CLI (dist/cli/main.js) as a user does, without blocking this process: under
 * `jest -i` the engine of the global setup is served from this very process, so a synchronous
 * spawn of a command that reaches DYNAMODB_ENDPOINT would wait on a server that can never answer.
 * Resolves with the exit status and output, whatever the status.
 */
export function runCli(args: readonly string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [join(root, 'dist', 'cli', 'main.js'), ...args],
      { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env } },
      (error, stdout, stderr) => done({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr }),
    );
  });
}
