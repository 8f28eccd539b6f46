import { DEMO, login, newCustomer, stepUp } from '../support/accounts';
import type { ErrorBody, LoginAnswer, ProductPage, Schema } from '../support/api-types';
import { TestAuthenticator } from '../support/authenticator';
import { codeIn, MailFolder } from '../support/mail';
import { Store, BEHAVIOUR_TOPOLOGIES } from '../support/store';
import { auditTypes as auditTypesOf } from '../support/audit-log';

/**
 * Two-factor sign-in, in both topologies, on a store with REQUIRE_EMPLOYEE_MFA=true and mail in
 * .eml files (the development default): enrolment with an otpauth URI and a QR code confirmed by
 * a first code, ten single-use backup codes, the two-step login with `amr` in the token, refused
 * wrong and replayed codes, attempt limits per challenge and per account, the emailed code, new
 * backup codes, turning it off, and employees kept off employee routes until they use a second
 * factor.
 */

type Tokens = Schema<'TokenPairResponse'>;
type BackupCodes = Schema<'BackupCodesResponse'>;
type MfaStatus = Schema<'MfaStatusResponse'>;

const claims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { amr?: string[] };

describe.each(BEHAVIOUR_TOPOLOGIES)('accounts: two-factor sign-in (%s)', (topology) => {
  let store: Store;
  let mail: MailFolder;
  let employee: string;

  const req = <T = unknown>(method: string, path: string, body?: unknown, token?: string) =>
    store.request<T>('users', method, path, { body, token });
  const auditTypes = (username: string) => auditTypesOf(store, employee, username);

  /**
   * Enrols an authenticator app for the account of `plain` (re-authenticating with the password
   * first); its backup codes, and the re-authenticated token (of the same session).
   */
  async function enrol(
    plain: string,
    password: string,
  ): Promise<{ app: TestAuthenticator; backupCodes: string[]; token: string }> {
    const token = await stepUp(store, plain, password);
    const started = await req<Schema<'TotpEnrolmentResponse'>>(
      'POST',
      '/api/users/me/mfa/totp',
      undefined,
      token,
    );
    expect(started.status).toBe(201);
    const app = new TestAuthenticator(started.body.secret);
    const confirmed = await req<BackupCodes>(
      'POST',
      '/api/users/me/mfa/totp/confirm',
      { code: await app.next() },
      token,
    );
    expect(confirmed.text).toContain('backupCodes');
    return { app, backupCodes: confirmed.body.backupCodes, token };
  }

  const passwordStep = async (username: string, password: string) => {
    const res = await req<LoginAnswer>('POST', '/api/auth/login', { username, password });
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    store = await Store.start(topology, {
      env: { REQUIRE_EMPLOYEE_MFA: 'true', RATE_LIMIT_MFA: '500/900' },
    });
    mail = new MailFolder(store);
  });

  afterAll(async () => {
    await store?.close();
  });

  it('applies the employee rule on routes open to anyone too: a password-only employee does not see hidden reviews', async () => {
    const plain = await login(store, DEMO.employee.username, DEMO.employee.password);
    const products = await store.request<ProductPage>('products', 'GET', '/api/products?limit=1');
    const productId = products.body.items[0].id;
    const path = `/api/products/${productId}/reviews?includeHidden=true`;
    const refused = await store.request<ErrorBody>('products', 'GET', path, {
      token: plain.accessToken,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('MFA_REQUIRED');
    // The same token on search, and no token at all, are as before for everyone else.
    expect(
      (
        await store.request<ErrorBody>('search', 'GET', '/api/search?q=apple', {
          token: plain.accessToken,
        })
      ).body.code,
    ).toBe('MFA_REQUIRED');
    const anonymous = await store.request('products', 'GET', path);
    expect(anonymous.status).toBe(200);
    const customer = await newCustomer(store);
    expect(
      (await store.request('products', 'GET', path, { token: customer.accessToken })).status,
    ).toBe(200);
  });

  it('keeps an employee off employee routes until they enrol and sign in with a second factor', async () => {
    const plain = await login(store, DEMO.employee.username, DEMO.employee.password);
    expect(claims(plain.accessToken).amr).toEqual(['pwd']);
    const refused = await store.request<ErrorBody>('logging', 'GET', '/api/logs', {
      token: plain.accessToken,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('MFA_REQUIRED');
    const create = await store.request<ErrorBody>('products', 'POST', '/api/products', {
      token: plain.accessToken,
      body: { name: 'Quince jam', category: 'pantry', priceCents: 450, stock: 3 },
    });
    expect(create.body.code).toBe('MFA_REQUIRED');
    // Their own account routes work, so they can enrol.
    const { app } = await enrol(plain.accessToken, DEMO.employee.password);
    const challenge = await passwordStep(DEMO.employee.username, DEMO.employee.password);
    expect(challenge.mfaRequired).toBe(true);
    const done = await req<Tokens>('POST', '/api/auth/login/mfa', {
      mfaToken: challenge.mfaToken,
      code: await app.next(),
    });
    expect(done.status).toBe(200);
    expect(claims(done.body.accessToken).amr).toEqual(['pwd', 'otp', 'mfa']);
    employee = done.body.accessToken;
    expect((await store.request('logging', 'GET', '/api/logs', { token: employee })).status).toBe(
      200,
    );
  });

  it('asks for a recent re-authentication before a factor changes: the password, and a code once the app is on', async () => {
    const customer = await newCustomer(store);
    // The token of a login alone (a stolen one, say) cannot start enrolment.
    const bare = await req<ErrorBody>(
      'POST',
      '/api/users/me/mfa/totp',
      undefined,
      customer.accessToken,
    );
    expect(bare.status).toBe(403);
    expect(bare.body.code).toBe('REAUTHENTICATION_REQUIRED');
    const wrong = await req<ErrorBody>(
      'POST',
      '/api/users/me/reauthenticate',
      { password: 'Not-The-Password-1' },
      customer.accessToken,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    const stepped = await req<Schema<'StepUpResponse'>>(
      'POST',
      '/api/users/me/reauthenticate',
      { password: customer.password },
      customer.accessToken,
    );
    expect(stepped.status).toBe(200);
    expect(stepped.body).toMatchObject({ tokenType: 'Bearer', reauthExpiresIn: 600 });
    const before = claims(customer.accessToken) as { sid?: string; reauth_at?: number };
    const after = claims(stepped.body.accessToken) as {
      sid?: string;
      reauth_at?: number;
      amr?: string[];
    };
    expect(before.reauth_at).toBeUndefined();
    expect(after.sid).toBe(before.sid);
    expect(after.amr).toEqual(['pwd']);
    expect(typeof after.reauth_at).toBe('number');

    const { app, backupCodes, token } = await enrol(customer.accessToken, customer.password);
    // New backup codes: refused with the plain token, fine with the re-authenticated one. Backup
    // codes stand in for the app where any second factor does, so the app's codes last.
    const plainAgain = await passwordStep(customer.user.username, customer.password);
    const session = await req<Tokens>('POST', '/api/auth/login/mfa', {
      mfaToken: plainAgain.mfaToken,
      code: backupCodes[0],
    });
    expect(
      (
        await req<ErrorBody>(
          'POST',
          '/api/users/me/mfa/backup-codes',
          { code: await app.next() },
          session.body.accessToken,
        )
      ).body.code,
    ).toBe('REAUTHENTICATION_REQUIRED');
    // With the app on, the password alone does not re-authenticate.
    const noCode = await req<ErrorBody>(
      'POST',
      '/api/users/me/reauthenticate',
      { password: customer.password },
      session.body.accessToken,
    );
    expect(noCode.status).toBe(401);
    expect(noCode.body.code).toBe('INVALID_MFA_CODE');
    const fresh = await stepUp(store, session.body.accessToken, customer.password, backupCodes[1]);
    expect(
      (await req('POST', '/api/users/me/mfa/backup-codes', { code: await app.next() }, fresh))
        .status,
    ).toBe(200);
    expect(token).not.toBe(fresh);
  });

  it('ends the other sessions of the account when two-factor sign-in is turned on, and mails the owner', async () => {
    const customer = await newCustomer(store);
    const other = await login(store, customer.user.username, customer.password);
    const { token } = await enrol(customer.accessToken, customer.password);
    // The other session (begun with the password alone) is over: access and refresh tokens.
    const otherAccess = await req<ErrorBody>('GET', '/api/users/me', undefined, other.accessToken);
    expect(otherAccess.status).toBe(401);
    expect(otherAccess.body.code).toBe('TOKEN_REVOKED');
    expect(
      (await req('POST', '/api/auth/refresh', { refreshToken: other.refreshToken })).status,
    ).toBe(401);
    // The session that turned it on goes on.
    expect((await req('GET', '/api/users/me', undefined, token)).status).toBe(200);
    expect((await req('GET', '/api/users/me', undefined, customer.accessToken)).status).toBe(200);

    const notice = await mail.waitFor(customer.email, /Security notice/);
    expect(notice.text).toContain('Two-factor sign-in with an authenticator app was turned on');
    expect(notice.text).toMatch(/on \d{4}-\d{2}-\d{2} at \d{2}:\d{2} UTC/);
    expect(notice.text).toContain('/forgot-password');
  });

  it('enrols an app with an otpauth URI and a QR code, confirmed by a first valid code: ten backup codes', async () => {
    const customer = await newCustomer(store);
    const token = await stepUp(store, customer.accessToken, customer.password);
    const started = await req<Schema<'TotpEnrolmentResponse'>>(
      'POST',
      '/api/users/me/mfa/totp',
      undefined,
      token,
    );
    expect(started.status).toBe(201);
    const { secret, otpauthUri, qrCode } = started.body;
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUri).toBe(
      `otpauth://totp/Micro%20Foods%20Market:${customer.user.username}?secret=${secret}&issuer=Micro%20Foods%20Market`,
    );
    expect(qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    expect(Buffer.from(qrCode.split(',')[1], 'base64').toString()).toContain('<svg');

    const wrong = await req<ErrorBody>(
      'POST',
      '/api/users/me/mfa/totp/confirm',
      { code: '000000' },
      token,
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_MFA_CODE');
    // Not on yet: the password alone still signs in.
    expect(
      (await passwordStep(customer.user.username, customer.password)).accessToken,
    ).toBeDefined();

    const app = new TestAuthenticator(secret);
    const confirmed = await req<BackupCodes>(
      'POST',
      '/api/users/me/mfa/totp/confirm',
      { code: await app.next() },
      token,
    );
    expect(confirmed.status).toBe(200);
    const codes: string[] = confirmed.body.backupCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/);
    expect((await req<MfaStatus>('GET', '/api/users/me/mfa', undefined, token)).body).toEqual({
      totpEnabled: true,
      backupCodesLeft: 10,
      passkeys: 0,
    });
    expect(await auditTypes(customer.user.username)).toContain('mfa_enabled');
  });

  it('makes login two steps: a wrong code is refused and recorded, a right one gives tokens with amr, and it never works twice', async () => {
    const customer = await newCustomer(store);
    const { app } = await enrol(customer.accessToken, customer.password);
    const first = await passwordStep(customer.user.username, customer.password);
    expect(first).toMatchObject({ mfaRequired: true, expiresIn: 300 });
    expect(first.methods).toEqual(['totp', 'backup_code', 'email']);
    expect(first.accessToken).toBeUndefined();

    const wrong = await req<ErrorBody>('POST', '/api/auth/login/mfa', {
      mfaToken: first.mfaToken,
      code: '123456',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('INVALID_MFA_CODE');
    const code = await app.next();
    const done = await req<Tokens>('POST', '/api/auth/login/mfa', {
      mfaToken: first.mfaToken,
      code,
    });
    expect(done.status).toBe(200);
    expect(claims(done.body.accessToken).amr).toEqual(['pwd', 'otp', 'mfa']);
    // The challenge is spent, and a refreshed token still says how the session began.
    expect(
      (await req<ErrorBody>('POST', '/api/auth/login/mfa', { mfaToken: first.mfaToken, code })).body
        .code,
    ).toBe('MFA_CHALLENGE_INVALID');
    const refreshed = await req<Tokens>('POST', '/api/auth/refresh', {
      refreshToken: done.body.refreshToken,
    });
    expect(claims(refreshed.body.accessToken).amr).toEqual(['pwd', 'otp', 'mfa']);

    // The same code on a new login is a replay.
    const second = await passwordStep(customer.user.username, customer.password);
    const replay = await req<ErrorBody>('POST', '/api/auth/login/mfa', {
      mfaToken: second.mfaToken,
      code,
    });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('MFA_CODE_REUSED');
    expect(await auditTypes(customer.user.username)).toEqual(
      expect.arrayContaining(['mfa_failed', 'login']),
    );
  });

  it('accepts each backup code once', async () => {
    const customer = await newCustomer(store);
    const { backupCodes } = await enrol(customer.accessToken, customer.password);
    const first = await passwordStep(customer.user.username, customer.password);
    const used = await req<Tokens>('POST', '/api/auth/login/mfa', {
      mfaToken: first.mfaToken,
      code: backupCodes[3].toUpperCase(),
    });
    expect(used.status).toBe(200);
    const second = await passwordStep(customer.user.username, customer.password);
    const again = await req<ErrorBody>('POST', '/api/auth/login/mfa', {
      mfaToken: second.mfaToken,
      code: backupCodes[3],
    });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('INVALID_MFA_CODE');
    expect(
      (await req<MfaStatus>('GET', '/api/users/me/mfa', undefined, used.body.accessToken)).body
        .backupCodesLeft,
    ).toBe(9);
    expect(await auditTypes(customer.user.username)).toContain('backup_code_used');
  });

  it('mails a six-digit code as the alternative factor: it works once', async () => {
    const customer = await newCustomer(store);
    await enrol(customer.accessToken, customer.password);
    const first = await passwordStep(customer.user.username, customer.password);
    expect(
      (await req('POST', '/api/auth/login/mfa/email-code', { mfaToken: first.mfaToken })).status,
    ).toBe(202);
    const code = codeIn(await mail.waitFor(customer.email, /sign-in code/));
    const wrongCode = code === '999999' ? '999998' : '999999';
    const wrong = await req('POST', '/api/auth/login/mfa', {
      mfaToken: first.mfaToken,
      code: wrongCode,
      method: 'email',
    });
    expect(wrong.status).toBe(401);
    const done = await req<Tokens>('POST', '/api/auth/login/mfa', {
      mfaToken: first.mfaToken,
      code,
      method: 'email',
    });
    expect(done.status).toBe(200);
    expect(claims(done.body.accessToken).amr).toContain('mfa');
    const second = await passwordStep(customer.user.username, customer.password);
    const reused = await req('POST', '/api/auth/login/mfa', {
      mfaToken: second.mfaToken,
      code,
      method: 'email',
    });
    expect(reused.status).toBe(401);
  });

  it('mails at most 5 sign-in codes an hour to an account however many logins ask, and never puts the code in the subject', async () => {
    const customer = await newCustomer(store);
    await enrol(customer.accessToken, customer.password);
    const mailCode = <T = unknown>(mfaToken: string | undefined) =>
      req<T>('POST', '/api/auth/login/mfa/email-code', { mfaToken });
    const first = await passwordStep(customer.user.username, customer.password);
    for (let i = 0; i < 3; i++) expect((await mailCode(first.mfaToken)).status).toBe(202);
    // A new login has its own three, but the account's hour has two left.
    const second = await passwordStep(customer.user.username, customer.password);
    expect((await mailCode(second.mfaToken)).status).toBe(202);
    expect((await mailCode(second.mfaToken)).status).toBe(202);
    const refused = await mailCode<ErrorBody>(second.mfaToken);
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('TOO_MANY_EMAIL_CODES');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(3000);
    const third = await passwordStep(customer.user.username, customer.password);
    expect((await mailCode(third.mfaToken)).status).toBe(429);

    const message = await mail.waitFor(customer.email, /sign-in code/);
    const code = codeIn(message);
    expect(message.subject).toBe('Your Micro Foods Market sign-in code');
    expect(message.subject).not.toContain(code);
  });

  it('spends a challenge after five wrong codes and blocks the account after its budget of wrong codes', async () => {
    const customer = await newCustomer(store);
    const { app } = await enrol(customer.accessToken, customer.password);
    const challenge = await passwordStep(customer.user.username, customer.password);
    for (let i = 0; i < 5; i++) {
      const res = await req<ErrorBody>('POST', '/api/auth/login/mfa', {
        mfaToken: challenge.mfaToken,
        code: `00000${i}`,
      });
      expect(res.body.code).toBe('INVALID_MFA_CODE');
    }
    const spent = await req<ErrorBody>('POST', '/api/auth/login/mfa', {
      mfaToken: challenge.mfaToken,
      code: await app.next(),
    });
    expect(spent.status).toBe(401);
    expect(spent.body.code).toBe('MFA_CHALLENGE_INVALID');
    // A new login does not reset the account's budget (LOGIN_MAX_FAILURES_PER_USERNAME, 5).
    const fresh = await passwordStep(customer.user.username, customer.password);
    const blocked = await req<ErrorBody>('POST', '/api/auth/login/mfa', {
      mfaToken: fresh.mfaToken,
      code: await app.next(),
    });
    expect(blocked.status).toBe(429);
    expect(blocked.body.code).toBe('TOO_MANY_MFA_ATTEMPTS');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('regenerates backup codes against a code, and turns off only with the password and a code', async () => {
    const customer = await newCustomer(store);
    const { app, backupCodes: old, token } = await enrol(customer.accessToken, customer.password);
    const fresh = await req<BackupCodes>(
      'POST',
      '/api/users/me/mfa/backup-codes',
      { code: await app.next() },
      token,
    );
    expect(fresh.status).toBe(200);
    const codes: string[] = fresh.body.backupCodes;
    expect(codes.some((c) => old.includes(c))).toBe(false);
    const challenge = await passwordStep(customer.user.username, customer.password);
    expect(
      (await req('POST', '/api/auth/login/mfa', { mfaToken: challenge.mfaToken, code: old[0] }))
        .status,
    ).toBe(401);

    const wrongPassword = await req(
      'POST',
      '/api/users/me/mfa/disable',
      { password: 'Not-The-Password-1', code: codes[0] },
      token,
    );
    expect(wrongPassword.status).toBe(401);
    const noCode = await req(
      'POST',
      '/api/users/me/mfa/disable',
      { password: customer.password, code: '000000' },
      token,
    );
    expect(noCode.status).toBe(401);
    const off = await req(
      'POST',
      '/api/users/me/mfa/disable',
      { password: customer.password, code: codes[0] },
      token,
    );
    expect(off.status).toBe(204);
    const plain = await passwordStep(customer.user.username, customer.password);
    expect(plain.mfaRequired).toBeUndefined();
    expect(claims(plain.accessToken as string).amr).toEqual(['pwd']);
    expect(await auditTypes(customer.user.username)).toEqual(
      expect.arrayContaining(['backup_codes_regenerated', 'mfa_disabled']),
    );
  });
});
