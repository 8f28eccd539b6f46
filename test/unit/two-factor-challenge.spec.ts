import { createHash, randomUUID } from 'node:crypto';
import { generateSecret, generateSync } from 'otplib';
import { DataSource, IsNull } from 'typeorm';
import { LoggingMessages, type NewAuditEvent } from '@mfm/contracts/logging.contract';
import type { AppConfig } from '@mfm/platform/config/app-config';
import type { AppError } from '@mfm/platform/errors/error-body';
import type { Outbox } from '@mfm/platform/outbox/outbox';
import { OutboxMessage } from '@mfm/platform/outbox/outbox-message.entity';
import { SentMessage, recordingOutbox } from '@mfm/platform/testing/recording-outbox';
import { refusal } from '@mfm/platform/testing/refusal';
import { BackupCode } from '../../src/users/entities/backup-code.entity';
import { MfaChallenge } from '../../src/users/entities/mfa-challenge.entity';
import { Passkey } from '../../src/users/entities/passkey.entity';
import { User } from '../../src/users/entities/user.entity';
import { MfaService } from '../../src/users/mfa/mfa.service';
import type { PasswordCheck } from '../../src/users/password/password-check.service';
import { emailIndex, personalDataKeys } from '../../src/users/personal-data';
import { UsersAudit } from '../../src/users/users-audit.service';
import { usersTestDb } from '../../src/users/users-test-db.spec-helper';

/**
 * The second step of a sign-in (the two-factor challenge), on the users schema in memory: what
 * completes it, what refuses it, and the limits on wrong codes and mailed codes.
 */

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** The code of an authenticator app, `steps` time steps (of 30 s) from now. */
const totp = (secret: string, steps = 0) =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + steps * 30 });

describe('Two-factor challenge (MfaService, real SQLite in memory)', () => {
  let db: DataSource;
  let outbox: Outbox;
  let sent: SentMessage[];
  let mfa: MfaService;
  let ada: User;
  const limits = { maxFailuresPerUsername: 8, codeMailsPerHour: 4 };

  const config = () =>
    ({
      login: { ...limits, failureWindowSeconds: 900 },
      mail: { publicUrl: 'https://shop.test' },
    }) as unknown as AppConfig;

  beforeEach(async () => {
    db = await usersTestDb();
    const recording = recordingOutbox('users', db);
    outbox = recording.outbox;
    sent = recording.sent;
    // A challenge never asks for the password: that was the first step.
    mfa = new MfaService(
      outbox,
      config(),
      undefined as unknown as PasswordCheck,
      new UsersAudit(),
      db,
    );
    ada = await account('ada');
  });

  afterEach(async () => {
    jest.restoreAllMocks();
    limits.maxFailuresPerUsername = 8;
    limits.codeMailsPerHour = 4;
    await outbox.onApplicationShutdown();
    await db.destroy();
  });

  async function account(username: string, fields: Partial<User> = {}): Promise<User> {
    const email = `${username}@example.com`;
    const user = db.getRepository(User).create({
      id: randomUUID(),
      username,
      usernameKey: username,
      email,
      emailKey: emailIndex(email),
      firstName: 'Ada',
      lastName: 'Lovelace',
      passwordHash: 'not used here',
      role: 'customer',
      enabled: true,
      emailVerifiedAt: new Date(),
      totpSecret: generateSecret(),
      totpPendingSecret: null,
      totpLastStep: null,
      createdAt: new Date(),
      updatedAt: new Date(),
      ...fields,
    });
    await db.getRepository(User).insert(user);
    return user;
  }
  const reload = (user: User) => db.getRepository(User).findOneByOrFail({ id: user.id });
  const challengeOf = (token: string) =>
    db.getRepository(MfaChallenge).findOneByOrFail({ id: token.split('.')[0] });
  const audits = () =>
    sent
      .filter((m) => m.target === 'logging')
      .flatMap((m) =>
        m.pattern === LoggingMessages.record.pattern
          ? [m.payload as NewAuditEvent]
          : (m.payload as { items: NewAuditEvent[] }).items,
      );
  /** The mails queued so far, oldest first (mail leaves the outbox in the background). */
  const mails = async () =>
    (
      await db
        .getRepository(OutboxMessage)
        .find({ where: { target: 'mail' }, order: { seq: 'ASC' } })
    ).map(
      (row) =>
        JSON.parse(row.body) as {
          to: unknown;
          template: string;
          data: { name: string; code: string };
        },
    );
  const mailedCodes = async () => (await mails()).map((mail) => mail.data.code);
  const backupCodes = async (user: User, ...codes: string[]) => {
    await db.getRepository(BackupCode).insert(
      codes.map((code) => ({
        id: randomUUID(),
        userId: user.id,
        codeHash: personalDataKeys().blindIndex(code.replace('-', ''), 'backup_code'),
        usedAt: null,
        createdAt: new Date(),
      })),
    );
  };
  const passkey = (user: User) =>
    db.getRepository(Passkey).insert({
      id: randomUUID(),
      userId: user.id,
      name: 'Laptop',
      publicKey: 'key',
      counter: 0,
      transports: '',
      lastUsedAt: null,
      createdAt: new Date(),
    });

  describe('issuing', () => {
    it('offers the methods the account has, for five minutes, keeping only a hash of the secret', async () => {
      const now = Date.now();
      jest.spyOn(Date, 'now').mockReturnValue(now);
      const issued = await mfa.issueChallenge(ada);
      expect(issued).toMatchObject({
        mfaRequired: true,
        methods: ['totp', 'backup_code', 'email'],
        expiresIn: 300,
      });
      const [id, secret] = issued.mfaToken.split('.');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const stored = await challengeOf(issued.mfaToken);
      expect(stored).toMatchObject({
        userId: ada.id,
        secretHash: sha256(secret),
        failures: 0,
        completedAt: null,
        emailCodeHash: null,
        emailCodesSent: 0,
      });
      expect(new Date(stored.expiresAt).getTime()).toBe(now + 300_000);

      const keyOnly = await account('passkey_only', { totpSecret: null, emailVerifiedAt: null });
      await passkey(keyOnly);
      expect((await mfa.issueChallenge(keyOnly)).methods).toEqual(['passkey']);
      await passkey(ada);
      expect((await mfa.issueChallenge(ada)).methods).toEqual([
        'totp',
        'backup_code',
        'passkey',
        'email',
      ]);
    });

    it('drops challenges a day past their end, and keeps younger ones', async () => {
      const base = {
        userId: ada.id,
        secretHash: sha256('x'),
        failures: 0,
        completedAt: null,
        emailCodeHash: null,
        emailCodeExpiresAt: null,
        emailCodesSent: 0,
      };
      const now = Date.now();
      jest.spyOn(Date, 'now').mockReturnValue(now);
      const [old, recent] = [randomUUID(), randomUUID()];
      await db.getRepository(MfaChallenge).insert([
        { ...base, id: old, expiresAt: new Date(now - 86_400_000 - 1) },
        { ...base, id: recent, expiresAt: new Date(now - 86_400_000 + 1000) },
      ]);
      await mfa.issueChallenge(ada);
      expect(await db.getRepository(MfaChallenge).existsBy({ id: old })).toBe(false);
      expect(await db.getRepository(MfaChallenge).existsBy({ id: recent })).toBe(true);
    });
  });

  describe('completing with the app', () => {
    it('a right code completes the challenge once and remembers its time step', async () => {
      const { mfaToken } = await mfa.issueChallenge(ada);
      const epoch = Math.floor(Date.now() / 1000);
      const code = generateSync({ secret: ada.totpSecret as string, epoch });
      const done = await mfa.complete(mfaToken, code, undefined);
      expect(done.method).toBe('totp');
      expect(done.user.id).toBe(ada.id);
      expect((await challengeOf(mfaToken)).completedAt).toBeInstanceOf(Date);
      expect((await reload(ada)).totpLastStep).toBe(Math.floor(epoch / 30));
      const again = await refusal(
        mfa.complete(mfaToken, totp(ada.totpSecret as string, 1), 'totp'),
      );
      expect(again).toMatchObject({
        status: 401,
        code: 'MFA_CHALLENGE_INVALID',
        details: { field: 'mfaToken' },
      });
    });

    it('a code is accepted once: the same code again is refused as reused, and counted', async () => {
      const code = totp(ada.totpSecret as string);
      await mfa.complete((await mfa.issueChallenge(ada)).mfaToken, code, 'totp');
      const { mfaToken } = await mfa.issueChallenge(ada);
      const reused = await refusal(mfa.complete(mfaToken, code, 'totp'));
      expect(reused).toMatchObject({
        status: 401,
        code: 'MFA_CODE_REUSED',
        message: 'This code was already used; wait for the next one',
        details: { field: 'code' },
      });
      expect((await challengeOf(mfaToken)).failures).toBe(1);
      expect(audits().at(-1)).toMatchObject({
        type: 'mfa_failed',
        subject: { kind: 'user', id: ada.id, name: 'ada' },
        payload: { reason: 'MFA_CODE_REUSED' },
      });
      // The next step's code works.
      await expect(
        mfa.complete(mfaToken, totp(ada.totpSecret as string, 1), 'totp'),
      ).resolves.toMatchObject({ method: 'totp' });
    });

    it('of two sign-ins racing with one code, one wins', async () => {
      const code = totp(ada.totpSecret as string);
      const [a, b] = [await mfa.issueChallenge(ada), await mfa.issueChallenge(ada)];
      const results = await Promise.allSettled([
        mfa.complete(a.mfaToken, code, 'totp'),
        mfa.complete(b.mfaToken, code, 'totp'),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect((lost.reason as AppError).getResponse()).toMatchObject({ code: 'MFA_CODE_REUSED' });
    });

    it('a wrong code is refused, recorded and counted; five end the challenge', async () => {
      const { mfaToken } = await mfa.issueChallenge(ada);
      const wrong = await refusal(mfa.complete(mfaToken, '000000', undefined));
      expect(wrong).toMatchObject({
        status: 401,
        code: 'INVALID_MFA_CODE',
        message: 'The code is not valid',
        details: { field: 'code', method: 'totp' },
      });
      expect(audits()).toEqual([
        expect.objectContaining({
          type: 'mfa_failed',
          actor: { userId: ada.id, username: 'ada' },
          payload: { reason: 'INVALID_MFA_CODE' },
        }),
      ]);
      for (let i = 0; i < 4; i++) await refusal(mfa.complete(mfaToken, 'abc', 'totp'));
      expect((await challengeOf(mfaToken)).failures).toBe(5);
      // Even the right code cannot finish a spent challenge.
      expect(
        await refusal(mfa.complete(mfaToken, totp(ada.totpSecret as string), 'totp')),
      ).toMatchObject({ code: 'MFA_CHALLENGE_INVALID' });
      expect((await reload(ada)).totpLastStep).toBeNull();
    });

    it('an account without an app takes no app code', async () => {
      const mailOnly = await account('mail_only', { totpSecret: null });
      await passkey(mailOnly);
      const { mfaToken, methods } = await mfa.issueChallenge(mailOnly);
      expect(methods).toEqual(['passkey', 'email']);
      expect(await refusal(mfa.complete(mfaToken, '123456', undefined))).toMatchObject({
        code: 'INVALID_MFA_CODE',
        details: { field: 'code' },
      });
    });
  });

  describe('the account budget of wrong codes', () => {
    it('past the limit, every challenge of the account answers 429 with Retry-After, the right code too', async () => {
      limits.maxFailuresPerUsername = 3;
      mfa = new MfaService(outbox, config(), undefined as never, new UsersAudit(), db);
      for (let i = 0; i < 3; i++) {
        const { mfaToken } = await mfa.issueChallenge(ada);
        await refusal(mfa.complete(mfaToken, '000000', 'totp'));
      }
      const { mfaToken } = await mfa.issueChallenge(ada);
      const limited = await refusal(mfa.complete(mfaToken, totp(ada.totpSecret as string), 'totp'));
      expect(limited).toMatchObject({ status: 429, code: 'TOO_MANY_MFA_ATTEMPTS' });
      const seconds = limited.details?.retryAfterSeconds as number;
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(900);
      expect(limited.message).toBe(`Too many wrong codes; try again in ${seconds} s`);
      // Another account is not affected.
      const grace = await account('grace');
      await expect(
        mfa.complete(
          (await mfa.issueChallenge(grace)).mfaToken,
          totp(grace.totpSecret as string),
          'totp',
        ),
      ).resolves.toMatchObject({ method: 'totp' });
    });

    it('right codes do not spend the budget', async () => {
      limits.maxFailuresPerUsername = 2;
      mfa = new MfaService(outbox, config(), undefined as never, new UsersAudit(), db);
      await refusal(mfa.complete((await mfa.issueChallenge(ada)).mfaToken, '000000', 'totp'));
      await backupCodes(ada, 'abcde-fghjk', 'mnpqr-stuvw', 'xyz23-45678');
      for (const code of ['abcde-fghjk', 'mnpqr-stuvw', 'xyz23-45678'])
        await mfa.complete((await mfa.issueChallenge(ada)).mfaToken, code, undefined);
      // One wrong code is left before the limit.
      await refusal(mfa.complete((await mfa.issueChallenge(ada)).mfaToken, '000000', 'totp'));
      expect(
        await refusal(mfa.complete((await mfa.issueChallenge(ada)).mfaToken, '000000', 'totp')),
      ).toMatchObject({ status: 429 });
    });
  });

  describe('backup codes', () => {
    it('a backup code completes a sign-in once, whatever its case and dashes', async () => {
      await backupCodes(ada, 'abcde-fghjk', 'mnpqr-stuvw');
      const { mfaToken } = await mfa.issueChallenge(ada);
      const done = await mfa.complete(mfaToken, ' ABCDE-FGHJK'.trim(), undefined);
      expect(done.method).toBe('backup_code');
      expect(audits()).toEqual([
        expect.objectContaining({ type: 'backup_code_used', payload: { backupCodesLeft: 1 } }),
      ]);
      const next = await mfa.issueChallenge(ada);
      expect(await refusal(mfa.complete(next.mfaToken, 'abcdefghjk', 'backup_code'))).toMatchObject(
        {
          status: 401,
          code: 'INVALID_MFA_CODE',
          details: { field: 'code', method: 'backup_code' },
        },
      );
      expect((await challengeOf(next.mfaToken)).failures).toBe(1);
      expect(await db.getRepository(BackupCode).countBy({ userId: ada.id, usedAt: IsNull() })).toBe(
        1,
      );
    });

    it('asked for the app only, a backup code is not taken', async () => {
      await backupCodes(ada, 'abcde-fghjk');
      const { mfaToken } = await mfa.issueChallenge(ada);
      expect(await refusal(mfa.complete(mfaToken, 'abcde-fghjk', 'totp'))).toMatchObject({
        code: 'INVALID_MFA_CODE',
        details: { method: 'totp' },
      });
      await expect(mfa.complete(mfaToken, 'abcde-fghjk', 'backup_code')).resolves.toMatchObject({
        method: 'backup_code',
      });
    });

    it('another account’s backup code is wrong', async () => {
      const grace = await account('grace');
      await backupCodes(grace, 'abcde-fghjk');
      const { mfaToken } = await mfa.issueChallenge(ada);
      expect(await refusal(mfa.complete(mfaToken, 'abcde-fghjk', undefined))).toMatchObject({
        code: 'INVALID_MFA_CODE',
      });
    });
  });

  describe('codes by mail', () => {
    it('mails a six-digit code that completes the challenge once', async () => {
      const { mfaToken } = await mfa.issueChallenge(ada);
      await mfa.mailLoginCode(mfaToken);
      const [code] = await mailedCodes();
      expect(code).toMatch(/^\d{6}$/);
      expect((await mails())[0]).toMatchObject({
        to: { userId: ada.id },
        template: 'login_code',
        data: { name: 'Ada', code },
      });
      const stored = await challengeOf(mfaToken);
      expect(stored).toMatchObject({ emailCodeHash: sha256(code), emailCodesSent: 1 });
      expect(new Date(stored.emailCodeExpiresAt as Date).getTime()).toBeGreaterThan(
        Date.now() + 590_000,
      );
      expect(new Date(stored.emailCodeExpiresAt as Date).getTime()).toBeLessThanOrEqual(
        Date.now() + 600_000,
      );
      // The mailed code is not an app code.
      expect(await refusal(mfa.complete(mfaToken, code, 'totp'))).toMatchObject({
        code: 'INVALID_MFA_CODE',
      });
      await expect(mfa.complete(mfaToken, code, 'email')).resolves.toMatchObject({
        method: 'email',
      });
      expect((await challengeOf(mfaToken)).emailCodeHash).toBeNull();
    });

    it('a wrong, malformed, spent or expired mailed code is refused and counted', async () => {
      const { mfaToken } = await mfa.issueChallenge(ada);
      expect(await refusal(mfa.complete(mfaToken, '123456', 'email'))).toMatchObject({
        status: 401,
        code: 'INVALID_MFA_CODE',
        details: { field: 'code', method: 'email' },
      });
      await mfa.mailLoginCode(mfaToken);
      const [code] = await mailedCodes();
      const other = code === '000000' ? '000001' : '000000';
      expect(await refusal(mfa.complete(mfaToken, other, 'email'))).toMatchObject({
        code: 'INVALID_MFA_CODE',
      });
      expect(await refusal(mfa.complete(mfaToken, ` ${code}`, 'email'))).toMatchObject({
        code: 'INVALID_MFA_CODE',
      });
      expect((await challengeOf(mfaToken)).failures).toBe(3);
      // Ten minutes later the code is no longer good.
      const now = Date.now();
      await db
        .getRepository(MfaChallenge)
        .update({ id: mfaToken.split('.')[0] }, { emailCodeExpiresAt: new Date(now) });
      jest.spyOn(Date, 'now').mockReturnValue(now);
      expect(await refusal(mfa.complete(mfaToken, code, 'email'))).toMatchObject({
        code: 'INVALID_MFA_CODE',
      });
    });

    it('a mailed code completes one challenge even when two requests race with it', async () => {
      const { mfaToken } = await mfa.issueChallenge(ada);
      await mfa.mailLoginCode(mfaToken);
      const [code] = await mailedCodes();
      const results = await Promise.allSettled([
        mfa.complete(mfaToken, code, 'email'),
        mfa.complete(mfaToken, code, 'email'),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it('only to a verified address', async () => {
      const unverified = await account('unverified', { emailVerifiedAt: null });
      const { mfaToken, methods } = await mfa.issueChallenge(unverified);
      expect(methods).toEqual(['totp', 'backup_code']);
      expect(await refusal(mfa.mailLoginCode(mfaToken))).toMatchObject({
        status: 409,
        code: 'EMAIL_NOT_VERIFIED',
      });
      expect(await mailedCodes()).toEqual([]);
    });

    it('three per challenge, without spending the hourly budget on a refusal', async () => {
      limits.codeMailsPerHour = 4;
      mfa = new MfaService(outbox, config(), undefined as never, new UsersAudit(), db);
      const { mfaToken } = await mfa.issueChallenge(ada);
      for (let i = 0; i < 3; i++) await mfa.mailLoginCode(mfaToken);
      const refused = await refusal(mfa.mailLoginCode(mfaToken));
      expect(refused).toMatchObject({
        status: 429,
        code: 'TOO_MANY_EMAIL_CODES',
        message: 'At most 3 codes are mailed per sign-in; log in again for more',
      });
      expect(await mailedCodes()).toHaveLength(3);
      expect((await challengeOf(mfaToken)).emailCodesSent).toBe(3);
      // The refusal gave its mail back: one of the four is left this hour.
      await mfa.mailLoginCode((await mfa.issueChallenge(ada)).mfaToken);
      expect(await mailedCodes()).toHaveLength(4);
    });

    it('a few per account and hour however many sign-ins are started, then 429 with Retry-After', async () => {
      limits.codeMailsPerHour = 2;
      mfa = new MfaService(outbox, config(), undefined as never, new UsersAudit(), db);
      for (let i = 0; i < 2; i++) await mfa.mailLoginCode((await mfa.issueChallenge(ada)).mfaToken);
      const refused = await refusal(mfa.mailLoginCode((await mfa.issueChallenge(ada)).mfaToken));
      expect(refused).toMatchObject({ status: 429, code: 'TOO_MANY_EMAIL_CODES' });
      const seconds = refused.details?.retryAfterSeconds as number;
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(3600);
      expect(refused.message).toBe(
        `Enough sign-in codes were mailed to this account for now; use your app or a backup code, or try again in ${seconds} s`,
      );
      expect(await mailedCodes()).toHaveLength(2);
    });
  });

  describe('the token', () => {
    it('a tampered, malformed or unknown token is refused', async () => {
      const { mfaToken } = await mfa.issueChallenge(ada);
      const [id] = mfaToken.split('.');
      for (const token of [
        `${id}.wrong-secret`,
        `${id}.`,
        id,
        `not-a-uuid.${mfaToken.split('.')[1]}`,
        `${randomUUID()}.${mfaToken.split('.')[1]}`,
      ]) {
        expect(await refusal(mfa.complete(token, totp(ada.totpSecret as string), 'totp'))).toEqual(
          expect.objectContaining({
            status: 401,
            code: 'MFA_CHALLENGE_INVALID',
            message:
              'This sign-in has expired, was completed, or had too many wrong codes; log in again',
            details: { field: 'mfaToken' },
          }),
        );
        expect(await refusal(mfa.mailLoginCode(token))).toMatchObject({
          code: 'MFA_CHALLENGE_INVALID',
        });
      }
      expect((await challengeOf(mfaToken)).failures).toBe(0);
    });

    it('expires after five minutes', async () => {
      const now = Date.now();
      jest.spyOn(Date, 'now').mockReturnValue(now);
      const { mfaToken } = await mfa.issueChallenge(ada);
      jest.spyOn(Date, 'now').mockReturnValue(now + 299_999);
      await mfa.mailLoginCode(mfaToken);
      jest.spyOn(Date, 'now').mockReturnValue(now + 300_000);
      expect(await refusal(mfa.mailLoginCode(mfaToken))).toMatchObject({
        code: 'MFA_CHALLENGE_INVALID',
      });
    });

    it('a disabled account cannot complete its sign-in', async () => {
      const { mfaToken } = await mfa.issueChallenge(ada);
      await db.getRepository(User).update({ id: ada.id }, { enabled: false });
      expect(
        await refusal(mfa.complete(mfaToken, totp(ada.totpSecret as string), 'totp')),
      ).toMatchObject({ status: 403, code: 'ACCOUNT_DISABLED' });
    });
  });

  describe('passkeys', () => {
    it('the passkey must be the account’s: another account’s is refused and counted', async () => {
      const grace = await account('grace');
      const { mfaToken } = await mfa.issueChallenge(ada);
      const refused = await refusal(
        mfa.completeWithPasskey(mfaToken, () => Promise.resolve(grace)),
      );
      expect(refused).toMatchObject({
        status: 401,
        code: 'PASSKEY_REJECTED',
        details: { field: 'credential' },
      });
      expect((await challengeOf(mfaToken)).failures).toBe(1);
      expect(await mfa.completeWithPasskey(mfaToken, () => Promise.resolve(ada))).toBe(ada);
      expect(
        await refusal(mfa.completeWithPasskey(mfaToken, () => Promise.resolve(ada))),
      ).toMatchObject({ code: 'MFA_CHALLENGE_INVALID' });
    });
  });

  describe('outside a sign-in', () => {
    it('proves a current code or a backup code, with the same budget', async () => {
      limits.maxFailuresPerUsername = 1;
      mfa = new MfaService(outbox, config(), undefined as never, new UsersAudit(), db);
      await backupCodes(ada, 'abcde-fghjk');
      await mfa.proveCode(ada, totp(ada.totpSecret as string));
      await mfa.proveCode(ada, 'abcde-fghjk');
      expect(await refusal(mfa.proveCode(ada, '000000'))).toMatchObject({ status: 401 });
      expect(
        await refusal(mfa.proveCode(await reload(ada), totp(ada.totpSecret as string, 1))),
      ).toMatchObject({ status: 429, code: 'TOO_MANY_MFA_ATTEMPTS' });
    });
  });
});
