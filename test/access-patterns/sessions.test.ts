import { UserNotActiveError } from '../../src/reference';
import { NotFoundError, ValidationError } from '../../src/toolkit';
import { createModelFixture, type ModelFixture } from '../support/model-fixture';

let f: ModelFixture;
beforeAll(async () => {
  f = await createModelFixture('sessions');
});
afterAll(() => f.close());

let seq = 0;
const newUser = () => f.services.createUser({ email: `sess-${(seq += 1)}-${Date.now()}@example.com`, name: 'Session User' });
const UNKNOWN = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

describe('createSession', () => {
  it('creates a session that expires ttlSeconds from now (epoch seconds, the TTL attribute)', async () => {
    const user = await newUser();
    const before = Math.floor(f.clock.now().getTime() / 1000);
    const session = await f.expectPattern('createSession', () => f.services.createSession(user.userId, { ttlSeconds: 3600, userAgent: 'Mozilla/5.0' }));
    expect(session).toMatchObject({ userId: user.userId, userAgent: 'Mozilla/5.0' });
    expect(session.expiresAt - before).toBeGreaterThanOrEqual(3600);
    expect(session.expiresAt - before).toBeLessThanOrEqual(3601);
  });

  it('refuses unknown and inactive users', async () => {
    await expect(f.services.createSession(UNKNOWN, { ttlSeconds: 600 })).rejects.toBeInstanceOf(NotFoundError);
    const user = await newUser();
    await f.services.setUserStatus(user.userId, 'suspended');
    await expect(f.services.createSession(user.userId, { ttlSeconds: 600 })).rejects.toBeInstanceOf(UserNotActiveError);
  });

  it('rejects a ttl outside 60 s to 90 days', async () => {
    const user = await newUser();
    await expect(f.services.createSession(user.userId, { ttlSeconds: 10 })).rejects.toMatchObject({ field: 'ttlSeconds', rule: 'must be at least 60' });
    await expect(f.services.createSession(user.userId, { ttlSeconds: 91 * 86400 })).rejects.toBeInstanceOf(ValidationError);
  });
});

describe('listActiveSessions', () => {
  it('returns only unexpired sessions, newest first, even before TTL has deleted the expired ones', async () => {
    const user = await newUser();
    const short = await f.services.createSession(user.userId, { ttlSeconds: 60 });
    f.clock.advance(1);
    const long1 = await f.services.createSession(user.userId, { ttlSeconds: 7200 });
    f.clock.advance(1);
    const long2 = await f.services.createSession(user.userId, { ttlSeconds: 7200 });
    expect((await f.expectPattern('listActiveSessions', () => f.services.listActiveSessions(user.userId))).map((s) => s.sessionId)).toEqual([
      long2.sessionId,
      long1.sessionId,
      short.sessionId,
    ]);
    f.clock.advance(120); // the short session is now expired, but still stored
    expect((await f.services.listActiveSessions(user.userId)).map((s) => s.sessionId)).toEqual([long2.sessionId, long1.sessionId]);
  });

  it('returns an empty list for a user without sessions', async () => {
    expect(await f.services.listActiveSessions(UNKNOWN)).toEqual([]);
  });
});

describe('revokeSession', () => {
  it('deletes the session; revoking it again is NotFoundError', async () => {
    const user = await newUser();
    const session = await f.services.createSession(user.userId, { ttlSeconds: 600 });
    await f.expectPattern('revokeSession', () => f.services.revokeSession(user.userId, session.sessionId));
    expect(await f.services.listActiveSessions(user.userId)).toEqual([]);
    await expect(f.services.revokeSession(user.userId, session.sessionId)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("cannot revoke another user's session", async () => {
    const owner = await newUser();
    const other = await newUser();
    const session = await f.services.createSession(owner.userId, { ttlSeconds: 600 });
    await expect(f.services.revokeSession(other.userId, session.sessionId)).rejects.toBeInstanceOf(NotFoundError);
    expect((await f.services.listActiveSessions(owner.userId)).map((s) => s.sessionId)).toEqual([session.sessionId]);
  });
});
