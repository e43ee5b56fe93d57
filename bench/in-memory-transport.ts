import type { DynamoDBClient, DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { Readable } from 'node:stream';

/** One HTTP answer as DynamoDB sent it. */
export interface RecordedResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
}

interface RawResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: unknown;
}

async function readBody(body: unknown): Promise<Buffer> {
  if (body instanceof Readable) {
    const chunks: Buffer[] = [];
    for await (const chunk of body) chunks.push(Buffer.from(chunk as Buffer));
    return Buffer.concat(chunks);
  }
  if (body instanceof Uint8Array) return Buffer.from(body);
  return Buffer.alloc(0);
}

/**
 * Records the raw HTTP answers a (real) client receives: middleware just inside the deserializer,
 * which reads the body and hands the SDK an identical copy.
 */
export function recordResponses(client: DynamoDBClient): { take(): RecordedResponse[]; detach(): void } {
  let recorded: RecordedResponse[] = [];
  const name = 'benchResponseRecorder';
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const raw = result.response as RawResponse;
      const body = await readBody(raw.body);
      recorded.push({ statusCode: raw.statusCode, headers: { ...raw.headers }, body });
      raw.body = Readable.from([body]);
      return result;
    },
    { step: 'deserialize', name, priority: 'low' },
  );
  return {
    take() {
      const out = recorded;
      recorded = [];
      return out;
    },
    detach: () => client.middlewareStack.remove(name),
  };
}

/**
 * An SDK request handler that answers from memory: the responses given to `replay`, in order,
 * round and round. With it only our code, ElectroDB and the SDK run: no network, no database.
 */
export class MemoryTransport {
  private responses: readonly RecordedResponse[] = [];
  private next = 0;
  readonly metadata = { handlerProtocol: 'http/1.1' };

  replay(responses: readonly RecordedResponse[]): void {
    if (responses.length === 0) throw new Error('nothing to replay');
    this.responses = responses;
    this.next = 0;
  }

  async handle(): Promise<{ response: RawResponse }> {
    const r = this.responses[this.next % this.responses.length] as RecordedResponse;
    this.next += 1;
    return { response: { statusCode: r.statusCode, headers: { ...r.headers }, body: Readable.from([r.body]) } };
  }

  updateHttpClientConfig(): void {}
  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
  destroy(): void {}

  /** As the client config's requestHandler. */
  asRequestHandler(): DynamoDBClientConfig['requestHandler'] {
    return this as unknown as DynamoDBClientConfig['requestHandler'];
  }
}
