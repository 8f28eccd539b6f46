import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@mfm/platform/config/app-config';
import { recordingOutbox } from '@mfm/contracts/recording-outbox.spec-helper';
import { usersTestDb } from '../users-test-db.spec-helper';

import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';

import { SessionsService } from './sessions.service';

const USER_ID = '5b1f3c9e-0d7a-4f4e-9a51-3f1f5c0e8a11';

describe('SessionsService (real SQLite, in memory)', () => {
  let db: DataSource;
  let sessions: SessionsService;

  beforeEach(async () => {
    db = await usersTestDb();
    const config = { auth: { refreshTokenTtlSeconds: 3600 } } as AppConfig;
    sessions = new SessionsService(
      db.getRepository(Session),
      recordingOutbox('users', db).outbox,
      config,
    );
  });

  afterEach(async () => {
    await db.destroy();
  });

  it('stores only a hash of the refresh secret', async () => {
    const issued = await sessions.start(USER_ID);
    const [id, secret] = issued.token.split('.');
    const stored = await db.getRepository(RefreshToken).findOneByOrFail({ id });
    expect(stored.sessionId).toBe(issued.sessionId);
    expect(stored.secretHash).not.toContain(secret);
    expect(stored.secretHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rotates: each refresh token works once and its successor belongs to the same session', async () => {
    const first = await sessions.start(USER_ID);
    const second = await sessions.rotate(first.token);
    expect(second.sessionId).toBe(first.sessionId);
    expect(second.userId).toBe(USER_ID);
    expect(second.token).not.toBe(first.token);
    const third = await sessions.rotate(second.token);
    expect(third.sessionId).toBe(first.sessionId);
    await expect(sessions.isActive(first.sessionId)).resolves.toBe(true);
  });

  it('revokes the whole family when a spent token is presented again', async () => {
    const first = await sessions.start(USER_ID);
    const second = await sessions.rotate(first.token);
    await expect(sessions.rotate(first.token)).rejects.toMatchObject({
      status: 401,
      response: { code: 'REFRESH_TOKEN_REUSED' },
    });
    // committed, not rolled back with the error
    await expect(sessions.isActive(first.sessionId)).resolves.toBe(false);
    const row = await db.getRepository(Session).findOneByOrFail({ id: first.sessionId });
    expect(row.revokedReason).toBe('refresh_token_reuse');
    await expect(sessions.rotate(second.token)).rejects.toMatchObject({
      status: 401,
      response: { code: 'INVALID_REFRESH_TOKEN' },
    });
  });

  it('lets exactly one of two concurrent rotations of the same token win', async () => {
    const first = await sessions.start(USER_ID);
    const results = await Promise.allSettled([
      sessions.rotate(first.token),
      sessions.rotate(first.token),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    // the loser is a reuse: the family is gone, including the winner's new token
    await expect(sessions.isActive(first.sessionId)).resolves.toBe(false);
    const winner = results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{
      token: string;
    }>;
    await expect(sessions.rotate(winner.value.token)).rejects.toMatchObject({ status: 401 });
  });

  it('treats a token spent after it was read (by another replica) as reused: no successor, session revoked', async () => {
    const first = await sessions.start(USER_ID);
    await sessions.rotate(first.token);
    // The interleaving two replicas produce on PostgreSQL: this rotation read the token before
    // the other one's spend committed, so its read still shows the token unspent.
    const read = EntityManager.prototype.findOneBy;
    const stale = jest
      .spyOn(EntityManager.prototype, 'findOneBy')
      .mockImplementation(async function (this: EntityManager, target, where) {
        const row = await read.call(this, target, where);
        return target === RefreshToken && row ? { ...row, usedAt: null } : row;
      });
    try {
      await expect(sessions.rotate(first.token)).rejects.toMatchObject({
        status: 401,
        response: { code: 'REFRESH_TOKEN_REUSED' },
      });
    } finally {
      stale.mockRestore();
    }
    await expect(sessions.isActive(first.sessionId)).resolves.toBe(false);
    const [id] = first.token.split('.');
    const family = await db.getRepository(RefreshToken).findBy({ sessionId: first.sessionId });
    expect(family.map((t) => t.id)).toContain(id);
    expect(family).toHaveLength(2); // the first token and the one successor of the real rotation
  });

  it('refuses malformed, unknown and wrong-secret tokens without touching the session', async () => {
    const first = await sessions.start(USER_ID);
    const [id] = first.token.split('.');
    for (const bad of [
      'no-dot-here',
      `${id}.`,
      `.secret`,
      `${id}.wrong-secret`,
      '7d3a4c1e-1111-4222-8333-944455556666.secret',
    ]) {
      await expect(sessions.rotate(bad)).rejects.toMatchObject({
        status: 401,
        response: { code: 'INVALID_REFRESH_TOKEN' },
      });
    }
    // a guessed secret is not a "reuse": the session survives and the real token still works
    await expect(sessions.isActive(first.sessionId)).resolves.toBe(true);
    await expect(sessions.rotate(first.token)).resolves.toMatchObject({
      sessionId: first.sessionId,
    });
  });

  it('refuses an expired refresh token', async () => {
    const first = await sessions.start(USER_ID);
    const [id] = first.token.split('.');
    await db.getRepository(RefreshToken).update({ id }, { expiresAt: new Date(Date.now() - 1000) });
    await expect(sessions.rotate(first.token)).rejects.toMatchObject({
      status: 401,
      response: { code: 'INVALID_REFRESH_TOKEN' },
    });
  });

  it('revoke() ends a session once and says whether it did', async () => {
    const first = await sessions.start(USER_ID);
    await expect(sessions.revoke(first.sessionId, 'logout')).resolves.toBe(true);
    await expect(sessions.revoke(first.sessionId, 'logout')).resolves.toBe(false);
    await expect(sessions.isActive(first.sessionId)).resolves.toBe(false);
    await expect(sessions.rotate(first.token)).rejects.toMatchObject({
      status: 401,
      response: { code: 'INVALID_REFRESH_TOKEN' },
    });
  });

  it('keeps other sessions of the same user alive', async () => {
    const a = await sessions.start(USER_ID);
    const b = await sessions.start(USER_ID);
    await sessions.revoke(a.sessionId, 'logout');
    await expect(sessions.isActive(b.sessionId)).resolves.toBe(true);
    await expect(sessions.rotate(b.token)).resolves.toMatchObject({ sessionId: b.sessionId });
  });
});
