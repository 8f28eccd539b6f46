import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, login, verifyEmail } from '../support/accounts';
import { freePorts } from '../support/free-port';
import { moduleSql } from '../support/module-sql';
import { runEntrypoint } from '../support/launcher';
import { POSTGRES_BASE } from '../support/postgres';
import { Store, BEHAVIOUR_TOPOLOGIES } from '../support/store';

/**
 * Personal data encrypted at rest: names and email addresses never reach the database files in
 * plain text (read byte by byte, write-ahead log included, audit log too), yet the API shows them,
 * the email stays unique and signs in; `npm run rotate-keys` moves every value to the newest key,
 * resumably; production refuses to start without keys.
 */
const key = () => randomBytes(32).toString('base64');

/** Every byte a module's SQLite database holds right now: the file and its write-ahead log. */
function databaseBytes(store: Store, module: 'users' | 'logging'): string {
  const file = join(store.dataDir(module), `${module}.sqlite`);
  return [file, `${file}-wal`]
    .filter(existsSync)
    .map((path) => readFileSync(path).toString('latin1'))
    .join('');
}

// The files themselves are the subject: on SQLite only, so CI's PostgreSQL run would repeat the
// SQLite run's check exactly.
const describeOnSqliteRun = POSTGRES_BASE ? describe.skip : describe;

describeOnSqliteRun.each(BEHAVIOUR_TOPOLOGIES)('users: personal data at rest (%s)', (topology) => {
  let store: Store;
  let employee: string;
  const suffix = randomUUID().slice(0, 8);
  const person = {
    firstName: `Zebulon${suffix}`,
    lastName: `Quixote${suffix}`,
    username: `zq_${suffix}`,
    email: `zeb.quix.${suffix}@example.net`,
    password: 'Windmill-Tilter-1605',
  };

  beforeAll(async () => {
    store = await Store.start(topology);
    employee = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
  });

  afterAll(async () => {
    await store?.close();
  });

  it('keeps names and the email out of the database files, while the API shows them and the email signs in', async () => {
    const created = await store.request('users', 'POST', '/api/auth/register', { body: person });
    expect(created.status).toBe(201);
    await verifyEmail(store, person.email);
    // A change by an employee, and a message to the store, carry personal data too.
    const renamed = `Zebedee${suffix}`;
    const edit = await store.request('users', 'PATCH', `/api/users/${created.body.id}`, {
      token: employee,
      body: { firstName: renamed },
    });
    expect(edit.status).toBe(200);
    const feedback = await store.request('users', 'POST', '/api/feedback', {
      body: { name: `${renamed} ${person.lastName}`, email: person.email, message: 'Hello' },
    });
    expect(feedback.status).toBe(201);

    const users = databaseBytes(store, 'users');
    const logging = databaseBytes(store, 'logging');
    expect(users).toContain(person.username); // the file is the right one, and readable
    // Nor the private signing keys: a copy of the file mints no tokens.
    expect(users).not.toContain('PRIVATE KEY');
    for (const secret of [person.email, person.firstName, renamed, person.lastName]) {
      expect(users.toLowerCase()).not.toContain(secret.toLowerCase());
      expect(logging.toLowerCase()).not.toContain(secret.toLowerCase());
    }

    const shown = await store.request('users', 'GET', `/api/users/${created.body.id}`, {
      token: employee,
    });
    expect(shown.body).toMatchObject({
      email: person.email,
      firstName: renamed,
      lastName: person.lastName,
    });
    const byEmail = await login(store, person.email.toUpperCase(), person.password);
    expect(byEmail.user.username).toBe(person.username);
    const twice = await store.request('users', 'POST', '/api/auth/register', {
      body: { ...person, username: `zq2_${suffix}`, email: person.email.toUpperCase() },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('EMAIL_TAKEN');
  });
});

describe('users: key rotation and production keys', () => {
  it('rotate-keys re-encrypts every value under the newest key, resumably; the old key can then go', async () => {
    const [k1, k2, index] = [key(), key(), key()];
    const store = await Store.start('single', {
      env: { DATA_ENCRYPTION_KEYS: `old:${k1}`, DATA_INDEX_KEY: index },
    });
    try {
      const suffix = randomUUID().slice(0, 8);
      const person = {
        firstName: 'Ada',
        lastName: 'Byron',
        username: `rot_${suffix}`,
        email: `rot_${suffix}@example.com`,
        password: 'Rotating-Keys-2026',
      };
      expect(
        (await store.request('users', 'POST', '/api/auth/register', { body: person })).status,
      ).toBe(201);
      const rowOf = async () =>
        (
          await moduleSql<{ email: string; firstName: string }>(
            store,
            'users',
            'SELECT "email", "firstName" FROM "user" WHERE "username" = ?',
            [person.username],
          )
        )[0];
      expect((await rowOf()).email).toMatch(/^enc1\.old\./);

      const env: Record<string, string> = {
        DATA_DIR: store.dataDir('users'),
        NODE_ENV: 'test',
        DATA_ENCRYPTION_KEYS: `new:${k2},old:${k1}`,
        DATA_INDEX_KEY: index,
      };
      const url = store.databaseUrl('users');
      if (url) env.USERS_DATABASE_URL = url;
      if (!url) {
        // The running users process holds its SQLite file: the command refuses to touch it.
        const busy = await runEntrypoint(['rotate-keys'], env, 60_000);
        expect(busy.code).toBe(2);
        expect(busy.output).toMatch(/users/);
      }
      await store.stop('all');
      const rotated = await runEntrypoint(['rotate-keys'], env, 60_000);
      expect(rotated.output).toMatch(/all personal data and signing keys are under the key "new"/);
      expect(rotated.code).toBe(0);
      const count = Number(/rotate-keys: (\d+) value/.exec(rotated.output)?.[1]);
      // At least the three sealed fields of each of the three accounts.
      expect(count).toBeGreaterThanOrEqual(9);
      expect((await rowOf()).email).toMatch(/^enc1\.new\./);
      expect((await rowOf()).firstName).toMatch(/^enc1\.new\./);
      const signingKeys = await moduleSql<{ privateKeyPem: string }>(
        store,
        'users',
        'SELECT "privateKeyPem" FROM "signing_key"',
      );
      expect(signingKeys.length).toBeGreaterThan(0);
      for (const key of signingKeys) expect(key.privateKeyPem).toMatch(/^enc1\.new\./);
      // Nothing left: a second run has nothing to do.
      const again = await runEntrypoint(['rotate-keys'], env, 60_000);
      expect(again.output).toMatch(/rotate-keys: 0 value/);

      // The old key is gone from the configuration; everything still reads.
      await store.restart('all', { DATA_ENCRYPTION_KEYS: `new:${k2}` });
      const session = await login(store, person.email, person.password);
      const me = await store.request('users', 'GET', '/api/users/me', {
        token: session.accessToken,
      });
      expect(me.body).toMatchObject({ email: person.email, firstName: 'Ada', lastName: 'Byron' });
      await login(store, DEMO.customer.username, DEMO.customer.password);
    } finally {
      await store.close();
    }
  });

  it('production refuses to start without data keys or a mail server: exit 2, every problem named', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mfm-prod-keys-'));
    try {
      const [port] = await freePorts(1);
      const result = await runEntrypoint([], {
        NODE_ENV: 'production',
        DATA_DIR: dataDir,
        HTTP_PORT: String(port),
      });
      expect(result.code).toBe(2);
      expect(result.output).toContain('DATA_ENCRYPTION_KEYS and DATA_INDEX_KEY are required');
      expect(result.output).toContain('SMTP_URL is required');
      expect(existsSync(join(dataDir, 'data-keys.json'))).toBe(false);
      // A key in the wrong form is named, never echoed.
      const bad = await runEntrypoint([], {
        NODE_ENV: 'production',
        DATA_DIR: dataDir,
        HTTP_PORT: String(port),
        SMTP_URL: 'smtp://127.0.0.1:2525',
        DATA_ENCRYPTION_KEYS: 'k1:c2hvcnQ=',
        DATA_INDEX_KEY: key(),
      });
      expect(bad.code).toBe(2);
      expect(bad.output).toContain('DATA_ENCRYPTION_KEYS');
      expect(bad.output).not.toContain('c2hvcnQ=');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
