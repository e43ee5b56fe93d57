/**
 * Starts the engine's HTTP server on 127.0.0.1 and prints its endpoint:
 *   npx jiti scripts/serve-engine.ts [port]
 * Then e.g. DYNAMODB_ENDPOINT=http://127.0.0.1:PORT npx jest test/access-patterns
 */
import { startEngineServer } from '../src/engine';

async function main(): Promise<void> {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 0);
  const started = process.hrtime.bigint();
  const server = await startEngineServer({ port });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  process.stdout.write(`${server.endpoint}\n`);
  process.stderr.write(`engine listening on ${server.endpoint} (started in ${ms.toFixed(1)} ms)\n`);
  const stop = () => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

void main().catch((e: unknown) => {
  process.stderr.write(String(e instanceof Error ? e.stack : e) + '\n');
  process.exit(1);
});
