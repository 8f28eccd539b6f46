import type { DataSource } from 'typeorm';
import type { User } from '../accounts/user.entity';
import { appCode, refusal, reload, testConfig, usersServices } from '../users-services.spec-helper';
import { MfaChallenge } from './mfa-challenge.entity';
import type { TwoFactorChallenges } from './two-factor-challenges.service';
import type { TwoFactorEnrolment } from './two-factor-enrolment.service';

describe('TwoFactorChallenges (real SQLite, in memory): the second step of a login', () => {
  let services: Awaited<ReturnType<typeof usersServices>>;
  let db: DataSource;
  let challenges: TwoFactorChallenges;
  let enrolment: TwoFactorEnrolment;

  /** An account with an app enrolled (its last accepted step is the current one). */
  async function withApp(options: { emailVerified?: boolean } = {}) {
    const user = await services.customer(options);
    const { secret } = await enrolment.startTotp(user.id);
    const backupCodes = await enrolment.confirmTotp(user.id, appCode(secret), undefined);
    return { user: await reload(db, user.id), secret, backupCodes };
  }

  const failuresOf = async (mfaToken: string) =>
    (await db.manager.findOneByOrFail(MfaChallenge, { id: mfaToken.split('.')[0] })).failures;

  beforeAll(async () => {
    services = await usersServices();
    db = services.db;
    challenges = services.challenges;
    enrolment = services.enrolment;
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
    const { mfaToken } = await challenges.issue(user);
    const before = services.auditTypes().filter((t) => t === 'mfa_failed').length;
    for (let i = 0; i < 5; i++) {
      const wrong = await refusal(challenges.complete(mfaToken, '000000', 'totp'));
      expect(wrong).toMatchObject({ status: 401, code: 'INVALID_MFA_CODE' });
      expect(wrong.details).toEqual({ field: 'code', method: 'totp' });
    }
    expect(await failuresOf(mfaToken)).toBe(5);
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
});
