import { randomUUID } from 'node:crypto';
import { DEMO, login } from '../support/accounts';
import type { AuditEventPage } from '../support/api-types';
import { eventually } from '../support/platform';
import { MODULES, Store, TOPOLOGIES, useStore } from '../support/store';

jest.setTimeout(60_000);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe.each(TOPOLOGIES)('request ids and logs (%s)', (topology) => {
  let store: Store;
  const labels = () => [...new Set(MODULES.map((m) => store.processOf(m)))];

  useStore(topology, (started) => (store = started));

  it('keeps an incoming X-Request-Id and returns it, on success and on error', async () => {
    const ok = await store.request('users', 'GET', '/health', {
      headers: { 'x-request-id': 'client-id-1' },
    });
    expect(ok.headers.get('x-request-id')).toBe('client-id-1');
    const notFound = await store.request('logging', 'GET', '/api/nowhere', {
      headers: { 'x-request-id': 'client-id-2' },
    });
    expect(notFound.status).toBe(404);
    expect(notFound.headers.get('x-request-id')).toBe('client-id-2');
    const unauthorized = await store.request('logging', 'GET', '/api/logs', {
      headers: { 'x-request-id': 'client-id-3' },
    });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('x-request-id')).toBe('client-id-3');
  });

  it('generates a new uuid for each request that has none, or an unusable one', async () => {
    const first = (await store.request('users', 'GET', '/health')).headers.get('x-request-id');
    const second = (await store.request('users', 'GET', '/health')).headers.get('x-request-id');
    expect(first).toMatch(UUID);
    expect(second).toMatch(UUID);
    expect(first).not.toBe(second);
    const odd = await store.request('users', 'GET', '/health', {
      headers: { 'x-request-id': 'x'.repeat(300) },
    });
    expect(odd.headers.get('x-request-id')).toMatch(UUID);
    const injected = await store.request('users', 'GET', '/health', {
      headers: { 'x-request-id': 'a"b\\c{}' },
    });
    expect(injected.headers.get('x-request-id')).toMatch(UUID);
  });

  it('carries the request id across a module call: users logs users.verify_token with the id logging received', async () => {
    const employee = await login(store, DEMO.employee.username, DEMO.employee.password);
    const requestId = `abc-${topology}-${randomUUID().slice(0, 8)}`;
    const res = await store.request('logging', 'GET', '/api/logs', {
      token: employee.accessToken,
      headers: { 'x-request-id': requestId },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe(requestId);

    const verify = await eventually(
      () =>
        store
          .logLines(store.processOf('users'))
          .find((l) => l.pattern === 'users.verify_token' && l.requestId === requestId),
      'a users.verify_token log line with the request id',
    );
    expect(verify).toMatchObject({
      outcome: 'ok',
      caller: topology === 'single' ? 'all' : 'logging',
    });
    // The HTTP access line on the receiving side carries the same id.
    const access = await eventually(
      () =>
        store
          .logLines(store.processOf('logging'))
          .find((l) => l.requestId === requestId && l.msg === 'request completed'),
      'the access log line of GET /api/logs',
    );
    expect(access).toMatchObject({
      req: { method: 'GET', url: '/api/logs' },
      res: { statusCode: 200 },
    });
  });

  it('carries it into data too: the audit event of a login stores the id of the login request', async () => {
    const requestId = `login-${topology}-${randomUUID().slice(0, 8)}`;
    const res = await store.request('users', 'POST', '/api/auth/login', {
      body: { username: DEMO.customer.username, password: DEMO.customer.password },
      headers: { 'x-request-id': requestId },
    });
    expect(res.status).toBe(200);
    const employee = await login(store, DEMO.employee.username, DEMO.employee.password);
    const event = await eventually(async () => {
      const page = await store.request<AuditEventPage>(
        'logging',
        'GET',
        `/api/logs?type=login&username=${DEMO.customer.username}&limit=100`,
        { token: employee.accessToken },
      );
      return page.body.items?.find((e) => e.requestId === requestId);
    }, 'the login audit event');
    expect(event).toMatchObject({ type: 'login', requestId });
  });

  it('writes JSON log lines only, and never a password, a token or an Authorization header', async () => {
    const password = 'Secret-Word-9731';
    const username = `logcheck_${randomUUID().slice(0, 8)}`;
    const registered = await store.request('users', 'POST', '/api/auth/register', {
      body: {
        firstName: 'Log',
        lastName: 'Check',
        username,
        email: `${username}@example.com`,
        password,
      },
    });
    expect(registered.status).toBe(201);
    const session = await login(store, username, password);
    const wrong = await store.request('users', 'POST', '/api/auth/login', {
      body: { username, password: 'Wrong-Guess-4410' },
    });
    expect(wrong.status).toBe(401);
    const marker = `secrets-${topology}`;
    await store.request('users', 'GET', '/api/users/me', {
      token: session.accessToken,
      headers: { 'x-request-id': marker },
    });
    await store.request('logging', 'GET', '/api/logs', {
      token: session.accessToken,
      headers: { 'x-request-id': `${marker}-2` },
    });
    await store.request('users', 'POST', '/api/auth/refresh', {
      body: { refreshToken: session.refreshToken },
    });

    // Wait until the last request's access line is out, so everything before it is too.
    await eventually(
      () =>
        store
          .logLines(store.processOf('logging'))
          .some((l) => l.requestId === `${marker}-2` && l.msg === 'request completed'),
      'the last access log line',
    );
    for (const label of labels()) {
      const output = store.output(label);
      const lines = output.split('\n').filter((line) => line.trim() !== '');
      const notJson = lines.filter((line) => {
        try {
          return typeof JSON.parse(line) !== 'object';
        } catch {
          return true;
        }
      });
      expect([label, notJson]).toEqual([label, []]);
      for (const secret of [
        password,
        'Wrong-Guess-4410',
        session.accessToken,
        session.refreshToken,
        `Bearer ${session.accessToken}`,
      ]) {
        expect([label, output.includes(secret)]).toEqual([label, false]);
      }
    }
    // The requests were logged (so the check above looked at real access lines).
    const usersLines = store.logLines(store.processOf('users'));
    expect(
      usersLines.some(
        (l) =>
          l.msg === 'request completed' && (l.req as { url?: string })?.url === '/api/auth/login',
      ),
    ).toBe(true);
    expect(usersLines.some((l) => l.requestId === marker && l.msg === 'request completed')).toBe(
      true,
    );
  });

  it('gives every request and RPC log line a request id', async () => {
    // /ready on every process: an access line each, and (split) ping calls to their peers.
    for (const module of MODULES)
      expect(
        (
          await store.request(module, 'GET', '/ready', {
            headers: { 'x-request-id': `ready-${module}` },
          })
        ).status,
      ).toBe(200);
    for (const module of MODULES) {
      await eventually(
        () =>
          store
            .logLines(store.processOf(module))
            .some((l) => l.requestId === `ready-${module}` && l.msg === 'request completed'),
        `the /ready access line of ${module}`,
      );
    }
    for (const label of labels()) {
      const lines = store
        .logLines(label)
        .filter((l) => l.msg === 'request completed' || l.context === 'Rpc');
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((l) => typeof l.requestId !== 'string' || l.requestId === '')).toEqual(
        [],
      );
    }
    if (topology === 'split') {
      // users' /ready pinged logging: logging logged the ping under users' request id.
      const ping = await eventually(
        () =>
          store
            .logLines('logging')
            .find((l) => l.pattern === 'logging.ping' && l.requestId === 'ready-users'),
        "the logging.ping line of users' /ready",
      );
      expect(ping).toMatchObject({ caller: 'users', outcome: 'ok' });
    }
  });
});
