import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Runs one of the benchmark's child scripts (bench/<name>.ts) in a fresh Node process and returns
 * the JSON it prints on its last stdout line; its stderr (progress) goes to ours unless quiet.
 * Compiled (npm run bench) the child is the .js beside this file; under ts-jest it is the .ts,
 * loaded through jiti (slower to load: the numbers of such runs are not published).
 */
export function runChild<T>(name: string, args: readonly string[], options: { nodeFlags?: readonly string[]; quiet?: boolean } = {}): Promise<T> {
  const compiled = __filename.endsWith('.js');
  const script = join(__dirname, `${name}${compiled ? '.js' : '.ts'}`);
  const argv = compiled
    ? [...(options.nodeFlags ?? []), script, ...args]
    : [...(options.nodeFlags ?? []), '-e', `require('jiti')(${JSON.stringify(__filename)})(${JSON.stringify(script)})`, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', options.quiet ? 'pipe' : 'inherit'], env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err = (err + chunk).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0) return reject(new Error(`bench child ${name} ${args.join(' ')} exited with ${code ?? signal}${err ? `: ${err.trim()}` : ''}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`bench child ${name} printed no result: ${JSON.stringify(last.slice(0, 200))}`));
      }
    });
  });
}

/** The command-line arguments of a child script (node script.js ARGS, or node -e ... ARGS under jiti). */
export function childArgs(): string[] {
  return process.argv.slice(process.argv[1]?.endsWith('.js') ? 2 : 1);
}
