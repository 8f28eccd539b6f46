import {
  createHmac,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  sign as rsaSign,
  verify as rsaVerify,
} from 'node:crypto';
import { DEMO, login, PUBLIC_PROFILE_KEYS } from '../support/accounts';
import { auditEvents, expectAuditEvent } from '../support/audit-log';
import { Store, BEHAVIOUR_TOPOLOGIES } from '../support/store';

/**
 * The users context over HTTP, in one process and in five: sign-up and its rejections, login,
 * the access token itself (checked against the published JWKS with node:crypto), forged tokens,
 * refresh rotation with reuse detection, logout, per-username login throttling, and a signing
 * key that survives a restart.
 */

interface Jwk {
  kty: string;
  kid: string;
  alg: string;
  use: string;
  n: string;
  e: string;
  [other: string]: unknown;
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

function decodeJwt(token: string) {
  const [header, payload, signature] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>,
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature, 'base64url'),
  };
}

/** Every key name anywhere in a JSON value. */
function allKeys(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allKeys);
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [k, ...allKeys(v)]);
  return [];
}

describe.each(BEHAVIOUR_TOPOLOGIES)('users: sign-up, login, tokens (%s)', (topology) => {
  let store: Store;
  let seq = 0;
  const unique = (prefix: string) => `${prefix}${++seq}_${randomUUID().slice(0, 6)}`;
  const signUpBody = (overrides: Record<string, unknown> = {}) => {
    const username = unique('u');
    return {
      firstName: 'Priya',
      lastName: 'Natarajan',
      username,
      email: `${username}@example.com`,
      password: 'Crisp-Apples-7',
      ...overrides,
    };
  };
  const register = (body: unknown) =>
    store.request('users', 'POST', '/api/auth/register', { body });
  const tryLogin = (username: string, password: string) =>
    store.request('users', 'POST', '/api/auth/login', { body: { username, password } });
  const me = (token: string) => store.request('users', 'GET', '/api/users/me', { token });
  const refresh = (refreshToken: string) =>
    store.request('users', 'POST', '/api/auth/refresh', { body: { refreshToken } });
  const logout = (token: string) => store.request('users', 'POST', '/api/auth/logout', { token });
  /** One page of the audit log: a request any module's token check stands behind. */
  const readLogs = (token: string) =>
    store.request('logging', 'GET', '/api/logs?limit=1', { token });
  const jwks = async () =>
    (await store.request<{ keys: Jwk[] }>('users', 'GET', '/.well-known/jwks.json')).body.keys;
  const auditTotal = async (employeeToken: string, query: string) =>
    (await auditEvents(store, employeeToken, query)).total;

  beforeAll(async () => {
    store = await Store.start(topology);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  });

  describe('POST /api/auth/register', () => {
    it('creates a customer and answers 201 with the public profile, never the password or its hash', async () => {
      const body = signUpBody();
      const res = await register(body);
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(PUBLIC_PROFILE_KEYS);
      expect(res.body).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        username: body.username,
        email: body.email,
        firstName: 'Priya',
        lastName: 'Natarajan',
        role: 'customer',
        enabled: true,
      });
      expect(allKeys(res.body).filter((k) => /password|hash/i.test(k))).toEqual([]);
      expect(res.text).not.toContain('argon2');
      expect(res.text).not.toContain(body.password);
      // and the account works
      expect((await tryLogin(body.username, body.password)).status).toBe(200);
    });

    it('refuses a taken username, whatever its case: 409 USERNAME_TAKEN', async () => {
      for (const username of ['customer', 'Customer', 'CUSTOMER']) {
        const res = await register(signUpBody({ username }));
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({
          statusCode: 409,
          error: 'Conflict',
          code: 'USERNAME_TAKEN',
          details: { field: 'username' },
        });
      }
      // the demo customer's password still works, so nothing was overwritten
      expect((await tryLogin(DEMO.customer.username, DEMO.customer.password)).status).toBe(200);
    });

    it('lets exactly one of several simultaneous sign-ups for one username (in different cases) win', async () => {
      const base = signUpBody();
      const variants = [
        base.username,
        base.username.toUpperCase(),
        base.username,
        `${base.username[0].toUpperCase()}${base.username.slice(1)}`,
      ];
      const results = await Promise.all(
        variants.map((username, i) =>
          register({ ...base, username, email: `race${i}_${base.email}` }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
      expect(
        results.filter((r) => r.status === 409).every((r) => r.body.code === 'USERNAME_TAKEN'),
      ).toBe(true);
    });

    it('refuses a taken email, whatever its case: 409 EMAIL_TAKEN', async () => {
      for (const email of ['customer@microfoods.example', 'Customer@MicroFoods.Example']) {
        const body = signUpBody({ email });
        const res = await register(body);
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({ code: 'EMAIL_TAKEN', details: { field: 'email' } });
        expect((await tryLogin(body.username, body.password)).status).toBe(401);
      }
    });

    describe('refuses a weak password with 400 WEAK_PASSWORD naming the broken rule, and creates nobody', () => {
      const username = () => unique('pw');
      it.each<[string, (u: string) => string, string]>([
        ['fewer than 8 characters', () => 'Ab1cdef', 'must be at least 8 characters'],
        [
          'more than 128 characters',
          () => 'A1' + 'b'.repeat(127),
          'must be at most 128 characters',
        ],
        ['no lowercase letter', () => 'CRISP-APPLES-7', 'must contain a lowercase letter'],
        ['no uppercase letter', () => 'crisp-apples-7', 'must contain an uppercase letter'],
        ['no digit', () => 'Crisp-Apples-x', 'must contain a digit'],
        [
          'the first name, in another case',
          () => 'my-PRIYA-pass-7',
          'must not contain your first name',
        ],
        [
          'the last name, in another case',
          () => 'natarajan-Rules-1',
          'must not contain your last name',
        ],
        [
          'the username, in another case',
          (u) => `Go-${u.toUpperCase()}-go`,
          'must not contain your username',
        ],
      ])('%s', async (_rule, password, expected) => {
        const name = username();
        const res = await register(
          signUpBody({ username: name, email: `${name}@example.com`, password: password(name) }),
        );
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({
          statusCode: 400,
          code: 'WEAK_PASSWORD',
          details: { rules: [expected] },
        });
        expect((await tryLogin(name, password(name))).status).toBe(401);
      });

      it('while exactly 8 and exactly 128 characters are accepted', async () => {
        expect((await register(signUpBody({ password: 'Abcdef1x' }))).status).toBe(201);
        expect((await register(signUpBody({ password: 'A1' + 'b'.repeat(126) }))).status).toBe(201);
      });

      it('and names of fewer than 3 characters are not searched for', async () => {
        expect(
          (
            await register(
              signUpBody({ firstName: 'Al', lastName: 'Ng', password: 'Always-Ngong-7' }),
            )
          ).status,
        ).toBe(201);
      });
    });

    it('refuses extra fields such as role with 400 VALIDATION_FAILED naming them, and nobody becomes an employee', async () => {
      const clean = signUpBody();
      const body = { ...clean, role: 'employee', isAdmin: true };
      const res = await register(body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual([
        'isAdmin',
        'role',
      ]);
      expect((await tryLogin(body.username, body.password)).status).toBe(401);
      // The same sign-up without the extra fields makes a customer.
      const created = await register(clean);
      expect(created.status).toBe(201);
      expect(created.body.role).toBe('customer');
      expect((await login(store, body.username, body.password)).user.role).toBe('customer');
    });

    it('refuses invalid and missing fields with 400 VALIDATION_FAILED naming each of them', async () => {
      const invalid = await register({
        firstName: '',
        lastName: 5,
        username: 'a b',
        email: 'not-an-email',
        password: 12345678,
      });
      expect(invalid.status).toBe(400);
      expect(invalid.body.code).toBe('VALIDATION_FAILED');
      const named = (res: typeof invalid) =>
        [...new Set(res.body.details.fields.map((f: { field: string }) => f.field))].sort();
      expect(named(invalid)).toEqual(['email', 'firstName', 'lastName', 'password', 'username']);
      const missing = await register({});
      expect(missing.status).toBe(400);
      expect(named(missing)).toEqual(['email', 'firstName', 'lastName', 'password', 'username']);
      const one = await register(signUpBody({ username: 'no spaces allowed' }));
      expect(one.status).toBe(400);
      expect(named(one)).toEqual(['username']);
    });

    it('records user_created only for successful sign-ups', async () => {
      const employee = await login(store, DEMO.employee.username, DEMO.employee.password);
      const before = await auditTotal(employee.accessToken, 'type=user_created&limit=1');
      expect((await register(signUpBody({ username: 'Customer' }))).status).toBe(409);
      expect((await register(signUpBody({ password: 'weak' }))).status).toBe(400);
      expect(await auditTotal(employee.accessToken, 'type=user_created&limit=1')).toBe(before);
      const body = signUpBody();
      const created = await register(body);
      await expectAuditEvent(
        store,
        employee.accessToken,
        `type=user_created&username=${body.username}`,
        {
          type: 'user_created',
          actor: { userId: created.body.id, username: body.username },
          subject: { kind: 'user', id: created.body.id, name: body.username },
          payload: { role: 'customer' },
        },
      );
      expect(await auditTotal(employee.accessToken, 'type=user_created&limit=1')).toBe(before + 1);
    });
  });

  describe('POST /api/auth/login and the access token', () => {
    it('issues an RS256 JWT that the published JWKS key verifies, with the documented claims, and a refresh token', async () => {
      const res = await tryLogin(DEMO.customer.username, DEMO.customer.password);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        tokenType: 'Bearer',
        expiresIn: 900,
        refreshToken: expect.any(String),
        user: { username: 'customer', role: 'customer' },
      });
      expect(allKeys(res.body).filter((k) => /password|hash/i.test(k))).toEqual([]);
      const jwt = decodeJwt(res.body.accessToken);
      expect(jwt.header.alg).toBe('RS256');
      const keys = await jwks();
      const jwk = keys.find((k) => k.kid === jwt.header.kid);
      expect(jwk).toBeDefined();
      // The honest check: RSA-SHA256 over header.payload with the public key from the JWKS.
      const publicKey = createPublicKey({ key: jwk as never, format: 'jwk' });
      expect(rsaVerify('RSA-SHA256', Buffer.from(jwt.signingInput), publicKey, jwt.signature)).toBe(
        true,
      );
      const tampered = Buffer.from(jwt.signingInput.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')));
      expect(rsaVerify('RSA-SHA256', tampered, publicKey, jwt.signature)).toBe(false);

      expect(jwt.payload).toMatchObject({
        sub: res.body.user.id,
        username: 'customer',
        role: 'customer',
        jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
        iss: 'micro-foods-market',
        aud: 'micro-foods-market',
      });
      expect(typeof jwt.payload.iat).toBe('number');
      expect((jwt.payload.exp as number) - (jwt.payload.iat as number)).toBe(900);
      const again = decodeJwt(
        (await tryLogin(DEMO.customer.username, DEMO.customer.password)).body.accessToken,
      );
      expect(again.payload.jti).not.toBe(jwt.payload.jti);
      // and it works
      const profile = await me(res.body.accessToken);
      expect(profile.status).toBe(200);
      expect(profile.body).toMatchObject({ id: res.body.user.id, username: 'customer' });
    });

    it('logs in with the username in any case', async () => {
      expect((await tryLogin('CUSTOMER', DEMO.customer.password)).status).toBe(200);
    });

    it('answers a wrong username and a wrong password with the same 401', async () => {
      const unknownUser = await tryLogin(unique('nobody'), DEMO.customer.password);
      const wrongPassword = await tryLogin(DEMO.customer.username, 'Wrong-Password-1');
      expect(unknownUser.status).toBe(401);
      expect(wrongPassword.status).toBe(401);
      expect(unknownUser.body).toEqual(wrongPassword.body);
      expect(unknownUser.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        code: 'INVALID_CREDENTIALS',
        message: expect.any(String),
      });
    });

    it('refuses a login body with missing or extra fields (400)', async () => {
      const missing = await store.request('users', 'POST', '/api/auth/login', {
        body: { username: 'customer' },
      });
      expect(missing.status).toBe(400);
      expect(missing.body.details.fields.map((f: { field: string }) => f.field)).toEqual([
        'password',
      ]);
      const extra = await store.request('users', 'POST', '/api/auth/login', {
        body: { ...DEMO.customer, role: 'employee' },
      });
      expect(extra.status).toBe(400);
      expect(extra.body.details.fields.map((f: { field: string }) => f.field)).toEqual(['role']);
    });

    it('records a login event for a success and none for a failure', async () => {
      const employee = await login(store, DEMO.employee.username, DEMO.employee.password);
      const account = signUpBody();
      const created = await register(account);
      const forUser = () =>
        auditTotal(employee.accessToken, `type=login&username=${account.username}`);
      expect(await forUser()).toBe(0);
      expect((await tryLogin(account.username, 'Wrong-Password-1')).status).toBe(401);
      expect(await forUser()).toBe(0);
      await login(store, account.username, account.password);
      await expectAuditEvent(
        store,
        employee.accessToken,
        `type=login&username=${account.username}`,
        {
          type: 'login',
          actor: { userId: created.body.id, username: account.username },
          subject: { kind: 'user', id: created.body.id, name: account.username },
        },
      );
    });
  });

  describe('GET /.well-known/jwks.json', () => {
    it('publishes RSA public keys with kid, alg RS256 and use sig, and nothing private', async () => {
      const res = await store.request('users', 'GET', '/.well-known/jwks.json');
      expect(res.status).toBe(200);
      expect(res.body.keys.length).toBeGreaterThan(0);
      for (const key of res.body.keys as Jwk[]) {
        expect(key).toMatchObject({
          kty: 'RSA',
          alg: 'RS256',
          use: 'sig',
          kid: expect.any(String),
          n: expect.any(String),
          e: 'AQAB',
        });
        for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi'])
          expect(key).not.toHaveProperty(secret);
        expect(Buffer.from(key.n, 'base64url').length).toBeGreaterThanOrEqual(256); // ≥ 2048 bits
      }
    });
  });

  describe('forged and broken tokens are refused with 401, by users and by another module', () => {
    let real: string;
    let kid: string;
    let claims: Record<string, unknown>;
    const forger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signWith = (
      privateKey: Parameters<typeof rsaSign>[2],
      header: object,
      payload: object,
    ) => {
      const input = `${b64url(header)}.${b64url(payload)}`;
      return `${input}.${rsaSign('RSA-SHA256', Buffer.from(input), privateKey).toString('base64url')}`;
    };

    beforeAll(async () => {
      // A customer's real token is the template: each forgery promotes it to employee.
      real = (await login(store, DEMO.customer.username, DEMO.customer.password)).accessToken;
      const decoded = decodeJwt(real);
      kid = decoded.header.kid as string;
      claims = { ...decoded.payload, role: 'employee' };
    });

    const forgeries = (): Array<[string, string]> => {
      const [realHeader, , realSignature] = real.split('.');
      const forged = { alg: 'RS256', typ: 'JWT', kid };
      return [
        ['alg none', `${b64url({ alg: 'none', typ: 'JWT', kid })}.${b64url(claims)}.`],
        [
          'tampered payload (role: employee) under the real signature',
          `${realHeader}.${b64url(claims)}.${realSignature}`,
        ],
        ['another RSA key with the same kid', signWith(forger.privateKey, forged, claims)],
        [
          'another RSA key, same kid, wrong issuer',
          signWith(forger.privateKey, forged, { ...claims, iss: 'evil' }),
        ],
        [
          'another RSA key, same kid, wrong audience',
          signWith(forger.privateKey, forged, { ...claims, aud: 'evil' }),
        ],
        ['an unknown kid', signWith(forger.privateKey, { ...forged, kid: randomUUID() }, claims)],
        ['no kid', signWith(forger.privateKey, { alg: 'RS256', typ: 'JWT' }, claims)],
        ['garbage', 'not.a.jwt'],
      ];
    };

    it('the real token works (control)', async () => {
      expect((await me(real)).status).toBe(200);
    });

    it('HS256 with the real public key (from the JWKS) as the secret is refused', async () => {
      const jwk = (await jwks()).find((k) => k.kid === kid);
      const pem = createPublicKey({ key: jwk as never, format: 'jwk' }).export({
        type: 'spki',
        format: 'pem',
      }) as string;
      const input = `${b64url({ alg: 'HS256', typ: 'JWT', kid })}.${b64url(claims)}`;
      const token = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
      expect((await me(token)).status).toBe(401);
      expect((await store.request('logging', 'GET', '/api/logs', { token })).status).toBe(401);
    });

    it('alg none, a tampered payload, a foreign key with our kid (also with wrong iss/aud), unknown or no kid, garbage', async () => {
      const outcomes = [];
      for (const [name, token] of forgeries()) {
        const users = await me(token);
        // logging asks users.verify_token: a forged "employee" must not read the audit log
        const logging = await store.request('logging', 'GET', '/api/logs', { token });
        outcomes.push({
          name,
          users: users.status,
          usersShape: users.body?.error,
          logging: logging.status,
        });
      }
      expect(outcomes).toEqual(
        forgeries().map(([name]) => ({
          name,
          users: 401,
          usersShape: 'Unauthorized',
          logging: 401,
        })),
      );
    });

    it('no token and a non-Bearer header are 401', async () => {
      expect((await store.request('users', 'GET', '/api/users/me')).status).toBe(401);
      expect(
        (
          await store.request('users', 'GET', '/api/users/me', {
            headers: { authorization: `Basic ${real}` },
          })
        ).status,
      ).toBe(401);
    });
  });

  describe('POST /api/auth/refresh', () => {
    it('rotates: each refresh token works once; reusing a spent one revokes the whole session', async () => {
      const account = signUpBody();
      await register(account);
      const first = await login(store, account.username, account.password);
      const other = await login(store, account.username, account.password); // a second, independent session

      const second = await refresh(first.refreshToken);
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({
        tokenType: 'Bearer',
        expiresIn: 900,
        user: { username: account.username },
      });
      expect(second.body.refreshToken).not.toBe(first.refreshToken);
      expect(decodeJwt(second.body.accessToken).payload.sid).toBe(
        decodeJwt(first.accessToken).payload.sid,
      );
      expect((await me(second.body.accessToken)).status).toBe(200);

      const third = await refresh(second.body.refreshToken);
      expect(third.status).toBe(200);
      expect((await me(third.body.accessToken)).status).toBe(200);

      // The first token again: a thief or the owner holds a copy → the family is revoked.
      const reused = await refresh(first.refreshToken);
      expect(reused.status).toBe(401);
      expect(reused.body.code).toBe('REFRESH_TOKEN_REUSED');
      const newest = await refresh(third.body.refreshToken);
      expect(newest.status).toBe(401);
      for (const token of [first.accessToken, second.body.accessToken, third.body.accessToken]) {
        expect((await me(token)).status).toBe(401);
      }
      // the other session of the same user is untouched
      expect((await me(other.accessToken)).status).toBe(200);
      expect((await refresh(other.refreshToken)).status).toBe(200);
    });

    it('a spent token presented twice keeps failing (no second chance)', async () => {
      const session = await login(store, DEMO.customer.username, DEMO.customer.password);
      expect((await refresh(session.refreshToken)).status).toBe(200);
      for (let i = 0; i < 2; i++) {
        expect((await refresh(session.refreshToken)).status).toBe(401);
      }
    });

    it('refuses unknown tokens (401) and malformed bodies (400)', async () => {
      const unknown = await store.request('users', 'POST', '/api/auth/refresh', {
        body: { refreshToken: `${randomUUID()}.bm90LWEtc2VjcmV0` },
      });
      expect(unknown.status).toBe(401);
      expect(unknown.body.code).toBe('INVALID_REFRESH_TOKEN');
      const session = await login(store, DEMO.customer.username, DEMO.customer.password);
      const [id] = session.refreshToken.split('.');
      expect(
        (
          await store.request('users', 'POST', '/api/auth/refresh', {
            body: { refreshToken: `${id}.guessed-secret` },
          })
        ).status,
      ).toBe(401);
      // a guessed secret does not burn the real token
      expect((await refresh(session.refreshToken)).status).toBe(200);
      // an access token is not a refresh token
      expect((await refresh(session.accessToken)).status).toBe(400);
      const missing = await store.request('users', 'POST', '/api/auth/refresh', { body: {} });
      expect(missing.status).toBe(400);
      expect(missing.body.details.fields.map((f: { field: string }) => f.field)).toEqual([
        'refreshToken',
      ]);
    });
  });

  describe('POST /api/auth/logout', () => {
    it('ends the session: its access token and refresh token stop working, other sessions do not', async () => {
      const session = await login(store, DEMO.customer.username, DEMO.customer.password);
      const other = await login(store, DEMO.customer.username, DEMO.customer.password);
      expect((await me(session.accessToken)).status).toBe(200);
      const res = await logout(session.accessToken);
      expect(res.status).toBe(204);
      expect(res.text).toBe('');
      const after = await me(session.accessToken);
      expect(after.status).toBe(401);
      expect(after.body.code).toBe('TOKEN_REVOKED');
      expect((await refresh(session.refreshToken)).status).toBe(401);
      expect((await logout(session.accessToken)).status).toBe(401);
      expect((await me(other.accessToken)).status).toBe(200);
    });

    it('needs a valid token (401 without one)', async () => {
      const res = await store.request('users', 'POST', '/api/auth/logout');
      expect(res.status).toBe(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('an employee logged out cannot read the audit log with that token any more', async () => {
      const employee = await login(store, DEMO.employee.username, DEMO.employee.password);
      expect((await readLogs(employee.accessToken)).status).toBe(200);
      expect((await logout(employee.accessToken)).status).toBe(204);
      expect((await readLogs(employee.accessToken)).status).toBe(401);
      const fresh = await login(store, DEMO.employee.username, DEMO.employee.password);
      const events = await auditEvents(
        store,
        fresh.accessToken,
        `type=logout&username=${DEMO.employee.username}`,
      );
      expect(events.total).toBeGreaterThanOrEqual(1);
      expect(events.items.at(-1)).toMatchObject({
        type: 'logout',
        subject: { kind: 'user', id: employee.user.id },
        payload: { sessionId: decodeJwt(employee.accessToken).payload.sid },
      });
    });
  });

  describe('login throttling per username (default: 5 failures in 15 minutes)', () => {
    it('answers 429 with an integer Retry-After once a username has failed 5 times, even with the right password; other users are unaffected', async () => {
      const account = signUpBody();
      expect((await register(account)).status).toBe(201);
      for (let i = 0; i < 5; i++) {
        expect((await tryLogin(account.username, `Wrong-Guess-${i}`)).status).toBe(401);
      }
      for (const attempt of [account.username, account.username.toUpperCase()]) {
        const blocked = await tryLogin(attempt, account.password);
        expect(blocked.status).toBe(429);
        expect(blocked.body).toMatchObject({
          statusCode: 429,
          error: 'Too Many Requests',
          code: 'TOO_MANY_LOGIN_ATTEMPTS',
          details: { scope: 'account' },
        });
        const retryAfter = blocked.headers.get('retry-after');
        expect(retryAfter).toMatch(/^\d+$/);
        expect(Number(retryAfter)).toBeGreaterThan(0);
        expect(Number(retryAfter)).toBeLessThanOrEqual(900);
        expect(blocked.body.details.retryAfterSeconds).toBe(Number(retryAfter));
      }
      // Same client address, other account: fine.
      expect((await tryLogin(DEMO.customer.username, DEMO.customer.password)).status).toBe(200);
    });
  });

  describe('the signing key survives a restart', () => {
    it('keeps the same kid, and tokens issued before the restart still verify', async () => {
      const kidsBefore = (await jwks()).map((k) => k.kid).sort();
      const employee = await login(store, DEMO.employee.username, DEMO.employee.password);
      const customer = await login(store, DEMO.customer.username, DEMO.customer.password);
      const usedKid = decodeJwt(employee.accessToken).header.kid;
      expect(kidsBefore).toContain(usedKid);

      await store.restart(store.processOf('users'));

      const kidsAfter = (await jwks()).map((k) => k.kid).sort();
      expect(kidsAfter).toEqual(kidsBefore);
      expect((await me(customer.accessToken)).status).toBe(200);
      // and across modules (logging → users.verify_token over the reconnected transport)
      expect((await readLogs(employee.accessToken)).status).toBe(200);
      // sessions persist too: the refresh token from before the restart rotates
      expect((await refresh(customer.refreshToken)).status).toBe(200);
      // and new tokens are signed with the same key
      const fresh = await login(store, DEMO.customer.username, DEMO.customer.password);
      expect(decodeJwt(fresh.accessToken).header.kid).toBe(usedKid);
    });
  });
});
