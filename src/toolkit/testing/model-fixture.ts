import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import type { Engine } from '../../engine';
import { embeddedClientConfig } from '../local/embedded-dynamo';
import type { Catalog, PatternName } from '../catalog/types';
import { verifyRequests } from '../catalog/verify-requests';
import { modelTable, type Model, type ServicesInput } from '../model/define-model';
import { recorderOptionsFor } from '../analysis/model-session';
import { RequestRecorder, type RecordedRequest } from '../recorder/request-recorder';
import { dropTable, ensureTable } from '../table/table-lifecycle';
import type { TableDefinition } from '../table/derive-table-definition';
import { testClient } from './local-endpoint';

/** A call did not send what its catalog entry declares. */
export class PatternAssertionError extends Error {
  override readonly name = 'PatternAssertionError';
  constructor(readonly pattern: string, readonly problems: readonly string[], readonly requests: readonly RecordedRequest[]) {
    super(`${pattern} did not send its declared requests:\n  ${problems.join('\n  ')}`);
  }
}

export interface ModelFixture<C extends Catalog, Services> {
  client: DynamoDBClient;
  tableName: string;
  definition: TableDefinition;
  services: Services;
  recorder: RequestRecorder;
  /**
   * Runs one call of a pattern and checks it sent exactly the requests the catalog declares
   * (operation, index, count, key-condition and filter shapes, read consistency, never a Scan),
   * each labelled with the pattern. Throws PatternAssertionError otherwise; returns the result.
   * A call that rejects is checked the same way: with the declared requests its own error is
   * rethrown, otherwise PatternAssertionError (its problems name the call's error).
   */
  expectPattern<T>(name: PatternName<C>, call: () => Promise<T>): Promise<T>;
  /** The requests of one call, without checking them. */
  requestsOf<T>(call: () => Promise<T>): Promise<{ result: T; requests: RecordedRequest[] }>;
  /** Pattern names expectPattern has checked in this fixture. */
  readonly checked: ReadonlySet<string>;
  /**
   * Detaches the recorder; drops the table only if this fixture created it, and closes the
   * client only if the fixture made it (a table or client you gave it is left as it is).
   */
  close(): Promise<void>;
}

export interface ModelFixtureOptions<Services> {
  /** Builds the services instead of the model's factory (e.g. with a test clock). */
  services?: (input: ServicesInput) => Services;
  /**
   * Default: a unique name. A table of this name that exists already is used as it is (it must
   * match the model) and is not dropped by close().
   */
  tableName?: string;
  /** Default: a client on the test run's DynamoDB, closed by close(). A client given here is not closed. */
  client?: DynamoDBClient;
  /**
   * An engine of this test's own (`createEngine({ clock, seed, faults })` from
   * single-table-kit/engine) to run on, in process, instead of the run's shared DYNAMODB_ENDPOINT:
   * for the failures production has (GSI lag, throttling, conflicts, stale reads) on demand.
   */
  engine?: Engine;
}

/** A fresh table derived from the model on the test run's DynamoDB, its services and a recorder. */
export async function createModelFixture<C extends Catalog, Services>(
  model: Model<C, Services, unknown>,
  options: ModelFixtureOptions<Services> = {},
): Promise<ModelFixture<C, Services>> {
  const client = options.client ?? (options.engine ? new DynamoDBClient(embeddedClientConfig(options.engine)) : testClient());
  const ownsClient = options.client === undefined;
  const tableName = options.tableName ?? `test-${randomUUID().slice(0, 12)}`;
  const definition = modelTable(model, tableName);
  // Created here or found: only a table this fixture created is dropped by close().
  let createdTable = false;
  try {
    await client.send(new CreateTableCommand(definition.input));
    createdTable = true;
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) {
      if (ownsClient) client.destroy();
      throw error;
    }
  }
  await ensureTable(client, definition);
  const recorder = RequestRecorder.attach(client, recorderOptionsFor(definition));
  const services = (options.services ?? model.services)({ client, tableName });
  const checked = new Set<string>();
  return {
    client,
    tableName,
    definition,
    services,
    recorder,
    checked,
    async expectPattern(name, call) {
      const pattern = model.catalog.find((p) => p.name === name);
      if (!pattern) throw new PatternAssertionError(name, [`no catalog entry named ${name}`], []);
      // A call that rejects (a condition failed, a conflict) is checked too: its requests must
      // still be the declared ones; then its own error is rethrown unchanged.
      const from = recorder.requests().length;
      let outcome: { ok: true; result: Awaited<ReturnType<typeof call>> } | { ok: false; error: unknown };
      try {
        outcome = { ok: true, result: await call() };
      } catch (error) {
        outcome = { ok: false, error };
      }
      const requests = recorder.requests().slice(from);
      const problems = verifyRequests(pattern, requests);
      const unlabelled = requests.filter((r) => r.pattern !== name);
      if (unlabelled.length) problems.push(`${unlabelled.length} request(s) not labelled ${name}: ${unlabelled.map((r) => `${r.operation} (${r.pattern ?? 'no label'})`).join(', ')}`);
      if (problems.length) {
        if (!outcome.ok) problems.push(`(the call rejected: ${outcome.error instanceof Error ? `${outcome.error.name}: ${outcome.error.message}` : String(outcome.error)})`);
        throw new PatternAssertionError(name, problems, requests);
      }
      checked.add(name);
      if (!outcome.ok) throw outcome.error;
      return outcome.result;
    },
    requestsOf: (call) => recorder.capture(call),
    async close() {
      recorder.detach();
      if (createdTable) await dropTable(client, tableName);
      if (ownsClient) client.destroy();
    },
  };
}

/**
 * Names the catalog patterns no test covers. Give it the names your tests exercise (e.g. from
 * fixtures' `checked`, or the titles of your pattern tests); empty when every pattern has one.
 */
export function untestedPatterns(catalog: Catalog, tested: Iterable<string>): string[] {
  const seen = new Set(tested);
  return catalog.map((p) => p.name).filter((name) => !seen.has(name));
}

/** Follows a listing's cursor to the end, one call (one page) at a time. */
export async function collectPages<T>(fetch: (cursor: string | null) => Promise<{ items: T[]; cursor: string | null }>, maxPages = 1000): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: { items: T[]; cursor: string | null } = await fetch(cursor);
    items.push(...page.items);
    cursor = page.cursor;
    pages += 1;
    if (pages > maxPages) throw new Error(`listing did not end after ${maxPages} pages: is the cursor passed back?`);
  } while (cursor);
  return { items, pages };
}

/**
 * The catalog patterns that no test under `testDir` checks with `expectPattern('name', ...)`:
 * read from the test files' source, so one test file can hold the check for the whole suite.
 */
export function patternsWithoutTests(catalog: Catalog, testDir: string): string[] {
  const tested = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(path);
      else if (/\.(test|spec)\.[cm]?[jt]sx?$/.test(entry.name)) {
        for (const match of readFileSync(path, 'utf8').matchAll(/expectPattern\(\s*['"`]([A-Za-z0-9_$]+)['"`]/g)) tested.add(match[1] as string);
      }
    }
  };
  walk(testDir);
  return untestedPatterns(catalog, tested);
}
