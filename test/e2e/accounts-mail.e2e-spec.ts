import { randomUUID } from 'node:crypto';
import { DEMO, login, newCustomer, stepUp, verifyEmail } from '../support/accounts';
import type {
  ErrorBody,
  Order,
  ProductPage,
  Schema,
  ValidationErrorBody,
} from '../support/api-types';
import { SmtpCatcher, tokenIn } from '../support/mail';
import { moduleSql } from '../support/module-sql';
import { Store, BEHAVIOUR_TOPOLOGIES } from '../support/store';
import { auditTypes as auditTypesOf } from '../support/audit-log';

/**
 * Mail that reaches people, through a real SMTP server in the test process: sign-up verification
 * (an unverified account may browse, not order), password reset (same answer for unknown
 * addresses, single use, 30 minutes, every session ended), email change confirmed at the new
 * address, order confirmation and cancellation mails from orders, the contact form mailed to
 * FEEDBACK_EMAIL, and a mail server outage that delays mail without failing or losing any.
 */
type User = Schema<'UserResponse'>;
type Accepted = Schema<'AcceptedResponse'>;
type Feedback = Schema<'FeedbackResponse'>;
type FeedbackPage = Schema<'FeedbackPageResponse'>;

describe.each(BEHAVIOUR_TOPOLOGIES)('accounts: mail flows over SMTP (%s)', (topology) => {
  let store: Store;
  let smtp: SmtpCatcher;
  let employee: string;
  let productId: string;
  const feedbackInbox = 'feedback@shop.example';

  const post = <T = unknown>(path: string, body: unknown, token?: string) =>
    store.request<T>('users', 'POST', path, { body, token });
  const register = async (overrides: Record<string, string> = {}) => {
    const username = `m_${randomUUID().slice(0, 8)}`;
    const body = {
      firstName: 'Grace',
      lastName: 'Hopper',
      username,
      email: `${username}@example.com`,
      password: 'Compiler-Pioneer-1952',
      ...overrides,
    };
    const res = await post<User>('/api/auth/register', body);
    expect(res.status).toBe(201);
    return { ...body, id: res.body.id };
  };
  const order = <T = unknown>(token: string) =>
    store.request<T>('orders', 'POST', '/api/orders', {
      token,
      body: { items: [{ productId, quantity: 1 }] },
    });
  const auditTypes = (username: string) => auditTypesOf(store, employee, username);

  beforeAll(async () => {
    smtp = await SmtpCatcher.start();
    store = await Store.start(topology, {
      env: { SMTP_URL: smtp.url, FEEDBACK_EMAIL: feedbackInbox, RATE_LIMIT_FEEDBACK: '3/3600' },
    });
    employee = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
    const products = await store.request<ProductPage>(
      'products',
      'GET',
      '/api/products?inStock=true&limit=1',
    );
    productId = products.body.items[0].id;
  });

  afterAll(async () => {
    await store?.close();
    await smtp?.stop();
  });

  it('mails a verification link at sign-up; an unverified account browses but cannot order until it opens it', async () => {
    const user = await register();
    const mail = await smtp.waitFor(user.email, /Confirm your email address/);
    expect(mail.text).toContain('Hello Grace,');
    expect(mail.html).toContain('<a href="http://localhost:');
    const { accessToken } = await login(store, user.username, user.password);
    expect(
      (await store.request<User>('users', 'GET', '/api/users/me', { token: accessToken })).body,
    ).toMatchObject({ emailVerified: false });
    expect((await store.request('products', 'GET', `/api/products/${productId}`)).status).toBe(200);
    const refused = await order<ErrorBody>(accessToken);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('EMAIL_NOT_VERIFIED');

    expect((await post('/api/auth/verify-email', { token: tokenIn(mail) })).status).toBe(204);
    // The link works once.
    const again = await post<ErrorBody>('/api/auth/verify-email', { token: tokenIn(mail) });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('INVALID_VERIFICATION_TOKEN');
    expect((await order(accessToken)).status).toBe(201);
    expect(await auditTypes(user.username)).toEqual(expect.arrayContaining(['email_verified']));
  });

  it("mails a confirmation when an order is placed and when it is cancelled, to the account's address", async () => {
    const customer = await newCustomer(store, { mail: smtp });
    const placed = await order<Order>(customer.accessToken);
    expect(placed.status).toBe(201);
    const confirmed = await smtp.waitFor(customer.email, /order is confirmed/);
    expect(confirmed.text).toContain(placed.body.id);
    expect(confirmed.text).toContain('Hello Test,');
    const cancelled = await store.request(
      'orders',
      'POST',
      `/api/orders/${placed.body.id}/cancel`,
      {
        token: customer.accessToken,
      },
    );
    expect(cancelled.status).toBe(200);
    const mail = await smtp.waitFor(customer.email, /order was cancelled/);
    expect(mail.text).toContain(placed.body.id);
  });

  it('answers a reset request the same for unknown addresses and mails only real accounts', async () => {
    const user = await register();
    const unknown = `nobody_${randomUUID().slice(0, 8)}@example.com`;
    const known = await post<Accepted>('/api/auth/password-reset', {
      email: user.email.toUpperCase(),
    });
    const missing = await post<Accepted>('/api/auth/password-reset', { email: unknown });
    expect(known.status).toBe(202);
    expect(missing.status).toBe(202);
    expect(missing.body).toEqual(known.body);
    await smtp.waitFor(user.email, /Reset your/);
    // Another mail the store sends after both requests has arrived, so a reset mail to the
    // unknown address would have too.
    await verifyEmail(store, user.email, smtp);
    expect(smtp.to(unknown)).toHaveLength(0);
  });

  it('resets a password once with the mailed token, ending every session; an expired or weak attempt changes nothing', async () => {
    const user = await register();
    const session = await login(store, user.username, user.password);
    await post('/api/auth/password-reset', { email: user.email });
    const token = tokenIn(await smtp.waitFor(user.email, /Reset your/));

    const weak = await post<ErrorBody>('/api/auth/password-reset/confirm', {
      token,
      newPassword: 'short',
    });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe('WEAK_PASSWORD');
    const newPassword = 'Fresh-Start-2027';
    expect((await post('/api/auth/password-reset/confirm', { token, newPassword })).status).toBe(
      204,
    );
    const reused = await post<ErrorBody>('/api/auth/password-reset/confirm', {
      token,
      newPassword: 'Other-Pass-2027',
    });
    expect(reused.status).toBe(400);
    expect(reused.body.code).toBe('INVALID_RESET_TOKEN');

    // Every session ended: its access token and its refresh token stop working.
    expect(
      (await store.request('users', 'GET', '/api/users/me', { token: session.accessToken })).status,
    ).toBe(401);
    expect((await post('/api/auth/refresh', { refreshToken: session.refreshToken })).status).toBe(
      401,
    );
    expect(
      (await post('/api/auth/login', { username: user.username, password: user.password })).status,
    ).toBe(401);
    await login(store, user.username, newPassword);

    // A token past its 30 minutes is refused (its expiry moved back, as time would).
    await post('/api/auth/password-reset', { email: user.email });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const late = tokenIn(await smtp.waitFor(user.email, /Reset your/));
    expect(late).not.toBe(token);
    await moduleSql(store, 'users', `UPDATE account_token SET "expiresAt" = ? WHERE "id" = ?`, [
      '2000-01-01 00:00:00',
      late.split('.')[0],
    ]);
    const expired = await post<ErrorBody>('/api/auth/password-reset/confirm', {
      token: late,
      newPassword: 'Late-Again-2027',
    });
    expect(expired.status).toBe(400);
    expect(expired.body.code).toBe('INVALID_RESET_TOKEN');
    await login(store, user.username, newPassword);
    expect(await auditTypes(user.username)).toEqual(expect.arrayContaining(['password_reset']));
  });

  it('moves an account to a new address only once the link mailed there is opened', async () => {
    const user = await register();
    const plain = (await login(store, user.username, user.password)).accessToken;
    const newEmail = `new_${randomUUID().slice(0, 8)}@example.org`;
    // The token of a login is not enough: the owner confirms it is them first.
    const notRecent = await store.request<ErrorBody>('users', 'POST', '/api/users/me/email', {
      token: plain,
      body: { newEmail, password: user.password },
    });
    expect(notRecent.status).toBe(403);
    expect(notRecent.body.code).toBe('REAUTHENTICATION_REQUIRED');
    const accessToken = await stepUp(store, plain, user.password);
    const wrong = await store.request('users', 'POST', '/api/users/me/email', {
      token: accessToken,
      body: { newEmail, password: 'Not-My-Password-1' },
    });
    expect(wrong.status).toBe(401);
    const taken = await store.request<ErrorBody>('users', 'POST', '/api/users/me/email', {
      token: accessToken,
      body: { newEmail: 'customer@microfoods.example', password: user.password },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('EMAIL_TAKEN');
    const asked = await store.request('users', 'POST', '/api/users/me/email', {
      token: accessToken,
      body: { newEmail, password: user.password },
    });
    expect(asked.status).toBe(202);
    const mail = await smtp.waitFor(newEmail, /Confirm your new email address/);
    // Until then the account keeps its address.
    expect(
      (await store.request<User>('users', 'GET', '/api/users/me', { token: accessToken })).body
        .email,
    ).toBe(user.email);
    const confirmed = await post<User>('/api/auth/email-change/confirm', { token: tokenIn(mail) });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ email: newEmail, emailVerified: true });
    expect(
      (await store.request<User>('users', 'GET', '/api/users/me', { token: accessToken })).body
        .email,
    ).toBe(newEmail);
    // The old address is told, with when and how to secure the account.
    const notice = await smtp.waitFor(user.email, /Security notice/);
    expect(notice.text).toContain('The email address was changed');
    expect(notice.text).toContain('/forgot-password');
    // Password resets now go to the new address.
    await post('/api/auth/password-reset', { email: newEmail });
    await smtp.waitFor(newEmail, /Reset your/);
  });

  it('cancels a pending address change when the password is reset, and tells the owner of the reset', async () => {
    const user = await register();
    const plain = (await login(store, user.username, user.password)).accessToken;
    const accessToken = await stepUp(store, plain, user.password);
    const newEmail = `taken_over_${randomUUID().slice(0, 8)}@example.org`;
    expect(
      (
        await store.request('users', 'POST', '/api/users/me/email', {
          token: accessToken,
          body: { newEmail, password: user.password },
        })
      ).status,
    ).toBe(202);
    const changeLink = tokenIn(await smtp.waitFor(newEmail, /Confirm your new email address/));

    // From an address of its own: the other tests use up the reset limit of theirs.
    const fromElsewhere = (path: string, body: unknown) =>
      store.request('users', 'POST', path, { body, from: '127.0.0.12' });
    expect((await fromElsewhere('/api/auth/password-reset', { email: user.email })).status).toBe(
      202,
    );
    const reset = tokenIn(await smtp.waitFor(user.email, /Reset your/));
    expect(
      (
        await fromElsewhere('/api/auth/password-reset/confirm', {
          token: reset,
          newPassword: 'Fresh-Start-2027',
        })
      ).status,
    ).toBe(204);
    const notice = await smtp.waitFor(user.email, /Security notice/);
    expect(notice.text).toContain('The password was reset');

    const refused = await post<ErrorBody>('/api/auth/email-change/confirm', { token: changeLink });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('INVALID_EMAIL_CHANGE_TOKEN');
    const me = await login(store, user.username, 'Fresh-Start-2027');
    expect(
      (await store.request<User>('users', 'GET', '/api/users/me', { token: me.accessToken })).body
        .email,
    ).toBe(user.email);
  });

  it('stores contact form messages for employees, mails them to FEEDBACK_EMAIL, and limits each address', async () => {
    const customer = await newCustomer(store, { mail: smtp });
    const anonymous = await store.request('users', 'POST', '/api/feedback', {
      body: {
        name: 'Visitor',
        email: 'visitor@example.com',
        message: 'Do you deliver on Sundays?',
      },
      from: '127.0.0.7',
    });
    expect(anonymous.status).toBe(201);
    const signedIn = await store.request<Feedback>('users', 'POST', '/api/feedback', {
      token: customer.accessToken,
      body: {
        name: 'Test Shopper',
        email: customer.email,
        topic: 'products',
        message: 'More rye bread, please.',
      },
      from: '127.0.0.7',
    });
    expect(signedIn.status).toBe(201);
    expect(signedIn.body.userId).toBe(customer.user.id);
    const mail = await smtp.waitFor(feedbackInbox, /Store feedback from Test Shopper/);
    expect(mail.text).toContain('More rye bread, please.');
    expect(mail.text).toContain(`signed in as ${customer.user.username}`);

    const list = await store.request<FeedbackPage>('users', 'GET', '/api/feedback?limit=100', {
      token: employee,
    });
    expect(list.status).toBe(200);
    expect(list.body.items.map((f) => f.message)).toEqual(
      expect.arrayContaining(['Do you deliver on Sundays?', 'More rye bread, please.']),
    );
    expect(
      (await store.request('users', 'GET', '/api/feedback', { token: customer.accessToken }))
        .status,
    ).toBe(403);
    const bad = await store.request<ValidationErrorBody>('users', 'POST', '/api/feedback', {
      body: { name: 'X', email: 'not-an-address', message: 'hi' },
      from: '127.0.0.8',
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.details)).toContain('email');
    // RATE_LIMIT_FEEDBACK=3/3600: the fourth message from one address waits.
    await store.request('users', 'POST', '/api/feedback', {
      body: { name: 'Visitor', email: 'visitor@example.com', message: 'Third' },
      from: '127.0.0.7',
    });
    const fourth = await store.request('users', 'POST', '/api/feedback', {
      body: { name: 'Visitor', email: 'visitor@example.com', message: 'Fourth' },
      from: '127.0.0.7',
    });
    expect(fourth.status).toBe(429);
  });

  it('delays mail while the mail server is down, answers every request meanwhile, and delivers once it is back', async () => {
    await smtp.stop();
    let user: Awaited<ReturnType<typeof register>>;
    try {
      user = await register();
      expect((await post('/api/auth/password-reset', { email: user.email })).status).toBe(202);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(smtp.to(user.email)).toHaveLength(0);
    } finally {
      await smtp.listen();
    }
    const verification = await smtp.waitFor(user.email, /Confirm your email address/, 30_000);
    await smtp.waitFor(user.email, /Reset your/, 30_000);
    // Delivered once each, and the link works.
    expect(smtp.to(user.email).filter((m) => /Confirm your email/.test(m.subject))).toHaveLength(1);
    expect((await post('/api/auth/verify-email', { token: tokenIn(verification) })).status).toBe(
      204,
    );
  });
});
