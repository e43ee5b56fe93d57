import { createModelFixture as createFixture, collectPages, type ModelFixture as Fixture } from '../../src/toolkit/testing';
import { createServices, referenceModel, type catalog, type Services, type ServicesOptions } from '../../src/reference';
import type { Engine } from '../../src/engine';

/** A clock tests can move: sessions and idempotency keys expire by it. */
export class TestClock {
  private offsetMs = 0;
  now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }
}

export type ModelFixture = Fixture<typeof catalog, Services> & { clock: TestClock };

/**
 * The reference model on a fresh table through the public fixture (single-table-kit/testing),
 * with services on a test clock: `expectPattern` checks every call against the catalog.
 */
export async function createModelFixture(
  _prefix: string,
  options: Omit<ServicesOptions, 'client' | 'tableName' | 'now'> & {
    /** The test's own engine (createEngine({ clock, seed, faults })), in process: for GSI lag, throttling, conflicts. */
    engine?: Engine;
  } = {},
): Promise<ModelFixture> {
  const clock = new TestClock();
  const { engine, ...serviceOptions } = options;
  const fixture = await createFixture(referenceModel, {
    ...(engine ? { engine } : {}),
    services: ({ client, tableName }) => createServices({ ...serviceOptions, client, tableName, now: clock.now }),
  });
  return Object.assign(fixture, { clock });
}

export { collectPages };
