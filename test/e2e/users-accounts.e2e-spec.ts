import { randomUUID } from 'node:crypto';
import { DEMO, login, PUBLIC_PROFILE_KEYS } from '../support/accounts';
import type { AuditEventPage, Schema, Session, ValidationErrorBody } from '../support/api-types';
import { Store, BEHAVIOUR_TOPOLOGIES } from '../support/store';

/**
 * Accounts and roles over HTTP, in one process and in five: the seeded demo accounts, /me, the
 * employee-only routes (list with paging and filters, get, create, patch) and each of their
 * rejections, what disabling an account or changing its role does to tokens already issued —
 * checked by users itself and by another module (logging) — and the audit trail of it all.
 */

interface Profile {
  id: string;
  username: string;
  email: string;
  firstName: string;
  lastName: string;
  role: 'customer' | 'employee';
  enabled: boolean;
}

const PASSWORD = 'Crisp-Apples-7';
const fieldsOf = (body: { details?: { fields?: Array<{ field: string }> } }) =>
  [...new Set((body.details?.fields ?? []).map((f) => f.field))].sort();

type User = Schema<'UserResponse'>;
/** The body on success, or an error's fields when the status says so. */
type Answer<T> = T & Partial<ValidationErrorBody>;

describe.each(BEHAVIOUR_TOPOLOGIES)('users: accounts and roles (%s)', (topology) => {
  let store: Store;
  let employee: Session;
  let customer: Session;
  let seq = 0;
  const unique = (prefix: string) => `${prefix}${++seq}_${randomUUID().slice(0, 6)}`;
  const accountBody = (overrides: Record<string, unknown> = {}) => {
    const username = unique('acc');
    return {
      firstName: 'Jordan',
      lastName: 'Reyes',
      username,
      email: `${username}@example.com`,
      password: PASSWORD,
      ...overrides,
    };
  };
  const as = (session: Session | undefined) => (session ? { token: session.accessToken } : {});
  const listUsers = (query: string, session: Session = employee) =>
    store.request<Answer<Schema<'UserPageResponse'>>>(
      'users',
      'GET',
      `/api/users${query}`,
      as(session),
    );
  const createUser = (body: unknown, session: Session = employee) =>
    store.request<Answer<User>>('users', 'POST', '/api/users', { ...as(session), body });
  const patchUser = (id: string, body: unknown, session: Session = employee) =>
    store.request<Answer<User>>('users', 'PATCH', `/api/users/${id}`, { ...as(session), body });
  const getUser = (id: string, session: Session = employee) =>
    store.request<Answer<User>>('users', 'GET', `/api/users/${id}`, as(session));
  const me = (token: string) =>
    store.request<Answer<User>>('users', 'GET', '/api/users/me', { token });
  /** By default another user's events: an employee-only read in the logging module. */
  const readLogs = (token: string, query = `username=${DEMO.employee.username}&limit=1`) =>
    store.request<Answer<AuditEventPage>>('logging', 'GET', `/api/logs?${query}`, { token });
  /** A new customer, signed up and logged in. */
  const newCustomer = async (): Promise<Session & { body: ReturnType<typeof accountBody> }> => {
    const body = accountBody();
    expect((await store.request('users', 'POST', '/api/auth/register', { body })).status).toBe(201);
    return { ...(await login(store, body.username, body.password)), body };
  };

  beforeAll(async () => {
    store = await Store.start(topology);
    employee = await login(store, DEMO.employee.username, DEMO.employee.password);
    customer = await login(store, DEMO.customer.username, DEMO.customer.password);
  }, 120_000);

  afterAll(async () => {
    await store?.close();
  });

  describe('seed', () => {
    it('a fresh store has the demo employee and the demo customer', async () => {
      expect(employee.user).toMatchObject({ username: 'manager', role: 'employee' });
      expect(customer.user).toMatchObject({ username: 'customer', role: 'customer' });
      const employees = await listUsers('?role=employee');
      expect(employees.body.items.map((u: Profile) => u.username)).toEqual(['manager']);
      const customers = await listUsers('?role=customer');
      expect(customers.body.items.map((u: Profile) => u.username)).toContain('customer');
    });
  });

  describe('GET /api/users/me', () => {
    it("answers the caller's own public profile, for a customer and for an employee", async () => {
      for (const session of [customer, employee]) {
        const res = await me(session.accessToken);
        expect(res.status).toBe(200);
        expect(Object.keys(res.body).sort()).toEqual(PUBLIC_PROFILE_KEYS);
        expect(res.body).toMatchObject({
          id: session.user.id,
          username: session.user.username,
          role: session.user.role,
          enabled: true,
        });
      }
    });

    it('is 401 without a token', async () => {
      const res = await store.request('users', 'GET', '/api/users/me');
      expect(res.status).toBe(401);
      expect(res.body).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        code: 'UNAUTHENTICATED',
        message: expect.any(String),
      });
    });
  });

  describe('employee-only routes', () => {
    const routes = (id: string): Array<[string, string, unknown]> => [
      ['GET', '/api/users', undefined],
      ['GET', `/api/users?role=employee`, undefined],
      ['POST', '/api/users', accountBody({ role: 'employee' })],
      ['GET', `/api/users/${id}`, undefined],
      ['PATCH', `/api/users/${id}`, { role: 'employee' }],
    ];

    it('are 401 without a token and 403 FORBIDDEN for a customer, and change nothing', async () => {
      const outcomes = [];
      for (const [method, path, body] of routes(customer.user.id)) {
        const anonymous = await store.request('users', method, path, { body });
        const asCustomer = await store.request('users', method, path, {
          body,
          token: customer.accessToken,
        });
        outcomes.push({
          route: `${method} ${path}`,
          anonymous: anonymous.status,
          customer: asCustomer.status,
          code: asCustomer.body.code,
        });
      }
      expect(outcomes).toEqual(
        routes(customer.user.id).map(([method, path]) => ({
          route: `${method} ${path}`,
          anonymous: 401,
          customer: 403,
          code: 'FORBIDDEN',
        })),
      );
      // The customer did not promote themselves, and is still a customer.
      expect((await getUser(customer.user.id)).body.role).toBe('customer');
      expect((await me(customer.accessToken)).status).toBe(200);
    });
  });

  describe('POST /api/users (employees create accounts)', () => {
    it('creates an employee who can then use the employee routes and read the audit log', async () => {
      const body = accountBody({ role: 'employee' });
      const res = await createUser(body);
      expect(res.status).toBe(201);
      expect(Object.keys(res.body).sort()).toEqual(PUBLIC_PROFILE_KEYS);
      expect(res.body).toMatchObject({ username: body.username, role: 'employee', enabled: true });
      const colleague = await login(store, body.username, body.password);
      expect(colleague.user.role).toBe('employee');
      expect((await listUsers('?limit=1', colleague)).status).toBe(200);
      expect((await readLogs(colleague.accessToken)).status).toBe(200);
      // and can create employees in turn
      expect((await createUser(accountBody({ role: 'employee' }), colleague)).body.role).toBe(
        'employee',
      );
    });

    it('creates a customer when no role is given', async () => {
      const res = await createUser(accountBody());
      expect(res.status).toBe(201);
      expect(res.body.role).toBe('customer');
    });

    it('applies the same rules as sign-up: invalid role, unknown fields, weak password, taken username or email', async () => {
      const badRole = await createUser(accountBody({ role: 'admin' }));
      expect(badRole.status).toBe(400);
      expect(fieldsOf(badRole.body)).toEqual(['role']);
      const unknown = await createUser(accountBody({ enabled: false }));
      expect(unknown.status).toBe(400);
      expect(fieldsOf(unknown.body)).toEqual(['enabled']);
      const weak = await createUser(accountBody({ password: 'jordan-Is-7' }));
      expect(weak.status).toBe(400);
      expect(weak.body).toMatchObject({
        code: 'WEAK_PASSWORD',
        details: { rules: ['must not contain your first name'] },
      });
      const takenName = await createUser(accountBody({ username: 'MANAGER' }));
      expect(takenName.status).toBe(409);
      expect(takenName.body.code).toBe('USERNAME_TAKEN');
      const takenEmail = await createUser(accountBody({ email: 'MANAGER@microfoods.example' }));
      expect(takenEmail.status).toBe(409);
      expect(takenEmail.body.code).toBe('EMAIL_TAKEN');
    });
  });

  describe('GET /api/users (paged, filtered)', () => {
    it('counts exactly what exists: totals by role add up and grow by what was added', async () => {
      const before = {
        all: (await listUsers('?limit=100')).body.total,
        employees: (await listUsers('?role=employee&limit=100')).body.total,
        customers: (await listUsers('?role=customer&limit=100')).body.total,
      };
      expect(before.all).toBe(before.employees + before.customers);
      for (let i = 0; i < 3; i++) await newCustomer();
      expect((await createUser(accountBody({ role: 'employee' }))).status).toBe(201);
      const after = await listUsers('?limit=100');
      expect(after.body.total).toBe(before.all + 4);
      expect(after.body.items).toHaveLength(Math.min(after.body.total, 100));
      expect((await listUsers('?role=customer&limit=100')).body.total).toBe(before.customers + 3);
      const employees = await listUsers('?role=employee&limit=100');
      expect(employees.body.total).toBe(before.employees + 1);
      expect(employees.body.items.every((u: Profile) => u.role === 'employee')).toBe(true);
      for (const item of after.body.items)
        expect(Object.keys(item).sort()).toEqual(PUBLIC_PROFILE_KEYS);
    });

    it('pages with page and limit: consecutive pages are disjoint and follow the full list', async () => {
      const all = await listUsers('?limit=100');
      const first = await listUsers('?page=1&limit=2');
      const second = await listUsers('?page=2&limit=2');
      expect(first.body).toMatchObject({ page: 1, limit: 2, total: all.body.total });
      expect(second.body).toMatchObject({ page: 2, limit: 2, total: all.body.total });
      expect([...first.body.items, ...second.body.items].map((u: Profile) => u.id)).toEqual(
        all.body.items.slice(0, 4).map((u: Profile) => u.id),
      );
      const beyond = await listUsers(`?page=${all.body.total + 1}&limit=1`);
      expect(beyond.body).toMatchObject({ items: [], total: all.body.total });
      const defaults = await listUsers('');
      expect(defaults.body).toMatchObject({ page: 1, limit: 20 });
    });

    it('filters by enabled', async () => {
      const victim = await newCustomer();
      const all = (await listUsers('?limit=100')).body.total;
      const disabledBefore = (await listUsers('?enabled=false&limit=100')).body.total;
      expect((await patchUser(victim.user.id, { enabled: false })).status).toBe(200);
      const disabled = await listUsers('?enabled=false&limit=100');
      expect(disabled.body.total).toBe(disabledBefore + 1);
      expect(disabled.body.items.map((u: Profile) => u.id)).toContain(victim.user.id);
      expect(disabled.body.items.every((u: Profile) => !u.enabled)).toBe(true);
      const enabled = await listUsers('?enabled=true&limit=100');
      expect(enabled.body.items.every((u: Profile) => u.enabled)).toBe(true);
      expect(enabled.body.total + disabled.body.total).toBe(all);
      const disabledCustomers = await listUsers('?enabled=false&role=customer&limit=100');
      expect(disabledCustomers.body.items.map((u: Profile) => u.id)).toContain(victim.user.id);
      expect(
        (await listUsers('?enabled=false&role=employee&limit=100')).body.items.map(
          (u: Profile) => u.id,
        ),
      ).not.toContain(victim.user.id);
    });

    it('refuses bad paging and filters with 400 naming the parameter', async () => {
      const cases: Array<[string, string]> = [
        ['?limit=101', 'limit'],
        ['?limit=0', 'limit'],
        ['?page=0', 'page'],
        ['?page=abc', 'page'],
        ['?role=admin', 'role'],
        ['?enabled=maybe', 'enabled'],
        ['?sort=username', 'sort'],
      ];
      const outcomes = [];
      for (const [query] of cases) {
        const res = await listUsers(query);
        outcomes.push({
          query,
          status: res.status,
          code: res.body.code,
          fields: fieldsOf(res.body),
        });
      }
      expect(outcomes).toEqual(
        cases.map(([query, field]) => ({
          query,
          status: 400,
          code: 'VALIDATION_FAILED',
          fields: [field],
        })),
      );
    });
  });

  describe('GET /api/users/:id', () => {
    it('answers one account; 404 USER_NOT_FOUND for an unknown id; 400 for an id that is not a UUID', async () => {
      const found = await getUser(customer.user.id);
      expect(found.status).toBe(200);
      expect(Object.keys(found.body).sort()).toEqual(PUBLIC_PROFILE_KEYS);
      expect(found.body).toMatchObject({ id: customer.user.id, username: 'customer' });
      const missing = await getUser(randomUUID());
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({
        statusCode: 404,
        error: 'Not Found',
        code: 'USER_NOT_FOUND',
      });
      const notUuid = await getUser('not-a-uuid');
      expect(notUuid.status).toBe(400);
      expect(notUuid.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(fieldsOf(notUuid.body)).toEqual(['id']);
    });
  });

  describe('PATCH /api/users/:id', () => {
    it('changes names and email and answers the whole updated profile', async () => {
      const target = await newCustomer();
      const email = `${unique('new')}@example.com`;
      const res = await patchUser(target.user.id, {
        firstName: 'Jo',
        lastName: 'Reyes-Smith',
        email,
      });
      expect(res.status).toBe(200);
      expect(Object.keys(res.body).sort()).toEqual(PUBLIC_PROFILE_KEYS);
      expect(res.body).toMatchObject({
        id: target.user.id,
        username: target.body.username,
        firstName: 'Jo',
        lastName: 'Reyes-Smith',
        email,
        role: 'customer',
        enabled: true,
      });
      // a change of one field leaves the others as they are
      const one = await patchUser(target.user.id, { firstName: 'Josephine' });
      expect(one.body).toMatchObject({
        firstName: 'Josephine',
        lastName: 'Reyes-Smith',
        email,
        role: 'customer',
        enabled: true,
      });
      expect((await getUser(target.user.id)).body).toMatchObject({
        firstName: 'Josephine',
        lastName: 'Reyes-Smith',
        email,
      });
      // the profile the user sees agrees
      expect((await me(target.accessToken)).body).toMatchObject({ firstName: 'Josephine', email });
    });

    it('refuses an email another account has (any case) with 409 EMAIL_TAKEN, but takes a case change of its own', async () => {
      const target = await newCustomer();
      const taken = await patchUser(target.user.id, { email: 'CUSTOMER@microfoods.example' });
      expect(taken.status).toBe(409);
      expect(taken.body).toMatchObject({ code: 'EMAIL_TAKEN' });
      expect((await getUser(target.user.id)).body.email).toBe(target.body.email);
      const own = await patchUser(target.user.id, { email: target.body.email.toUpperCase() });
      expect(own.status).toBe(200);
      expect(own.body.email).toBe(target.body.email.toUpperCase());
    });

    it('refuses unknown and invalid fields with 400 naming them', async () => {
      const target = await newCustomer();
      const cases: Array<[Record<string, unknown>, string[]]> = [
        [{ username: 'renamed' }, ['username']],
        [{ password: 'Other-Pass-9' }, ['password']],
        [{ passwordHash: 'x' }, ['passwordHash']],
        [{ id: randomUUID() }, ['id']],
        [{ email: 'not-an-email' }, ['email']],
        [{ role: 'admin' }, ['role']],
        [{ enabled: 'no' }, ['enabled']],
        [{ firstName: '' }, ['firstName']],
        [{ firstName: 'ok', lastName: 'x'.repeat(101) }, ['lastName']],
      ];
      const outcomes = [];
      for (const [body] of cases) {
        const res = await patchUser(target.user.id, body);
        outcomes.push({
          body,
          status: res.status,
          code: res.body.code,
          fields: fieldsOf(res.body),
        });
      }
      expect(outcomes).toEqual(
        cases.map(([body, fields]) => ({ body, status: 400, code: 'VALIDATION_FAILED', fields })),
      );
      expect((await getUser(target.user.id)).body).toMatchObject({
        username: target.body.username,
        firstName: 'Jordan',
        role: 'customer',
        enabled: true,
      });
    });

    it('is 404 for an unknown id and 400 for an id that is not a UUID', async () => {
      const missing = await patchUser(randomUUID(), { firstName: 'Ghost' });
      expect(missing.status).toBe(404);
      expect(missing.body.code).toBe('USER_NOT_FOUND');
      const notUuid = await patchUser('42', { firstName: 'Ghost' });
      expect(notUuid.status).toBe(400);
      expect(fieldsOf(notUuid.body)).toEqual(['id']);
    });

    it('will not let an employee disable or demote themselves (422 SELF_LOCKOUT)', async () => {
      const self = await createUser(accountBody({ role: 'employee' }));
      const session = await login(store, self.body.username, PASSWORD);
      for (const change of [{ enabled: false }, { role: 'customer' }]) {
        const res = await patchUser(self.body.id, change, session);
        expect(res.status).toBe(422);
        expect(res.body.code).toBe('SELF_LOCKOUT');
      }
      expect((await readLogs(session.accessToken)).status).toBe(200);
    });
  });

  describe('disabling an account', () => {
    it('a disabled customer cannot log in (403 ACCOUNT_DISABLED), and its tokens stop at the next check (401)', async () => {
      const target = await newCustomer();
      expect((await me(target.accessToken)).status).toBe(200);
      const res = await patchUser(target.user.id, { enabled: false });
      expect(res.status).toBe(200);
      expect(res.body.enabled).toBe(false);

      const afterToken = await me(target.accessToken);
      expect(afterToken.status).toBe(401);
      expect(afterToken.body.code).toBe('ACCOUNT_DISABLED');
      const loginAgain = await store.request('users', 'POST', '/api/auth/login', {
        body: { username: target.body.username, password: target.body.password },
      });
      expect(loginAgain.status).toBe(403);
      expect(loginAgain.body).toMatchObject({
        statusCode: 403,
        error: 'Forbidden',
        code: 'ACCOUNT_DISABLED',
      });
      // a wrong password for a disabled account still looks like any wrong password
      const wrong = await store.request('users', 'POST', '/api/auth/login', {
        body: { username: target.body.username, password: 'Wrong-Password-1' },
      });
      expect(wrong.status).toBe(401);
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
      expect(
        (
          await store.request('users', 'POST', '/api/auth/refresh', {
            body: { refreshToken: target.refreshToken },
          })
        ).status,
      ).toBe(401);

      // enabled again: a new login works (the old session was ended by the refused refresh)
      expect((await patchUser(target.user.id, { enabled: true })).status).toBe(200);
      const back = await login(store, target.body.username, target.body.password);
      expect((await me(back.accessToken)).status).toBe(200);
    });

    it('a disabled employee is refused by another module too: GET /api/logs on logging → 401', async () => {
      const body = accountBody({ role: 'employee' });
      const created = await createUser(body);
      const colleague = await login(store, body.username, body.password);
      expect((await readLogs(colleague.accessToken)).status).toBe(200);
      expect((await listUsers('?limit=1', colleague)).status).toBe(200);

      expect((await patchUser(created.body.id, { enabled: false })).status).toBe(200);

      const logs = await readLogs(colleague.accessToken);
      expect(logs.status).toBe(401);
      expect(logs.body).toMatchObject({ statusCode: 401, code: 'ACCOUNT_DISABLED' });
      expect((await listUsers('?limit=1', colleague)).status).toBe(401);
    });
  });

  describe('changing a role', () => {
    it('a promoted customer: the old token stops working; a new login carries the employee role', async () => {
      const target = await newCustomer();
      expect((await readLogs(target.accessToken)).status).toBe(403);
      const res = await patchUser(target.user.id, { role: 'employee' });
      expect(res.status).toBe(200);
      expect(res.body.role).toBe('employee');

      const old = await me(target.accessToken);
      expect(old.status).toBe(401);
      expect(old.body.code).toBe('ROLE_CHANGED');
      expect((await readLogs(target.accessToken)).status).toBe(401);

      const fresh = await login(store, target.body.username, target.body.password);
      expect(fresh.user.role).toBe('employee');
      expect((await readLogs(fresh.accessToken)).status).toBe(200);
    });

    it('a demoted employee: the old token no longer opens employee routes, in users or in logging', async () => {
      const body = accountBody({ role: 'employee' });
      const created = await createUser(body);
      const colleague = await login(store, body.username, body.password);
      expect((await readLogs(colleague.accessToken)).status).toBe(200);

      expect((await patchUser(created.body.id, { role: 'customer' })).status).toBe(200);

      expect((await readLogs(colleague.accessToken)).status).toBe(401);
      expect((await listUsers('?limit=1', colleague)).status).toBe(401);
      const fresh = await login(store, body.username, body.password);
      expect(fresh.user.role).toBe('customer');
      expect((await readLogs(fresh.accessToken)).status).toBe(403);
      expect((await listUsers('?limit=1', fresh)).status).toBe(403);
    });
  });

  describe('audit trail in logging', () => {
    const events = async (query: string) => {
      const res = await readLogs(employee.accessToken, `${query}&limit=100`);
      expect(res.status).toBe(200);
      return res.body;
    };

    it('an account created by an employee: user_created with the employee as actor and the role', async () => {
      const body = accountBody({ role: 'employee' });
      const created = await createUser(body);
      const found = (await events('type=user_created&username=manager')).items.filter(
        (e) => e.subject.id === created.body.id,
      );
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        type: 'user_created',
        actor: { userId: employee.user.id, username: 'manager' },
        subject: { kind: 'user', id: created.body.id, name: body.username },
        payload: { role: 'employee' },
        occurredAt: expect.any(String),
      });
    });

    it('a change: user_updated with actor, subject and each changed field (from/to, personal data only as changed); refused changes leave no event', async () => {
      const target = await newCustomer();
      const forTarget = async () =>
        (await events('type=user_updated')).items.filter((e) => e.subject.id === target.user.id);
      expect(await forTarget()).toEqual([]);
      expect(
        (await patchUser(target.user.id, { email: 'customer@microfoods.example' })).status,
      ).toBe(409);
      expect((await patchUser(target.user.id, { username: 'nope' })).status).toBe(400);
      expect((await patchUser(target.user.id, { firstName: 'Jordan' })).status).toBe(200); // no actual change
      expect((await patchUser(target.user.id, { firstName: 'Jade' }, customer)).status).toBe(403);
      expect(await forTarget()).toEqual([]);

      expect(
        (await patchUser(target.user.id, { firstName: 'Jade', role: 'employee', enabled: false }))
          .status,
      ).toBe(200);
      const found = await forTarget();
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        actor: { userId: employee.user.id, username: 'manager' },
        subject: { kind: 'user', id: target.user.id, name: target.body.username },
        payload: {
          changes: {
            // Names and addresses stay out of the audit log: that they changed, not the values.
            firstName: { changed: true },
            role: { from: 'customer', to: 'employee' },
            enabled: { from: true, to: false },
          },
        },
      });
      expect(Object.keys(found[0].payload.changes as object).sort()).toEqual([
        'enabled',
        'firstName',
        'role',
      ]);
      expect(JSON.stringify(found[0].payload)).not.toMatch(/Jordan|Jade/);
    });

    it('logins: one event per successful login, none for a wrong password or a disabled account', async () => {
      const target = await newCustomer(); // newCustomer logs in once
      const count = async () => (await events(`type=login&username=${target.body.username}`)).total;
      expect(await count()).toBe(1);
      await store.request('users', 'POST', '/api/auth/login', {
        body: { username: target.body.username, password: 'Wrong-Password-1' },
      });
      expect(await count()).toBe(1);
      await login(store, target.body.username, target.body.password);
      expect(await count()).toBe(2);
      await patchUser(target.user.id, { enabled: false });
      expect(
        (
          await store.request('users', 'POST', '/api/auth/login', {
            body: { username: target.body.username, password: target.body.password },
          })
        ).status,
      ).toBe(403);
      expect(await count()).toBe(2);
    });

    it("the log: 401 without a token; a customer sees only their own events, 403 for anyone else's", async () => {
      expect((await store.request('logging', 'GET', '/api/logs')).status).toBe(401);
      const own = await readLogs(customer.accessToken, 'limit=100');
      expect(own.status).toBe(200);
      const actors = (own.body.items as Array<{ actor: { username: string } | null }>).map(
        (e) => e.actor?.username,
      );
      expect(actors.length).toBeGreaterThan(0);
      expect(new Set(actors)).toEqual(new Set([DEMO.customer.username]));
      expect(
        (await readLogs(customer.accessToken, `username=${DEMO.employee.username}`)).status,
      ).toBe(403);
    });
  });
});
