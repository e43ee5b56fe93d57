import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { monotonicFactory } from 'ulid';
import { forPattern, localClientConfig, ParamsTemplates, type EmfMetrics } from '../toolkit';
import { createModel, USER_STATUS_SHARDS } from '../entities';
import type { Context } from './context';
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
  /** Attempts of a transaction DynamoDB cancels for a conflict or throttling (the SDK does not retry those). Default 5. */
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

type Methods = Record<string, (...args: never[]) => Promise<unknown>>;

/*
 * Each method gets a context whose sender labels its requests with the method's (= pattern's)
 * name, so recorders and metrics can attribute them. The factory runs once per method for that;
 * it only builds argument schemas, so this costs milliseconds once, not time per call.
 */
function labelled<T extends Methods>(factory: (ctx: Context) => T, ctx: Context): T {
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(factory(ctx))) {
    out[name] = factory({ ...ctx, doc: forPattern(ctx.doc, name) })[name];
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
    transactionAttempts: options.transactionConflictAttempts ?? 5,
    cursorSecret: options.cursorSecret ?? process.env.CURSOR_SECRET,
    userStatusShards: options.userStatusShards ?? USER_STATUS_SHARDS,
    templates: new ParamsTemplates(),
  };
  return {
    ...labelled(userPatterns, ctx),
    ...labelled(organizationPatterns, ctx),
    ...labelled(orderPatterns, ctx),
    ...labelled(sessionPatterns, ctx),
  };
}

export type Services = ReturnType<typeof createServices>;
