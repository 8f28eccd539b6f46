import { DEMO, login } from '../support/accounts';
import { eventually } from '../support/platform';
import { Store, TOPOLOGIES } from '../support/store';

describe.each(TOPOLOGIES)('auth chain across modules (%s)', (topology) => {
  let store: Store;

  beforeAll(async () => {
    store = await Store.start(topology);
  });

  afterAll(async () => {
    await store?.close();
  });

  it('lets an employee read the audit log with a token that logging checks through users.verify_token', async () => {
    const employee = await login(store, DEMO.employee.username, DEMO.employee.password);
    const res = await store.request('logging', 'GET', '/api/logs?type=login', {
      token: employee.accessToken,
    });
    expect(res.status).toBe(200);
    expect(
      res.body.items.some(
        (e: { actor: { username: string } }) => e.actor.username === DEMO.employee.username,
      ),
    ).toBe(true);
    // Log lines reach the test through a pipe, after the HTTP answer.
    const verified = await eventually(() => {
      const lines = store
        .logLines(store.processOf('users'))
        .filter((l) => l.pattern === 'users.verify_token');
      return lines.length > 0 && lines;
    }, 'a users.verify_token log line');
    expect(verified.at(-1)?.caller).toBe(topology === 'single' ? 'all' : 'logging');
  });

  it("answers 403 with the error shape when a customer asks for someone else's events", async () => {
    const customer = await login(store, DEMO.customer.username, DEMO.customer.password);
    const res = await store.request(
      'logging',
      'GET',
      `/api/logs?username=${DEMO.employee.username}`,
      { token: customer.accessToken },
    );
    expect(res.status).toBe(403);
    expect(res.body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      code: 'FORBIDDEN',
      message: expect.stringContaining('Customers'),
    });
  });
});
