import type { DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { createEngine, engineRequestHandler, startEngineServer, type Engine, type EngineOptions } from '../../engine';
import { localClientConfig } from './client-config';

export interface EmbeddedDynamoOptions {
  /** TCP port on 127.0.0.1; a free one when absent. */
  port?: number;
  /** An engine to serve; a new in-memory one (with `engineOptions`) when absent. */
  engine?: Engine;
  engineOptions?: EngineOptions;
}

/** The embedded engine served over HTTP on 127.0.0.1 (for child processes and other clients). */
export interface EmbeddedDynamo {
  endpoint: string;
  port: number;
  engine: Engine;
  stop(): Promise<void>;
}

/**
 * Starts single-table-kit's own DynamoDB engine (single-table-kit/engine) on 127.0.0.1 and
 * resolves once it listens: no Java, no download, milliseconds.
 */
export async function startEmbeddedDynamo(options: EmbeddedDynamoOptions = {}): Promise<EmbeddedDynamo> {
  const engine = options.engine ?? createEngine(options.engineOptions);
  const server = await startEngineServer({ engine, port: options.port ?? 0 });
  return {
    endpoint: server.endpoint,
    port: server.port,
    engine,
    async stop() {
      await server.close();
      // An engine passed in belongs to the caller: only the one made here is closed.
      if (!options.engine) await engine.close();
    },
  };
}

/**
 * Client settings that send every request straight to an engine in this process (no socket):
 * `new DynamoDBClient(embeddedClientConfig(engine))`.
 */
export function embeddedClientConfig(engine: Engine): DynamoDBClientConfig {
  return { ...localClientConfig('http://embedded.engine.invalid'), ...UNSIGNED, requestHandler: engineRequestHandler(engine) };
}

type AuthScheme = NonNullable<DynamoDBClientConfig['httpAuthSchemes']>[number];

/**
 * Requests to an engine in this process are not signed (Smithy's noAuth scheme): nothing leaves
 * the process and the engine checks no signature, while SigV4 signing is about 130 µs of every
 * call through the SDK on a 2-core EPYC (a GetItem's SDK work drops from ~330 to ~200 µs).
 */
const UNSIGNED: Pick<DynamoDBClientConfig, 'httpAuthSchemes' | 'httpAuthSchemeProvider'> = {
  httpAuthSchemes: [{ schemeId: 'smithy.api#noAuth', identityProvider: () => async () => ({}), signer: { sign: async (request) => request } } satisfies AuthScheme],
  httpAuthSchemeProvider: () => [{ schemeId: 'smithy.api#noAuth' }],
};
