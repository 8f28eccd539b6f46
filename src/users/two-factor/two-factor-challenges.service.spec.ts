import crypto, { randomUUID } from 'node:crypto';
import { generateSync } from 'otplib';
import { type DataSource, IsNull } from 'typeorm';
import type { AppError } from '@mfm/platform/errors/error-body';
import { User } from '../accounts/user.entity';
import { Passkey } from '../passkeys/passkey.entity';
import { sha256 } from '../secret-hash';
import { appCode, refusal, reload, testConfig, usersServices } from '../users-services.spec-helper';
import { BackupCode } from './backup-code.entity';
import { MfaChallenge } from './mfa-challenge.entity';
import type { TwoFactorChallenges } from './two-factor-challenges.service';

describe('TwoFactorChallenges (real SQLite, in memory): the second step of a login', () => {
  let services: Awaited<ReturnType<typeof usersServices>>;
  let db: DataSource;
  let challenges: TwoFactorChallenges;

  const withApp = (options: { emailVerified?: boolean } = {}) => services.withApp(options);

  const challengeOf = (mfaToken: string) =>
    db.manager.findOneByOrFail(MfaChallenge, { id: mfaToken.split('.')[0] });
  const passkeyFor = (user: User) =>
    db.manager.insert(Passkey, {
      id: randomUUID(),
      userId: user.id,
      name: 'Laptop',
      publicKey: 'key',
      counter: 0,
      transports: '',
      lastUsedAt: null,
    });
  /** The sign-in codes mailed since `before` mails. */
  const loginCodes = async (before = 0) =>
    (await services.mails())
      .filter((m) => m.template === 'login_code')
      .slice(before)
      .map((m) => m.data.code);
  const mailedSoFar = async () => (await loginCodes()).length;

  afterEach(() => jest.restoreAllMocks());

  const failuresOf = async (mfaToken: string) =>
    (await db.manager.findOneByOrFail(MfaChallenge, { id: mfaToken.split('.')[0] })).failures;

  beforeAll(async () => {
    services = await usersServices();
    db = services.db;
    challenges = services.challenges;
  });

  afterAll(async () => {
    await services.close();
  });

  it('asks a second step only of an account with a factor, and offers its methods', async () => {
    const plain = await services.customer();
    expect(await challenges.hasSecondFactor(plain)).toBe(false);

    const { user } = await withApp({ emailVerified: true });
    expect(await challenges.hasSecondFactor(user)).toBe(true);
    const issued = await challenges.issue(user);
    expect(issued).toMatchObject({ mfaRequired: true, expiresIn: 300 });
    expect(issued.methods).toEqual(['totp', 'backup_code', 'email']);
    expect(issued.mfaToken).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]+$/);
  });

  it('completes once with a code of the app; the challenge and the code then stop working', async () => {
    const { user, secret } = await withApp();
    const code = appCode(secret, 1); // the enrolment took the current step
    const first = await challenges.issue(user);
    const done = await challenges.complete(first.mfaToken, code, undefined);
    expect(done).toMatchObject({ user: { id: user.id }, method: 'totp' });

    const again = await refusal(challenges.complete(first.mfaToken, code, undefined));
    expect(again).toMatchObject({ status: 401, code: 'MFA_CHALLENGE_INVALID' });
    expect(again.details).toEqual({ field: 'mfaToken' });

    const second = await challenges.issue(user);
    const replay = await refusal(challenges.complete(second.mfaToken, code, undefined));
    expect(replay).toMatchObject({
      status: 401,
      code: 'MFA_CODE_REUSED',
      message: 'This code was already used; wait for the next one',
    });
  });

  it('refuses and counts wrong codes: five spend the challenge, each is audited', async () => {
    const { user, secret } = await withApp();
    const other = await challenges.issue(user);
    const { mfaToken } = await challenges.issue(user);
    const before = services.auditTypes().filter((t) => t === 'mfa_failed').length;
    for (let i = 0; i < 5; i++) {
      const wrong = await refusal(challenges.complete(mfaToken, '000000', 'totp'));
      expect(wrong).toMatchObject({ status: 401, code: 'INVALID_MFA_CODE' });
      expect(wrong.details).toEqual({ field: 'code', method: 'totp' });
    }
    expect(await failuresOf(mfaToken)).toBe(5);
    // Another sign-in of the account keeps its own tries.
    expect(await failuresOf(other.mfaToken)).toBe(0);
    expect(services.auditTypes().filter((t) => t === 'mfa_failed').length - before).toBe(5);
    // Even the right code no longer completes it.
    const spent = await refusal(challenges.complete(mfaToken, appCode(secret, 1), undefined));
    expect(spent.code).toBe('MFA_CHALLENGE_INVALID');
  });

  it('limits wrong codes per account across challenges, with the seconds to wait', async () => {
    const { user } = await withApp();
    const limit = testConfig.login.maxFailuresPerUsername;
    for (let i = 0; i < limit; i++) {
      const { mfaToken } = await challenges.issue(user);
      expect((await refusal(challenges.complete(mfaToken, '111111', undefined))).code).toBe(
        'INVALID_MFA_CODE',
      );
    }
    const { mfaToken } = await challenges.issue(user);
    const blocked = await refusal(challenges.complete(mfaToken, '111111', undefined));
    expect(blocked).toMatchObject({ status: 429, code: 'TOO_MANY_MFA_ATTEMPTS' });
    const seconds = blocked.details?.retryAfterSeconds as number;
    expect(seconds).toBeGreaterThan(0);
    expect(blocked.message).toBe(`Too many wrong codes; try again in ${seconds} s`);
    // The refusal by the limit is not a wrong code: the challenge keeps its tries.
    expect(await failuresOf(mfaToken)).toBe(0);
  });

  it('refuses an expired challenge and a token whose secret is wrong', async () => {
    const { user, secret } = await withApp();
    const { mfaToken } = await challenges.issue(user);
    const [id] = mfaToken.split('.');
    const forged = `${id}.${'A'.repeat(32)}`;
    expect((await refusal(challenges.complete(forged, appCode(secret, 1), 'totp'))).code).toBe(
      'MFA_CHALLENGE_INVALID',
    );
    await db.manager.update(MfaChallenge, { id }, { expiresAt: new Date(Date.now() - 1000) });
    const expired = await refusal(challenges.complete(mfaToken, appCode(secret, 1), 'totp'));
    expect(expired).toMatchObject({
      status: 401,
      code: 'MFA_CHALLENGE_INVALID',
      message: 'This sign-in has expired, was completed, or had too many wrong codes; log in again',
    });
  });

  it('takes a backup code once', async () => {
    const { user, backupCodes } = await withApp();
    const first = await challenges.issue(user);
    const done = await challenges.complete(first.mfaToken, backupCodes[0].toUpperCase(), undefined);
    expect(done.method).toBe('backup_code');
    expect(services.auditTypes()).toContain('backup_code_used');

    const second = await challenges.issue(user);
    const reused = await refusal(challenges.complete(second.mfaToken, backupCodes[0], undefined));
    expect(reused).toMatchObject({ status: 401, code: 'INVALID_MFA_CODE' });
    expect(reused.details).toEqual({ field: 'code', method: 'backup_code' });
  });

  it('mails codes only to a verified address, three per challenge, each working once', async () => {
    const unverified = await withApp();
    const refusedMail = await refusal(
      challenges.mailLoginCode((await challenges.issue(unverified.user)).mfaToken),
    );
    expect(refusedMail).toMatchObject({ status: 409, code: 'EMAIL_NOT_VERIFIED' });

    const { user } = await withApp({ emailVerified: true });
    const { mfaToken } = await challenges.issue(user);
    const mailedBefore = (await services.mails()).filter((m) => m.template === 'login_code').length;
    for (let i = 0; i < 3; i++) await challenges.mailLoginCode(mfaToken);
    const codes = (await services.mails())
      .filter((m) => m.template === 'login_code')
      .slice(mailedBefore)
      .map((m) => m.data.code);
    expect(codes).toHaveLength(3);
    expect(codes.every((code) => /^\d{6}$/.test(code))).toBe(true);

    const fourth = await refusal(challenges.mailLoginCode(mfaToken));
    expect(fourth).toMatchObject({
      status: 429,
      code: 'TOO_MANY_EMAIL_CODES',
      message: 'At most 3 codes are mailed per sign-in; log in again for more',
    });

    // Only the latest mailed code counts, and only once.
    const older = codes[1] === codes[2] ? undefined : codes[1];
    if (older) {
      const stale = await refusal(challenges.complete(mfaToken, older, 'email'));
      expect(stale.details).toEqual({ field: 'code', method: 'email' });
    }
    const done = await challenges.complete(mfaToken, codes[2], 'email');
    expect(done.method).toBe('email');
  });

  it('limits mailed codes per account over every login, with the seconds to wait', async () => {
    const { user } = await withApp({ emailVerified: true });
    for (let i = 0; i < testConfig.login.codeMailsPerHour; i++)
      await challenges.mailLoginCode((await challenges.issue(user)).mfaToken);
    const blocked = await refusal(
      challenges.mailLoginCode((await challenges.issue(user)).mfaToken),
    );
    expect(blocked).toMatchObject({ status: 429, code: 'TOO_MANY_EMAIL_CODES' });
    expect(blocked.message).toMatch(
      /^Enough sign-in codes were mailed to this account for now; use your app or a backup code, or try again in \d+ s$/,
    );
    expect(blocked.details?.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("refuses another account's passkey as the second step, and counts it", async () => {
    const { user } = await withApp();
    const someoneElse: User = await services.customer();
    const { mfaToken } = await challenges.issue(user);
    const foreign = await refusal(
      challenges.completeWithPasskey(mfaToken, () => Promise.resolve(someoneElse)),
    );
    expect(foreign).toMatchObject({
      status: 401,
      code: 'PASSKEY_REJECTED',
      message: 'This passkey belongs to another account',
    });
    expect(foreign.details).toEqual({ field: 'credential' });
    expect(await failuresOf(mfaToken)).toBe(1);
    // The account's own passkey then completes it, once.
    expect((await challenges.completeWithPasskey(mfaToken, () => Promise.resolve(user))).id).toBe(
      user.id,
    );
    expect(
      (await refusal(challenges.completeWithPasskey(mfaToken, () => Promise.resolve(user)))).code,
    ).toBe('MFA_CHALLENGE_INVALID');
  });

  it('refuses a disabled account even with the right code', async () => {
    const { user, secret } = await withApp();
    const { mfaToken } = await challenges.issue(user);
    await services.accounts.update(
      user.id,
      { enabled: false },
      { userId: '00000000-0000-4000-8000-0000000000aa', username: 'manager' },
    );
    const disabled = await refusal(challenges.complete(mfaToken, appCode(secret, 1), 'totp'));
    expect(disabled).toMatchObject({ status: 403, code: 'ACCOUNT_DISABLED' });
  });

  it('keeps only a hash of the secret, for five minutes, and offers a passkey when the account has one', async () => {
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now);
    const { user } = await withApp();
    const issued = await challenges.issue(user);
    const stored = await challengeOf(issued.mfaToken);
    expect(stored).toMatchObject({
      userId: user.id,
      secretHash: sha256(issued.mfaToken.split('.')[1]),
      failures: 0,
      completedAt: null,
      emailCodeHash: null,
      emailCodesSent: 0,
    });
    expect(new Date(stored.expiresAt).getTime()).toBe(now + 300_000);

    const keyOnly = await services.customer();
    await passkeyFor(keyOnly);
    expect(await challenges.hasSecondFactor(keyOnly)).toBe(true);
    expect((await challenges.issue(keyOnly)).methods).toEqual(['passkey']);
    await passkeyFor(user);
    expect((await challenges.issue(user)).methods).toEqual(['totp', 'backup_code', 'passkey']);
  });

  it('drops challenges a day past their end, and keeps younger ones', async () => {
    const { user } = await withApp();
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now);
    const base = {
      userId: user.id,
      secretHash: sha256('x'),
      failures: 0,
      completedAt: null,
      emailCodeHash: null,
      emailCodeExpiresAt: null,
      emailCodesSent: 0,
    };
    const [old, recent] = [randomUUID(), randomUUID()];
    await db.manager.insert(MfaChallenge, [
      { ...base, id: old, expiresAt: new Date(now - 86_400_000 - 1) },
      { ...base, id: recent, expiresAt: new Date(now - 86_400_000 + 1000) },
    ]);
    await challenges.issue(user);
    expect(await db.manager.existsBy(MfaChallenge, { id: old })).toBe(false);
    expect(await db.manager.existsBy(MfaChallenge, { id: recent })).toBe(true);
  });

  it('an app code remembers its time step; a reused one is counted and audited, the next step works', async () => {
    const { user, secret } = await withApp();
    // The next step's code (the enrolment took the current one), and that step's number.
    const epoch = Math.floor(Date.now() / 1000) + 30;
    const code = generateSync({ secret, epoch });
    const step = Math.floor(epoch / 30);
    const first = await challenges.issue(user);
    await challenges.complete(first.mfaToken, code, 'totp');
    expect((await challengeOf(first.mfaToken)).completedAt).toBeInstanceOf(Date);
    expect((await reload(db, user.id)).totpLastStep).toBe(step);

    const { mfaToken } = await challenges.issue(user);
    const audited = services.auditTypes().length;
    const reused = await refusal(challenges.complete(mfaToken, code, 'totp'));
    expect(reused).toMatchObject({ status: 401, code: 'MFA_CODE_REUSED' });
    expect(reused.details).toEqual({ field: 'code' });
    expect(await failuresOf(mfaToken)).toBe(1);
    expect(services.auditTypes().slice(audited)).toEqual(['mfa_failed']);
    // A wrong code leaves the remembered step as it was.
    await refusal(challenges.complete(mfaToken, '000000', 'totp'));
    expect((await reload(db, user.id)).totpLastStep).toBe(step);
  });

  it('of two sign-ins racing with one app code, one wins', async () => {
    const { user, secret } = await withApp();
    const code = appCode(secret, 1);
    const [a, b] = [await challenges.issue(user), await challenges.issue(user)];
    const results = await Promise.allSettled([
      challenges.complete(a.mfaToken, code, 'totp'),
      challenges.complete(b.mfaToken, code, 'totp'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as AppError).getResponse()).toMatchObject({ code: 'MFA_CODE_REUSED' });
  });

  it('an account without an app takes no app code', async () => {
    const keyOnly = await services.customer({ emailVerified: true });
    await passkeyFor(keyOnly);
    const { mfaToken, methods } = await challenges.issue(keyOnly);
    expect(methods).toEqual(['passkey', 'email']);
    const refused = await refusal(challenges.complete(mfaToken, '123456', undefined));
    expect(refused).toMatchObject({ status: 401, code: 'INVALID_MFA_CODE' });
    expect(refused.details).toEqual({ field: 'code' });
  });

  it('right codes do not spend the account budget of wrong codes', async () => {
    const { user, backupCodes } = await withApp();
    const limit = testConfig.login.maxFailuresPerUsername;
    for (let i = 0; i < limit - 1; i++)
      await refusal(challenges.complete((await challenges.issue(user)).mfaToken, '000000', 'totp'));
    for (const code of backupCodes.slice(0, 3))
      await challenges.complete((await challenges.issue(user)).mfaToken, code, undefined);
    // One wrong code is left before the limit.
    expect(
      (await refusal(challenges.complete((await challenges.issue(user)).mfaToken, '0', 'totp')))
        .status,
    ).toBe(401);
    expect(
      (await refusal(challenges.complete((await challenges.issue(user)).mfaToken, '0', 'totp')))
        .status,
    ).toBe(429);
  });

  it('a backup code is taken whatever its case and dashes, and only where one is asked for', async () => {
    const { user, backupCodes } = await withApp();
    const left = () => db.manager.countBy(BackupCode, { userId: user.id, usedAt: IsNull() });
    const before = await left();
    const { mfaToken } = await challenges.issue(user);
    const appOnly = await refusal(challenges.complete(mfaToken, backupCodes[0], 'totp'));
    expect(appOnly).toMatchObject({ code: 'INVALID_MFA_CODE', details: { method: 'totp' } });
    const undashed = backupCodes[0].replace(/-/g, '').toUpperCase();
    expect((await challenges.complete(mfaToken, undashed, 'backup_code')).method).toBe(
      'backup_code',
    );
    expect(await left()).toBe(before - 1);

    // Another account's backup code is a wrong code.
    const other = await withApp();
    const foreign = await refusal(
      challenges.complete((await challenges.issue(other.user)).mfaToken, backupCodes[1], undefined),
    );
    expect(foreign).toMatchObject({ code: 'INVALID_MFA_CODE', details: { method: 'backup_code' } });
  });

  it('a mailed code goes to the account, lasts ten minutes, is no app code, and is spent once used', async () => {
    const { user } = await withApp({ emailVerified: true });
    const { mfaToken } = await challenges.issue(user);
    const before = await mailedSoFar();
    await challenges.mailLoginCode(mfaToken);
    const mail = (await services.mails()).filter((m) => m.template === 'login_code').at(-1);
    const [code] = await loginCodes(before);
    expect(mail).toMatchObject({ to: { userId: user.id }, data: { name: 'Test', code } });
    const stored = await challengeOf(mfaToken);
    expect(stored).toMatchObject({ emailCodeHash: sha256(code), emailCodesSent: 1 });
    const expires = new Date(stored.emailCodeExpiresAt as Date).getTime();
    expect(expires).toBeGreaterThan(Date.now() + 590_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 600_000);
    expect((await refusal(challenges.complete(mfaToken, code, 'totp'))).code).toBe(
      'INVALID_MFA_CODE',
    );
    expect((await challenges.complete(mfaToken, code, 'email')).method).toBe('email');
    expect((await challengeOf(mfaToken)).emailCodeHash).toBeNull();
  });

  it('a wrong, malformed or expired mailed code is refused and counted', async () => {
    const { user } = await withApp({ emailVerified: true });
    const { mfaToken } = await challenges.issue(user);
    const none = await refusal(challenges.complete(mfaToken, '123456', 'email'));
    expect(none).toMatchObject({ status: 401, code: 'INVALID_MFA_CODE' });
    expect(none.details).toEqual({ field: 'code', method: 'email' });
    const before = await mailedSoFar();
    await challenges.mailLoginCode(mfaToken);
    const [code] = await loginCodes(before);
    const other = code === '000000' ? '000001' : '000000';
    for (const wrong of [other, ` ${code}`, `${code}0`])
      expect((await refusal(challenges.complete(mfaToken, wrong, 'email'))).code).toBe(
        'INVALID_MFA_CODE',
      );
    expect(await failuresOf(mfaToken)).toBe(4);
    // At its end the code is no longer good.
    const now = Date.now();
    await db.manager.update(
      MfaChallenge,
      { id: mfaToken.split('.')[0] },
      { emailCodeExpiresAt: new Date(now) },
    );
    jest.spyOn(Date, 'now').mockReturnValue(now);
    expect((await refusal(challenges.complete(mfaToken, code, 'email'))).code).toBe(
      'INVALID_MFA_CODE',
    );
  });

  it('a mailed code completes the challenge once when two requests race with it', async () => {
    const { user } = await withApp({ emailVerified: true });
    const { mfaToken } = await challenges.issue(user);
    const before = await mailedSoFar();
    await challenges.mailLoginCode(mfaToken);
    const [code] = await loginCodes(before);
    const results = await Promise.allSettled([
      challenges.complete(mfaToken, code, 'email'),
      challenges.complete(mfaToken, code, 'email'),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });

  it('offers no mailed code to an unverified address, and mails none', async () => {
    const { user } = await withApp();
    const { mfaToken, methods } = await challenges.issue(user);
    expect(methods).toEqual(['totp', 'backup_code']);
    const before = await mailedSoFar();
    await refusal(challenges.mailLoginCode(mfaToken));
    expect(await mailedSoFar()).toBe(before);
  });

  it('a mail refused by the challenge’s own limit gives the hour its place back', async () => {
    const { user } = await withApp({ emailVerified: true });
    const perHour = testConfig.login.codeMailsPerHour;
    const { mfaToken } = await challenges.issue(user);
    for (let i = 0; i < 3; i++) await challenges.mailLoginCode(mfaToken);
    await refusal(challenges.mailLoginCode(mfaToken));
    expect((await challengeOf(mfaToken)).emailCodesSent).toBe(3);
    for (let i = 3; i < perHour; i++)
      await challenges.mailLoginCode((await challenges.issue(user)).mfaToken);
    expect(
      (await refusal(challenges.mailLoginCode((await challenges.issue(user)).mfaToken))).message,
    ).toMatch(/^Enough sign-in codes/);
  });

  it('refuses a tampered, malformed or unknown token, counting nothing', async () => {
    const { user, secret } = await withApp({ emailVerified: true });
    const { mfaToken } = await challenges.issue(user);
    const [id, tokenSecret] = mfaToken.split('.');
    for (const token of [
      `${id}.wrong-secret`,
      `${id}.`,
      id,
      `not-a-uuid.${tokenSecret}`,
      `${randomUUID()}.${tokenSecret}`,
    ]) {
      const refused = await refusal(challenges.complete(token, appCode(secret, 1), 'totp'));
      expect(refused).toMatchObject({ status: 401, code: 'MFA_CHALLENGE_INVALID' });
      expect(refused.details).toEqual({ field: 'mfaToken' });
      expect((await refusal(challenges.mailLoginCode(token))).code).toBe('MFA_CHALLENGE_INVALID');
    }
    expect(await failuresOf(mfaToken)).toBe(0);
  });

  it('a challenge lasts five minutes to the millisecond', async () => {
    const { user } = await withApp({ emailVerified: true });
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now);
    const { mfaToken } = await challenges.issue(user);
    jest.spyOn(Date, 'now').mockReturnValue(now + 299_999);
    await challenges.mailLoginCode(mfaToken);
    jest.spyOn(Date, 'now').mockReturnValue(now + 300_000);
    expect((await refusal(challenges.mailLoginCode(mfaToken))).code).toBe('MFA_CHALLENGE_INVALID');
  });

  it('outside a sign-in, proves an app code or a backup code under the same budget', async () => {
    const { user, secret, backupCodes } = await withApp();
    expect(await services.codes.prove(user, appCode(secret, 1), ['totp', 'backup_code'])).toBe(
      'totp',
    );
    expect(await services.codes.prove(user, backupCodes[0], ['totp', 'backup_code'])).toBe(
      'backup_code',
    );
    const limit = testConfig.login.maxFailuresPerUsername;
    for (let i = 0; i < limit; i++)
      expect((await refusal(services.codes.prove(user, '000000', ['totp']))).status).toBe(401);
    const fresh = await reload(db, user.id);
    expect(await refusal(services.codes.prove(fresh, appCode(secret, -1), ['totp']))).toMatchObject(
      { status: 429, code: 'TOO_MANY_MFA_ATTEMPTS' },
    );
  });

  it("another account's passkey neither asks a second step nor is offered", async () => {
    await passkeyFor(await services.customer());
    const plain = await services.customer();
    expect(await challenges.hasSecondFactor(plain)).toBe(false);
    const { user } = await withApp();
    expect((await challenges.issue(user)).methods).toEqual(['totp', 'backup_code']);
  });

  it('of two passkeys completing one challenge at once, one wins', async () => {
    const { user } = await withApp();
    const { mfaToken } = await challenges.issue(user);
    // Both assertions are checked before either completes the challenge.
    let checked = 0;
    let bothChecked: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (bothChecked = resolve));
    const assert = async () => {
      checked += 1;
      if (checked === 2) bothChecked();
      await gate;
      return user;
    };
    const results = await Promise.allSettled([
      challenges.completeWithPasskey(mfaToken, assert),
      challenges.completeWithPasskey(mfaToken, assert),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((lost.reason as AppError).getResponse()).toMatchObject({
      code: 'MFA_CHALLENGE_INVALID',
    });
  });

  it('a mailed code is six digits, with its leading zeros, and works as mailed', async () => {
    const { user } = await withApp({ emailVerified: true });
    const { mfaToken } = await challenges.issue(user);
    const before = await mailedSoFar();
    jest.spyOn(crypto, 'randomInt').mockImplementation(() => 42);
    await challenges.mailLoginCode(mfaToken);
    jest.restoreAllMocks();
    expect(await loginCodes(before)).toEqual(['000042']);
    expect((await challenges.complete(mfaToken, '000042', 'email')).method).toBe('email');
  });
});
