import { JwtService } from '@nestjs/jwt';
import type { DataSource } from 'typeorm';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import type { User } from '../accounts/user.entity';
import type { TwoFactorEnrolment } from '../two-factor/two-factor-enrolment.service';
import {
  appCode,
  PASSWORD,
  refusal,
  reload,
  testConfig,
  usersServices,
} from '../users-services.spec-helper';
import { AccessTokensService } from './access-tokens.service';
import { AuthService } from './auth.service';
import { Session } from './session.entity';
import { SessionsService } from './sessions.service';
import { SigningKey } from './signing-key.entity';
import { SigningKeysService } from './signing-keys.service';

const address = '192.0.2.44';
const manager = { userId: '00000000-0000-4000-8000-0000000000aa', username: 'manager' };

describe('AuthService (real SQLite, in memory): login, refresh, logout and the token check', () => {
  let services: Awaited<ReturnType<typeof usersServices>>;
  let db: DataSource;
  let auth: AuthService;
  let enrolment: TwoFactorEnrolment;

  const tokensOf = async (user: User) => {
    const outcome = await auth.login(user.username, PASSWORD, address);
    if ('mfaRequired' in outcome) throw new Error('expected tokens');
    return outcome;
  };

  beforeAll(async () => {
    services = await usersServices();
    db = services.db;
    const keys = new SigningKeysService(db.getRepository(SigningKey), new TransactionRunner(db));
    await keys.onModuleInit();
    const sessions = new SessionsService(db.getRepository(Session), services.outbox, testConfig);
    enrolment = services.enrolment;
    auth = new AuthService(
      services.accounts,
      services.hasher,
      new AccessTokensService(new JwtService({}), keys, testConfig),
      sessions,
      services.throttle,
      services.audit,
      services.challenges,
    );
  });

  afterAll(async () => {
    await services.close();
  });

  it('signs in by username or address with the password alone when there is no second factor', async () => {
    const user = await services.customer();
    const pair = await tokensOf(user);
    expect(pair).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, refreshExpiresIn: 3600 });
    expect(pair.user).toMatchObject({ id: user.id, username: user.username });
    expect(await auth.verify(pair.accessToken)).toMatchObject({
      userId: user.id,
      role: 'customer',
      mfa: false,
    });
    const byEmail = await auth.login(user.email, PASSWORD, address);
    expect('accessToken' in byEmail).toBe(true);
  });

  it('answers a wrong password and an unknown name alike', async () => {
    const user = await services.customer();
    const wrong = await refusal(auth.login(user.username, 'Not-The-One-1', address));
    const unknown = await refusal(auth.login('nobody_here', PASSWORD, address));
    expect(wrong).toEqual(unknown);
    expect(wrong).toMatchObject({
      status: 401,
      code: 'INVALID_CREDENTIALS',
      message: 'Wrong username or password',
    });
  });

  it('stops an account after its limit of wrong passwords, even with the right one', async () => {
    const user = await services.customer();
    for (let i = 0; i < testConfig.login.maxFailuresPerUsername; i++)
      await refusal(auth.login(user.username, `Wrong-Guess-${i}`, address));
    const blocked = await refusal(auth.login(user.username, PASSWORD, address));
    expect(blocked).toMatchObject({ status: 429, code: 'TOO_MANY_LOGIN_ATTEMPTS' });
    const seconds = blocked.details?.retryAfterSeconds as number;
    expect(seconds).toBeGreaterThan(0);
    expect(blocked.message).toBe(`Too many failed logins; try again in ${seconds} s`);
    // Another account from the same address still signs in.
    expect((await tokensOf(await services.customer())).accessToken).toBeTruthy();
  });

  it('gives an account with an app a challenge, and multi-factor tokens after the code', async () => {
    const user = await services.customer();
    const { secret } = await enrolment.startTotp(user.id);
    await enrolment.confirmTotp(user.id, appCode(secret), undefined);
    const outcome = await auth.login(user.username, PASSWORD, address);
    expect(outcome).toMatchObject({ mfaRequired: true, methods: ['totp', 'backup_code'] });
    if (!('mfaRequired' in outcome)) throw new Error('expected a challenge');
    const pair = await auth.completeMfaLogin(outcome.mfaToken, appCode(secret, 1), undefined);
    expect(await auth.verify(pair.accessToken)).toMatchObject({ userId: user.id, mfa: true });
  });

  it('refreshes once per token; a reused one ends the session and its access tokens', async () => {
    const user = await services.customer();
    const first = await tokensOf(user);
    const second = await auth.refresh(first.refreshToken as string);
    expect(second.refreshToken).not.toBe(first.refreshToken);

    const reused = await refusal(auth.refresh(first.refreshToken as string));
    expect(reused).toMatchObject({ status: 401, code: 'REFRESH_TOKEN_REUSED' });
    expect(await refusal(auth.verify(second.accessToken))).toMatchObject({
      status: 401,
      code: 'TOKEN_REVOKED',
    });
    expect((await refusal(auth.refresh(second.refreshToken as string))).status).toBe(401);
  });

  it('logs out by the access token or by the refresh token', async () => {
    const user = await services.customer();
    const byAccess = await tokensOf(user);
    await auth.logout(byAccess.accessToken);
    expect((await refusal(auth.verify(byAccess.accessToken))).code).toBe('TOKEN_REVOKED');

    const byRefresh = await tokensOf(user);
    await auth.logoutWithRefreshToken(byRefresh.refreshToken as string);
    expect((await refusal(auth.verify(byRefresh.accessToken))).code).toBe('TOKEN_REVOKED');
    expect(await refusal(auth.logoutWithRefreshToken('not.a-token'))).toMatchObject({
      status: 401,
      code: 'INVALID_REFRESH_TOKEN',
    });
  });

  it('stops the tokens of an account that is disabled or changes role', async () => {
    const disabled = await services.customer();
    const pair = await tokensOf(disabled);
    await services.accounts.update(disabled.id, { enabled: false }, manager);
    expect(await refusal(auth.verify(pair.accessToken))).toMatchObject({
      status: 401,
      code: 'ACCOUNT_DISABLED',
    });
    expect(await refusal(auth.login(disabled.username, PASSWORD, address))).toMatchObject({
      status: 403,
      code: 'ACCOUNT_DISABLED',
    });
    expect((await refusal(auth.refresh(pair.refreshToken as string))).code).toBe(
      'INVALID_REFRESH_TOKEN',
    );

    const promoted = await services.customer();
    const before = await tokensOf(promoted);
    await services.accounts.update(promoted.id, { role: 'employee' }, manager);
    expect((await reload(db, promoted.id)).role).toBe('employee');
    expect(await refusal(auth.verify(before.accessToken))).toMatchObject({
      status: 401,
      code: 'ROLE_CHANGED',
    });
  });
});
