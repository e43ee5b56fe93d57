import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { createModel, USER_STATUS_SHARDS } from '../entities';
import { localClientConfig } from '../local/client-config';
import type { EmfMetrics } from '../metrics/emf-metrics';
import { runInPattern } from '../recorder/pattern-context';
import type { Context } from './engine';
import { ParamsTemplates } from './params-templates';
import { organizationPatterns } from './organizations';
import { orderPatterns } from './orders';
import { sessionPatterns } from './sessions';
import { userPatterns } from './users';

export interface ServicesOptions {
  /** The client to use; without one, built from DYNAMODB_ENDPOINT (absent: AWS) and AWS_REGION. */
  client?: DynamoDBClient;
  /** Default: TABLE_NAME, else `app`. */
  tableName?: string;
  /** Clock, for tests of time-dependent rules (session expiry, idempotency window). */
  now?: () => Date;
  /** Attempts for a transaction that conflicts with another one (the SDK does not retry those). Default 5. */
  transactionConflictAttempts?: number;
  /**
   * Signs page cursors (HMAC-SHA256) so that any edit is refused; default CURSOR_SECRET. Without
   * it cursors are still bound to their listing, partition and range. Share it across instances.
   */
  cursorSecret?: string;
  /**
   * Shards of the user status index (default USER_STATUS_SHARDS). Data written with one count
   * must be read with the same count; the catalog declares the default.
   */
  userStatusShards?: number;
  /** Emits a CloudWatch EMF line per request this client sends (attached to the client here). */
  metrics?: EmfMetrics;
}

/** A client from the environment: DYNAMODB_ENDPOINT (DynamoDB Local, docker compose) or AWS. */
export function clientFromEnvironment(): DynamoDBClient {
  const endpoint = process.env.DYNAMODB_ENDPOINT;
  if (endpoint) return new DynamoDBClient(localClientConfig(endpoint));
  return new DynamoDBClient(process.env.AWS_REGION ? { region: process.env.AWS_REGION } : {});
}

// Each method runs labelled with its pattern name, so recorders and metrics can attribute requests.
function labelled<T extends Record<string, (...args: never[]) => Promise<unknown>>>(methods: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, fn] of Object.entries(methods)) {
    out[name] = (...args: never[]) => runInPattern(name, () => fn.apply(methods, args));
  }
  return out as T;
}

/** The service layer: one method per access pattern, named after it. */
export function createServices(options: ServicesOptions = {}) {
  const client = options.client ?? clientFromEnvironment();
  const table = options.tableName ?? process.env.TABLE_NAME ?? 'app';
  options.metrics?.attach(client);
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const ctx: Context = {
    model: createModel(doc, table),
    doc,
    table,
    now: options.now ?? (() => new Date()),
    newId: monotonicFactory(),
    conflictRetries: options.transactionConflictAttempts ?? 5,
    cursorSecret: options.cursorSecret ?? process.env.CURSOR_SECRET,
    userStatusShards: options.userStatusShards ?? USER_STATUS_SHARDS,
    templates: new ParamsTemplates(),
  };
  return labelled({
    ...userPatterns(ctx),
    ...organizationPatterns(ctx),
    ...orderPatterns(ctx),
    ...sessionPatterns(ctx),
  });
}

export type Services = ReturnType<typeof createServices>;
