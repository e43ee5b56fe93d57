import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { catalog, type AccessPatternName } from '../../src/reference';
import { verifyRequests } from '../../src/toolkit';
import { createTable, deleteTable } from '../../src/reference';
import { RequestRecorder, type RecordedRequest } from '../../src/toolkit';
import { createServices, type Services, type ServicesOptions } from '../../src/reference';
import { testClient, uniqueTableName } from './local-table';

/** A clock tests can move: sessions and idempotency keys expire by it. */
export class TestClock {
  private offsetMs = 0;
  now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

export interface ModelFixture {
  client: DynamoDBClient;
  tableName: string;
  services: Services;
  recorder: RequestRecorder;
  clock: TestClock;
  /**
   * Runs one call of a pattern and asserts it sent exactly the requests the catalog declares
   * for it (operation, index, count, key-condition shape, never a Scan). Returns its result.
   */
  expectPattern<T>(name: AccessPatternName, call: () => Promise<T>): Promise<T>;
  /** The requests of one call, without asserting them. */
  requestsOf<T>(call: () => Promise<T>): Promise<{ result: T; requests: RecordedRequest[] }>;
  close(): Promise<void>;
}

export async function createModelFixture(prefix: string, options: Omit<ServicesOptions, 'client' | 'tableName' | 'now'> = {}): Promise<ModelFixture> {
  const client = testClient();
  const tableName = uniqueTableName(prefix);
  await createTable(client, { tableName });
  const recorder = RequestRecorder.attach(client);
  const clock = new TestClock();
  const services = createServices({ ...options, client, tableName, now: clock.now });
  return {
    client,
    tableName,
    services,
    recorder,
    clock,
    async expectPattern(name, call) {
      const pattern = catalog.find((p) => p.name === name);
      if (!pattern) throw new Error(`no catalog entry ${name}`);
      const { result, requests } = await recorder.capture(call);
      expect(verifyRequests(pattern, requests)).toEqual([]);
      expect(requests.every((r) => r.pattern === name)).toBe(true);
      return result;
    },
    requestsOf: (call) => recorder.capture(call),
    async close() {
      await deleteTable(client, tableName);
      client.destroy();
    },
  };
}

/** Follows a listing's cursor to the end, one call (and one page) at a time. */
export async function collectPages<T>(
  fetch: (cursor: string | null) => Promise<{ items: T[]; cursor: string | null }>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: { items: T[]; cursor: string | null } = await fetch(cursor);
    items.push(...page.items);
    cursor = page.cursor;
    pages += 1;
    if (pages > 1000) throw new Error('listing did not end: is the cursor passed back?');
  } while (cursor);
  return { items, pages };
}
