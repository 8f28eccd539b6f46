import { randomUUID } from 'node:crypto';
import { DEMO } from '../support/accounts';
import { Launched } from '../support/platform';
import { POSTGRES_BASE, createModuleDatabases, dropDatabases } from '../support/postgres';
import { HttpResult, sharedDataKeys } from '../support/store';

/**
 * Two processes hosting the users module, as two replicas behind a load balancer. On one
 * PostgreSQL database (E2E_DATABASE_URL_BASE runs) they share the counters of every limit, so a
 * client gets the limit once, not once per replica. On SQLite each process owns its own file
 * and counts in its own memory: each replica gives the full budget (why a users module on SQLite
 * runs as one replica).
 */

const PER_USERNAME = 3;
const REGISTER = 4;
const shared = POSTGRES_BASE !== undefined;

describe(`rate limits across two users processes (${shared ? 'one PostgreSQL database' : 'SQLite, one file each'})`, () => {
  let a: Launched;
  let b: Launched;
  let databases: string[] = [];

  beforeAll(async () => {
    const created = await createModuleDatabases(['users']);
    databases = created.names;
    const env = {
      ...created.env,
      ...sharedDataKeys(),
      LOGIN_MAX_FAILURES_PER_USERNAME: String(PER_USERNAME),
      LOGIN_FAILURE_WINDOW_SECONDS: '900',
      RATE_LIMIT_REGISTER: `${REGISTER}/900`,
    };
    // One after the other: the first one migrates the database and seeds the demo accounts.
    a = await Launched.start(['--service', 'users'], env);
    b = await Launched.start(['--service', 'users'], env);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await dropDatabases(databases);
  });

  it(`wrong guesses for one username, half to each process: ${shared ? 'exactly the limit' : 'the limit per process'} reach the password check`, async () => {
    const guesses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? a : b).request('POST', '/api/auth/login', {
          body: { username: DEMO.customer.username, password: `Wrong-Guess-${i}` },
        }),
      ),
    );
    const checked = guesses.filter((r) => r.status === 401).length;
    const refused = guesses.filter(
      (r) => r.status === 429 && r.body.code === 'TOO_MANY_LOGIN_ATTEMPTS',
    ).length;
    expect({ checked, refused }).toEqual(
      shared
        ? { checked: PER_USERNAME, refused: 10 - PER_USERNAME }
        : { checked: 2 * PER_USERNAME, refused: 10 - 2 * PER_USERNAME },
    );
  });

  it(`sign-ups from one address: ${shared ? 'one budget for both processes' : 'a budget per process'}`, async () => {
    const register = (target: Launched): Promise<HttpResult> => {
      const username = `rep_${randomUUID().slice(0, 8)}`;
      return target.request('POST', '/api/auth/register', {
        body: {
          firstName: 'Remy',
          lastName: 'Plica',
          username,
          email: `${username}@example.com`,
          password: 'Green-Pepper-17',
        },
      });
    };
    const statuses: number[] = [];
    for (let i = 0; i < REGISTER; i++) statuses.push((await register(i % 2 ? a : b)).status);
    expect(statuses).toEqual(Array(REGISTER).fill(201));
    // The budget of both together is spent; each process alone has used only half of its own.
    const next = await register(a);
    expect(next.status).toBe(shared ? 429 : 201);
    expect(next.headers.get('ratelimit-remaining')).toBe(
      shared ? '0' : String(REGISTER - REGISTER / 2 - 1),
    );
  });
});
