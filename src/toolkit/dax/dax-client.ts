import {
  DynamoDBClient,
  type BatchGetItemCommandInput,
  type BatchGetItemCommandOutput,
  type BatchWriteItemCommandInput,
  type BatchWriteItemCommandOutput,
  type DeleteItemCommandInput,
  type DeleteItemCommandOutput,
  type DynamoDBClientConfig,
  type GetItemCommandInput,
  type GetItemCommandOutput,
  type PutItemCommandInput,
  type PutItemCommandOutput,
  type QueryCommandInput,
  type QueryCommandOutput,
  type ScanCommandInput,
  type ScanCommandOutput,
  type TransactGetItemsCommandInput,
  type TransactGetItemsCommandOutput,
  type TransactWriteItemsCommandInput,
  type TransactWriteItemsCommandOutput,
  type UpdateItemCommandInput,
  type UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { inProcessRequestHandler, type EngineHttpResponse } from '../../engine';
import { decodeRequest, encodeResponse } from './attribute-wire';

type Answer<T> = Promise<Partial<T>>;

/**
 * The DynamoDB operations a DAX cluster serves, as low-level (AttributeValue) calls: what
 * `Dax` of @amazon-dax-sdk/client-dax offers, and what simulateDax() (single-table-kit/testing)
 * reproduces on any client.
 */
export interface DaxOperations {
  getItem(input: GetItemCommandInput): Answer<GetItemCommandOutput>;
  putItem(input: PutItemCommandInput): Answer<PutItemCommandOutput>;
  updateItem(input: UpdateItemCommandInput): Answer<UpdateItemCommandOutput>;
  deleteItem(input: DeleteItemCommandInput): Answer<DeleteItemCommandOutput>;
  query(input: QueryCommandInput): Answer<QueryCommandOutput>;
  scan(input: ScanCommandInput): Answer<ScanCommandOutput>;
  batchGetItem(input: BatchGetItemCommandInput): Answer<BatchGetItemCommandOutput>;
  batchWriteItem(input: BatchWriteItemCommandInput): Answer<BatchWriteItemCommandOutput>;
  transactGetItems(input: TransactGetItemsCommandInput): Answer<TransactGetItemsCommandOutput>;
  transactWriteItems(input: TransactWriteItemsCommandInput): Answer<TransactWriteItemsCommandOutput>;
}

/** DynamoDB operation -> the DAX client's method. Every other operation is refused. */
export const DAX_OPERATIONS = {
  GetItem: 'getItem',
  PutItem: 'putItem',
  UpdateItem: 'updateItem',
  DeleteItem: 'deleteItem',
  Query: 'query',
  Scan: 'scan',
  BatchGetItem: 'batchGetItem',
  BatchWriteItem: 'batchWriteItem',
  TransactGetItems: 'transactGetItems',
  TransactWriteItems: 'transactWriteItems',
} as const satisfies Record<string, keyof DaxOperations>;

export type DaxOperation = keyof typeof DAX_OPERATIONS;

/**
 * An operation DAX does not serve (PartiQL, table management, backups, TTL, tags...), sent
 * through a DAX client: refused before anything is sent, never passed to DynamoDB instead.
 */
export class DaxUnsupportedOperationError extends Error {
  override readonly name = 'DaxUnsupportedOperationError';
  constructor(readonly operation: string) {
    super(
      `${operation} is not supported by DAX: DAX serves ${Object.keys(DAX_OPERATIONS).join(', ')}. ` +
        `Send ${operation} with a DynamoDB client (not the DAX one); nothing was sent.`,
    );
  }
}

/** connectDax() was called but @amazon-dax-sdk/client-dax is not installed. */
export class DaxSdkMissingError extends Error {
  override readonly name = 'DaxSdkMissingError';
  constructor(cause: unknown) {
    super(`connectDax needs the optional peer dependency @amazon-dax-sdk/client-dax (npm install @amazon-dax-sdk/client-dax): ${(cause as Error)?.message ?? String(cause)}`);
  }
}

export interface DaxClientOptions {
  /**
   * Region the SDK client is configured with (it signs nothing that leaves the process, but
   * insists on one). Default AWS_REGION, else us-east-1.
   */
  region?: string;
  /**
   * Attempts of the SDK client in front of DAX. Default 1: the DAX client retries by itself
   * (its maxRetries / readRetries / writeRetries), and retrying on both sides multiplies them.
   */
  maxAttempts?: number;
}

const TARGET_PREFIX = 'DynamoDB_20120810.';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
const ERROR_NAMESPACE = 'com.amazonaws.dynamodb.v20120810#';

function respond(statusCode: number, text: string, extra: Record<string, string> = {}): EngineHttpResponse {
  const body = Buffer.from(text, 'utf8');
  return { statusCode, headers: { 'content-type': JSON_CONTENT_TYPE, 'content-length': String(body.length), ...extra }, body };
}

type ErrorLike = {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  statusCode?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  CancellationReasons?: unknown;
  cancellationReasons?: unknown;
  Item?: unknown;
};

const ERROR_NAME = /^[A-Za-z][A-Za-z0-9]*$/;

/**
 * A DynamoDB error from the DAX client (a DaxClientError's `code`, or an SDK exception's name
 * when the DAX client is simulateDax over an SDK client) as the JSON protocol's error answer, so
 * the SDK raises the same exception class (ConditionalCheckFailedException,
 * TransactionCanceledException with its reasons...) it would raise talking to DynamoDB. Other
 * failures (connection, a bug) are rethrown as they are.
 */
function errorAnswer(thrown: unknown) {
  // The DAX client emits its errors on an EventEmitter: where the error's Error class is another
  // realm's (a jest sandbox), Node wraps it in ERR_UNHANDLED_ERROR, the error itself as `context`.
  const unwrapped = (thrown as { code?: unknown; context?: unknown } | null)?.code === 'ERR_UNHANDLED_ERROR' ? (thrown as { context?: unknown }).context : thrown;
  if (unwrapped instanceof DaxUnsupportedOperationError || unwrapped === null || typeof unwrapped !== 'object') return undefined;
  const e = unwrapped as ErrorLike;
  const isSdkError = e.$metadata !== undefined && typeof e.name === 'string';
  const type = isSdkError ? e.name : e.code;
  if (typeof type !== 'string' || !ERROR_NAME.test(type) || type === 'Error') return undefined;
  const sdkStatus = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const daxStatus = typeof e.statusCode === 'number' && e.statusCode >= 400 ? e.statusCode : undefined;
  const statusCode = sdkStatus ?? daxStatus ?? (e.$fault === 'server' || /InternalServer/.test(type) ? 500 : 400);
  // The DAX client prefixes its messages with the code ("Code: message").
  const message = typeof e.message === 'string' ? e.message.replace(new RegExp(`^${type}: `), '') : '';
  const payload: Record<string, unknown> = { __type: ERROR_NAMESPACE + type, message };
  const reasons = e.CancellationReasons ?? e.cancellationReasons;
  // DAX answers a reason without an item with `Item: null`; DynamoDB leaves it out.
  if (Array.isArray(reasons)) payload.CancellationReasons = reasons.map((r: unknown) => (r !== null && typeof r === 'object' ? Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null && v !== undefined)) : r));
  if (e.Item !== undefined) payload.Item = e.Item;
  return respond(statusCode, encodeResponse(payload), { 'x-amzn-errortype': type });
}

/**
 * An SDK v3 DynamoDBClient whose every request is served by a DAX client: give it to a model's
 * services (`model.services({ client: daxClient(dax), tableName })`), to
 * DynamoDBDocumentClient.from(), ElectroDB or the request helpers, unchanged. The SDK builds and
 * parses the requests as usual (middleware, recorders, metrics and DocumentClient marshalling all
 * work); only the transport is DAX. Operations DAX does not serve (PartiQL, CreateTable,
 * DescribeTable...) reject with DaxUnsupportedOperationError, nothing sent to DAX or DynamoDB.
 */
export function daxClient(dax: DaxOperations, options: DaxClientOptions = {}): DynamoDBClient {
  // The SDK's transport, in process (the engine's, as engineRequestHandler uses): DAX serves each request.
  const requestHandler = inProcessRequestHandler('daxClient', async (target, text) => {
    const operation = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : (target ?? '');
    const method = (DAX_OPERATIONS as Record<string, keyof DaxOperations | undefined>)[operation];
    if (method === undefined || !Object.hasOwn(DAX_OPERATIONS, operation)) throw new DaxUnsupportedOperationError(operation || '(no operation)');
    const input = decodeRequest(text === '' ? {} : (JSON.parse(text) as unknown));
    try {
      const output = await (dax[method] as (i: unknown) => Promise<unknown>).call(dax, input);
      return respond(200, encodeResponse(output));
    } catch (error) {
      const answer = errorAnswer(error);
      if (answer) return answer;
      throw error;
    }
  });
  const config: DynamoDBClientConfig = {
    region: options.region ?? process.env.AWS_REGION ?? 'us-east-1',
    // Never used to reach AWS: every request ends in the handler above; the DAX client signs its own.
    endpoint: 'https://dax.invalid',
    credentials: { accessKeyId: 'dax-adapter', secretAccessKey: 'dax-adapter' },
    maxAttempts: options.maxAttempts ?? 1,
    requestHandler: requestHandler as unknown as DynamoDBClientConfig['requestHandler'],
  };
  return new DynamoDBClient(config);
}

/** What connectDax() passes to `new Dax(...)` of @amazon-dax-sdk/client-dax (see its DaxConfig). */
export interface DaxClusterConfig {
  /** The cluster's endpoint, e.g. `dax://my-cluster.abc123.dax-clusters.us-east-1.amazonaws.com`. */
  endpoint: string;
  region?: string;
  requestTimeout?: number;
  maxRetries?: number;
  readRetries?: number;
  writeRetries?: number;
  [setting: string]: unknown;
}

export interface DaxConnection {
  /** Give this to the model's services, DocumentClient.from(), ElectroDB, the request helpers. */
  client: DynamoDBClient;
  /** The @amazon-dax-sdk/client-dax client itself. */
  dax: DaxOperations;
  /** Shuts the DAX client down (its connections and health checks). */
  close(): void;
}

type DaxModule = { Dax: new (config: DaxClusterConfig) => DaxOperations & { shutdown?: () => void } };

/**
 * A DynamoDBClient served by a real DAX cluster, through @amazon-dax-sdk/client-dax: an optional
 * peer dependency, loaded only here, so the kit works without it (DaxSdkMissingError when absent).
 */
export async function connectDax(config: DaxClusterConfig, options: DaxClientOptions = {}): Promise<DaxConnection> {
  let mod: DaxModule;
  try {
    mod = (await import('@amazon-dax-sdk/client-dax')) as unknown as DaxModule;
  } catch (error) {
    throw new DaxSdkMissingError(error);
  }
  const dax = new mod.Dax({ ...config });
  return {
    client: daxClient(dax, { region: options.region ?? config.region, maxAttempts: options.maxAttempts }),
    dax,
    close: () => dax.shutdown?.(),
  };
}
