import { resolve } from 'node:path';
import { openEngineFile, startEngineServer, type EngineServer } from '../engine';

export interface ServeOptions {
  port: number;
  /** A file to keep the tables in; in memory when absent. */
  path?: string;
}

/**
 * `serve`: the embedded engine over HTTP on 127.0.0.1 until SIGINT/SIGTERM. Prints the endpoint
 * once it answers (the one line on stdout, so scripts can read it), everything else on stderr.
 */
export async function runServe(options: ServeOptions): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const file = options.path
    ? openEngineFile(resolve(options.path), { onSaveError: (error) => log(`could not save ${options.path}: ${(error as Error).message}`) })
    : undefined;
  let server: EngineServer;
  try {
    server = await startEngineServer({ port: options.port, ...(file ? { engine: file.engine } : {}) });
  } catch (error) {
    await file?.close();
    throw error;
  }
  if (file) log(`Loaded ${file.loaded.tables} table(s) and ${file.loaded.items} item(s) from ${file.path}; changes are saved there.`);
  else log('In memory: the tables are gone when this process ends (--path FILE keeps them).');
  log('Set DYNAMODB_ENDPOINT to the endpoint below; Ctrl-C stops.');
  process.stdout.write(`${server.endpoint}\n`);
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await file?.close();
  if (!file) await server.engine.close();
  return 0;
}
