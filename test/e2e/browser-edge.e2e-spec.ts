import { randomUUID } from 'node:crypto';
import { DEMO, login } from '../support/accounts';
import type { ErrorBody, Schema, ValidationErrorBody } from '../support/api-types';
import { cspDirectives } from '../support/http';
import { eventually } from '../support/platform';
import { HttpResult, MODULES, Module, Store, BEHAVIOUR_TOPOLOGIES } from '../support/store';

/**
 * The public HTTP edge as a browser meets it, in one process and in five: bearer tokens only
 * from the Authorization header (and never in a log line), security headers on the API and on
 * Swagger UI (which still loads everything it needs), CORS off by default and exact when
 * CORS_ORIGINS is set, and the refresh token as an httpOnly cookie with its CSRF check.
 */

/** The demo customer has no second factor: a login answers tokens. */
type Tokens = Schema<'TokenPairResponse'>;
/** A 400 for bad input always names the fields at fault. */
type Invalid = Required<ValidationErrorBody>;

/** What this suite reads of the OpenAPI document at /docs/json (of the operations it checks). */
interface ApiDocument {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters: Array<{ name: string; in: string }>;
        security?: Array<Record<string, string[]>>;
      }
    >
  >;
  components: {
    securitySchemes: Record<string, { type: string; in?: string; name?: string }>;
    schemas: Record<string, { properties: Record<string, { enum?: string[]; default?: unknown }> }>;
  };
}

const SHOP = 'https://shop.example';
const DEV = 'http://localhost:5173';

interface SetCookie {
  name: string;
  value: string;
  /** Attribute names lowercased; a flag such as HttpOnly has the value ''. */
  attributes: Record<string, string>;
}

function parseSetCookie(header: string): SetCookie {
  const [pair, ...rest] = header.split(';').map((part) => part.trim());
  const equals = pair.indexOf('=');
  const attributes: Record<string, string> = {};
  for (const attribute of rest) {
    const at = attribute.indexOf('=');
    if (at < 0) attributes[attribute.toLowerCase()] = '';
    else attributes[attribute.slice(0, at).toLowerCase()] = attribute.slice(at + 1);
  }
  return { name: pair.slice(0, equals), value: pair.slice(equals + 1), attributes };
}

/** The refresh cookie(s) an answer sets. */
const refreshCookies = (res: HttpResult) =>
  res.headers
    .getSetCookie()
    .map(parseSetCookie)
    .filter((cookie) => cookie.name === 'mfm_refresh');

/** The one refresh cookie an answer sets, with a value (not a clearing one). */
function refreshCookieOf(res: HttpResult): SetCookie {
  const cookies = refreshCookies(res);
  expect(cookies).toHaveLength(1);
  expect(cookies[0].value).not.toBe('');
  return cookies[0];
}

/** True when an answer tells the browser to drop the refresh cookie. */
const clearsRefreshCookie = (res: HttpResult) =>
  refreshCookies(res).some(
    (cookie) =>
      cookie.value === '' &&
      cookie.attributes['max-age'] === '0' &&
      cookie.attributes.path === '/api/auth',
  );

const corsHeaders = (res: HttpResult) =>
  [...res.headers.keys()].filter((name) => name.startsWith('access-control-'));

/** A CSP header as directive → sources. */
const csp = (res: HttpResult) => cspDirectives(res.headers);

function expectBrowserHeaders(res: HttpResult): void {
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  expect(res.headers.get('referrer-policy')).toBe('no-referrer');
  expect(csp(res)['frame-ancestors']).toEqual(["'none'"]);
  // Plain HTTP, and no proxy is trusted: a forged X-Forwarded-Proto does not turn HSTS on.
  expect(res.headers.get('strict-transport-security')).toBeNull();
}

describe.each(BEHAVIOUR_TOPOLOGIES)('the browser edge with default settings (%s)', (topology) => {
  let store: Store;
  const labels = () => [...new Set(MODULES.map((m) => store.processOf(m)))];

  beforeAll(async () => {
    store = await Store.start(topology);
  });

  afterAll(async () => {
    await store?.close();
  });

  describe('bearer tokens', () => {
    it('are read from the Authorization header only: in a query string or a body they are ignored (401)', async () => {
      const { accessToken } = await login(store, DEMO.customer.username, DEMO.customer.password);
      expect(
        (await store.request('users', 'GET', '/api/users/me', { token: accessToken })).status,
      ).toBe(200);

      const inQuery = await store.request<ErrorBody>(
        'users',
        'GET',
        `/api/users/me?access_token=${accessToken}`,
      );
      expect({ status: inQuery.status, code: inQuery.body.code }).toEqual({
        status: 401,
        code: 'UNAUTHENTICATED',
      });
      const otherModule = await store.request(
        'logging',
        'GET',
        `/api/logs?access_token=${accessToken}`,
      );
      expect(otherModule.status).toBe(401);
      const inBody = await store.request<ErrorBody>('orders', 'POST', '/api/orders', {
        body: { access_token: accessToken, items: [] },
        headers: { 'idempotency-key': randomUUID() },
      });
      expect({ status: inBody.status, code: inBody.body.code }).toEqual({
        status: 401,
        code: 'UNAUTHENTICATED',
      });
      // With the header, whatever sits in the query string is not looked at.
      const both = await store.request('users', 'GET', '/api/users/me?access_token=not-a-token', {
        token: accessToken,
      });
      expect(both.status).toBe(200);
    });

    it('and credentials in query strings never reach a log line', async () => {
      const { accessToken, refreshToken } = await login(
        store,
        DEMO.customer.username,
        DEMO.customer.password,
      );
      const secret = `s3cret-${randomUUID()}`;
      const marker = `query-secrets-${topology}-${randomUUID().slice(0, 8)}`;
      const calls: Array<[Module, string, string]> = [
        ['users', `/api/users/me?access_token=${accessToken}`, `${marker}-1`],
        ['products', `/api/products?limit=1&token=${secret}`, `${marker}-2`],
        ['users', `/api/auth/refresh?refreshToken=${refreshToken}&note=${secret}`, `${marker}-3`],
        ['logging', `/api/logs?page=1&refreshToken=${refreshToken}`, `${marker}-4`],
      ];
      for (const [module, path, requestId] of calls)
        await store.request(module, path.startsWith('/api/auth/') ? 'POST' : 'GET', path, {
          headers: { 'x-request-id': requestId },
          ...(path.startsWith('/api/auth/') && { body: {} }),
        });

      const urls: string[] = [];
      for (const [module, , requestId] of calls) {
        const line = await eventually(
          () =>
            store
              .logLines(store.processOf(module))
              .find((l) => l.requestId === requestId && l.msg === 'request completed'),
          `the access line of ${requestId}`,
        );
        urls.push((line.req as { url: string }).url);
      }
      expect(urls).toEqual([
        '/api/users/me?access_token=[redacted]',
        '/api/products?limit=1&token=[redacted]',
        '/api/auth/refresh?[redacted]',
        '/api/logs?page=1&refreshToken=[redacted]',
      ]);
      for (const label of labels()) {
        const output = store.output(label);
        for (const text of [accessToken, refreshToken, secret])
          expect([label, output.includes(text)]).toEqual([label, false]);
      }
    });
  });

  describe('security headers', () => {
    it.each([
      ['products', 'GET', '/api/products?limit=1', 200],
      ['users', 'GET', '/api/users/me', 401],
      ['logging', 'GET', '/api/nowhere', 404],
      ['search', 'GET', '/health', 200],
    ] as const)(
      '%s %s %s (%s): nosniff, no framing, no referrer, a CSP that allows nothing',
      async (module, method, path, status) => {
        const res = await store.request(module, method, path, {
          headers: { 'x-forwarded-proto': 'https' },
        });
        expect(res.status).toBe(status);
        expectBrowserHeaders(res);
        expect(csp(res)['default-src']).toEqual(["'none'"]);
      },
    );

    it('login and refresh answers, which carry tokens, are never stored by a cache', async () => {
      const loggedIn = await store.request<Tokens>('users', 'POST', '/api/auth/login', {
        body: { username: DEMO.customer.username, password: DEMO.customer.password },
      });
      expect(loggedIn.status).toBe(200);
      expect(loggedIn.headers.get('cache-control')).toBe('no-store');
      const refreshed = await store.request('users', 'POST', '/api/auth/refresh', {
        body: { refreshToken: loggedIn.body.refreshToken },
      });
      expect(refreshed.status).toBe(200);
      expect(refreshed.headers.get('cache-control')).toBe('no-store');
    });

    it.each(MODULES)(
      'Swagger UI of the process of %s: its own CSP, and the page loads every script and style it names',
      async (module) => {
        const pageUrl = `${store.baseUrl(module)}/docs`;
        const page = await store.request(module, 'GET', '/docs');
        expect(page.status).toBe(200);
        expectBrowserHeaders(page);
        const policy = csp(page);
        expect(policy['script-src']).toEqual(["'self'"]);
        expect(policy['object-src']).toEqual(["'none'"]);

        // Inline scripts would be blocked by script-src 'self': every script must be a file.
        const scripts = [...page.text.matchAll(/<script\b([^>]*)>/gi)].map((m) => m[1]);
        expect(scripts.length).toBeGreaterThan(0);
        expect(scripts.filter((attributes) => !/\bsrc=/.test(attributes))).toEqual([]);
        // The inline <style> block needs 'unsafe-inline' for styles.
        if (/<style\b/i.test(page.text)) expect(policy['style-src']).toContain("'unsafe-inline'");

        const assets = [
          ...[...page.text.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/gi)].map((m) => ({
            url: m[1],
            kind: 'script',
          })),
          ...[...page.text.matchAll(/<link\b[^>]*rel="stylesheet"[^>]*\bhref="([^"]+)"/gi)].map(
            (m) => ({ url: m[1], kind: 'style' }),
          ),
        ];
        expect(assets.filter((a) => a.kind === 'script').length).toBeGreaterThanOrEqual(3);
        expect(assets.filter((a) => a.kind === 'style').length).toBeGreaterThanOrEqual(1);
        for (const asset of assets) {
          const url = new URL(asset.url, pageUrl);
          // 'self' only: every asset comes from the page's own origin.
          expect(url.origin).toBe(new URL(pageUrl).origin);
          const response = await fetch(url);
          const body = await response.text();
          // nosniff makes the browser refuse a script or style sheet with the wrong type.
          expect([asset.url, response.status]).toEqual([asset.url, 200]);
          expect(body.length).toBeGreaterThan(0);
          expect(response.headers.get('content-type')).toMatch(
            asset.kind === 'script' ? /javascript/ : /text\/css/,
          );
        }
      },
    );
  });

  describe('CORS', () => {
    it('is off by default: no Access-Control header on answers, and a preflight finds nothing (404)', async () => {
      const simple = await store.request('products', 'GET', '/api/products?limit=1', {
        headers: { origin: SHOP },
      });
      expect(simple.status).toBe(200);
      expect(corsHeaders(simple)).toEqual([]);
      const preflight = await store.request('users', 'OPTIONS', '/api/auth/login', {
        headers: {
          origin: SHOP,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      expect(preflight.status).toBe(404);
      expect(corsHeaders(preflight)).toEqual([]);
    });
  });
});

describe.each(BEHAVIOUR_TOPOLOGIES)('CORS_ORIGINS and the refresh cookie (%s)', (topology) => {
  let store: Store;

  beforeAll(async () => {
    store = await Store.start(topology, { env: { CORS_ORIGINS: `${SHOP},${DEV}` } });
  });

  afterAll(async () => {
    await store?.close();
  });

  const preflight = (
    module: Module,
    path: string,
    origin: string,
    method: string,
    headers: string,
  ) =>
    store.request(module, 'OPTIONS', path, {
      headers: {
        origin,
        'access-control-request-method': method,
        'access-control-request-headers': headers,
      },
    });

  describe('CORS', () => {
    it('answers a preflight from a listed origin with 204 and exactly that origin, with credentials', async () => {
      const res = await preflight(
        'users',
        '/api/auth/refresh',
        SHOP,
        'POST',
        'content-type,x-csrf',
      );
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('access-control-allow-methods')?.split(/,\s*/)).toContain('POST');
      const allowed = res.headers.get('access-control-allow-headers')?.toLowerCase().split(/,\s*/);
      expect(allowed).toEqual(expect.arrayContaining(['content-type', 'x-csrf']));
      expect(res.headers.get('vary')).toMatch(/origin/i);

      const order = await preflight(
        'orders',
        '/api/orders',
        DEV,
        'POST',
        'authorization,content-type,idempotency-key',
      );
      expect(order.status).toBe(204);
      expect(order.headers.get('access-control-allow-origin')).toBe(DEV);
      expect(
        order.headers.get('access-control-allow-headers')?.toLowerCase().split(/,\s*/),
      ).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']));
    });

    it('lets a listed origin read answers and the request id', async () => {
      const res = await store.request('products', 'GET', '/api/products?limit=1', {
        headers: { origin: DEV },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe(DEV);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      // A browser client may read the request id and the rate-limit answers.
      const exposed = res.headers.get('access-control-expose-headers')?.toLowerCase() ?? '';
      for (const header of [
        'x-request-id',
        'retry-after',
        'ratelimit-remaining',
        'ratelimit-reset',
      ])
        expect(exposed).toContain(header);
    });

    it.each([
      'https://evil.example',
      'https://shop.example.evil.example',
      'http://shop.example',
      'https://shop.example:8443',
      'null',
    ])('gives %s no CORS allowance at all, preflight or not', async (origin) => {
      const pre = await preflight('users', '/api/auth/login', origin, 'POST', 'content-type');
      expect(pre.status).toBe(404);
      expect(corsHeaders(pre)).toEqual([]);
      const simple = await store.request('search', 'GET', '/api/search?q=milk', {
        headers: { origin },
      });
      expect(simple.status).toBe(200);
      expect(corsHeaders(simple)).toEqual([]);
    });
  });

  describe('the refresh token in a cookie', () => {
    const cookieLogin = <T = Tokens>(
      headers: Record<string, string> = { 'x-csrf': '1', origin: SHOP },
    ) =>
      store.request<T>('users', 'POST', '/api/auth/login', {
        body: {
          username: DEMO.customer.username,
          password: DEMO.customer.password,
          refreshTokenIn: 'cookie',
        },
        headers,
      });
    const refreshWith = <T = Tokens>(
      cookie: SetCookie,
      headers: Record<string, string> = { 'x-csrf': '1' },
    ) =>
      store.request<T>('users', 'POST', '/api/auth/refresh', {
        headers: { cookie: `${cookie.name}=${cookie.value}`, ...headers },
      });
    const me = <T = Schema<'UserResponse'>>(token: string) =>
      store.request<T>('users', 'GET', '/api/users/me', { token });

    it('is set on login when asked for: httpOnly, Secure, SameSite=Strict, for /api/auth only, and left out of the answer', async () => {
      const res = await cookieLogin();
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.body.refreshToken).toBeUndefined();
      expect(res.text).not.toContain(refreshCookieOf(res).value);
      const cookie = refreshCookieOf(res);
      expect(cookie.value).toMatch(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]+$/);
      expect(cookie.attributes).toEqual({
        'max-age': '2592000',
        path: '/api/auth',
        httponly: '',
        secure: '',
        samesite: 'Strict',
      });
      expect((await me(res.body.accessToken)).status).toBe(200);
    });

    it('is not used unless asked for: the body flow is unchanged', async () => {
      const res = await store.request<Tokens>('users', 'POST', '/api/auth/login', {
        body: { username: DEMO.customer.username, password: DEMO.customer.password },
      });
      expect(res.status).toBe(200);
      expect(res.body.refreshToken).toEqual(expect.any(String));
      expect(res.headers.getSetCookie()).toEqual([]);
      const bad = await store.request<Invalid>('users', 'POST', '/api/auth/login', {
        body: {
          username: DEMO.customer.username,
          password: DEMO.customer.password,
          refreshTokenIn: 'header',
        },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.details.fields.map((f) => f.field)).toEqual(['refreshTokenIn']);
    });

    it('needs the CSRF header on login too', async () => {
      const res = await cookieLogin<ErrorBody>({ origin: SHOP });
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 403,
        code: 'CSRF_HEADER_REQUIRED',
      });
      expect(res.headers.getSetCookie()).toEqual([]);
    });

    it('is rotated by refresh; presenting the old cookie again revokes the session (401 REFRESH_TOKEN_REUSED)', async () => {
      const first = refreshCookieOf(await cookieLogin());
      const second = await refreshWith(first, { 'x-csrf': '1', origin: SHOP });
      expect(second.status).toBe(200);
      expect(second.headers.get('cache-control')).toBe('no-store');
      expect(second.body.refreshToken).toBeUndefined();
      const next = refreshCookieOf(second);
      expect(next.value).not.toBe(first.value);
      expect(next.attributes).toMatchObject({
        path: '/api/auth',
        httponly: '',
        samesite: 'Strict',
      });
      expect((await me(second.body.accessToken)).status).toBe(200);

      const reused = await refreshWith<ErrorBody>(first);
      expect({ status: reused.status, code: reused.body.code }).toEqual({
        status: 401,
        code: 'REFRESH_TOKEN_REUSED',
      });
      expect(clearsRefreshCookie(reused)).toBe(true);
      // The whole session is gone: the newest cookie and its access token too.
      expect((await refreshWith(next)).status).toBe(401);
      expect((await me<ErrorBody>(second.body.accessToken)).body.code).toBe('TOKEN_REVOKED');
    });

    it('refuses a refresh by cookie without the CSRF proof (403) and spends nothing', async () => {
      const cookie = refreshCookieOf(await cookieLogin());
      const noHeader = await refreshWith<ErrorBody>(cookie, { origin: SHOP });
      expect({ status: noHeader.status, code: noHeader.body.code }).toEqual({
        status: 403,
        code: 'CSRF_HEADER_REQUIRED',
      });
      expect(noHeader.headers.getSetCookie()).toEqual([]);
      const wrongValue = await refreshWith(cookie, { 'x-csrf': 'yes' });
      expect(wrongValue.status).toBe(403);
      const foreign = await refreshWith<ErrorBody>(cookie, {
        'x-csrf': '1',
        origin: 'https://evil.example',
      });
      expect({ status: foreign.status, code: foreign.body.code }).toEqual({
        status: 403,
        code: 'ORIGIN_NOT_ALLOWED',
      });
      // The site's own origin is always allowed, and the cookie was not spent by the refusals.
      const sameOrigin = await refreshWith(cookie, {
        'x-csrf': '1',
        origin: store.baseUrl('users'),
      });
      expect(sameOrigin.status).toBe(200);
      // Behind a proxy the Host differs from the page's origin; the browser's own
      // Sec-Fetch-Site still says the page is this site.
      const proxied = await refreshWith(refreshCookieOf(sameOrigin), {
        'x-csrf': '1',
        origin: 'https://market.example',
        'sec-fetch-site': 'same-origin',
      });
      expect(proxied.status).toBe(200);
      const crossSite = await refreshWith<ErrorBody>(refreshCookieOf(proxied), {
        'x-csrf': '1',
        origin: 'https://market.example',
        'sec-fetch-site': 'cross-site',
      });
      expect({ status: crossSite.status, code: crossSite.body.code }).toEqual({
        status: 403,
        code: 'ORIGIN_NOT_ALLOWED',
      });
    });

    it('still needs a refresh token from somewhere: neither body nor cookie is 400 naming refreshToken', async () => {
      const res = await store.request<Invalid>('users', 'POST', '/api/auth/refresh', {
        headers: { 'x-csrf': '1' },
      });
      expect(res.status).toBe(400);
      expect(res.body.details.fields.map((f) => f.field)).toEqual(['refreshToken']);
    });

    it('is enough to log out (with the CSRF proof), and logout clears it', async () => {
      const loggedIn = await cookieLogin();
      const cookie = refreshCookieOf(loggedIn);
      const logout = <T = unknown>(headers: Record<string, string>) =>
        store.request<T>('users', 'POST', '/api/auth/logout', {
          headers: { cookie: `${cookie.name}=${cookie.value}`, ...headers },
        });

      const refused = await logout<ErrorBody>({ origin: SHOP });
      expect({ status: refused.status, code: refused.body.code }).toEqual({
        status: 403,
        code: 'CSRF_HEADER_REQUIRED',
      });
      expect((await me(loggedIn.body.accessToken)).status).toBe(200);

      const out = await logout({ 'x-csrf': '1', origin: SHOP });
      expect(out.status).toBe(204);
      expect(clearsRefreshCookie(out)).toBe(true);
      expect((await me<ErrorBody>(loggedIn.body.accessToken)).body.code).toBe('TOKEN_REVOKED');
      expect((await refreshWith(cookie)).status).toBe(401);
    });

    it('is cleared by a logout with the bearer token', async () => {
      const loggedIn = await cookieLogin();
      const cookie = refreshCookieOf(loggedIn);
      const out = await store.request('users', 'POST', '/api/auth/logout', {
        token: loggedIn.body.accessToken,
        headers: { cookie: `${cookie.name}=${cookie.value}` },
      });
      expect(out.status).toBe(204);
      expect(clearsRefreshCookie(out)).toBe(true);
      expect((await refreshWith(cookie)).status).toBe(401);
    });

    it('is described in the OpenAPI document', async () => {
      const doc = (await store.request<ApiDocument>('users', 'GET', '/docs/json')).body;
      expect(doc.components.securitySchemes.refreshCookie).toMatchObject({
        type: 'apiKey',
        in: 'cookie',
        name: 'mfm_refresh',
      });
      expect(doc.components.schemas.LoginDto.properties.refreshTokenIn).toMatchObject({
        enum: ['body', 'cookie'],
        default: 'body',
      });
      for (const path of ['/api/auth/login', '/api/auth/refresh', '/api/auth/logout']) {
        const operation = doc.paths[path].post;
        expect([path, operation.parameters.map((p) => `${p.in}:${p.name}`)]).toEqual([
          path,
          expect.arrayContaining(['header:X-CSRF']),
        ]);
      }
      for (const path of ['/api/auth/refresh', '/api/auth/logout'])
        expect(doc.paths[path].post.security).toContainEqual({ refreshCookie: [] });
    });
  });
});
