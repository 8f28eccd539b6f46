import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO, login } from '../support/accounts';
import { freePorts } from '../support/free-port';
import { runEntrypoint } from '../support/launcher';
import {
  MODULES,
  issueProductionBusCredentials,
  productionSecrets,
  Store,
  BEHAVIOUR_TOPOLOGIES,
  TOPOLOGIES,
} from '../support/store';

/**
 * Accounts a store starts with. Demo accounts on a fresh (non-production) store are covered by
 * users-accounts; here: production refuses demo seeding, creates no demo accounts, and lets a real
 * shop in through BOOTSTRAP_EMPLOYEE_* exactly once.
 */

const OWNER = { username: 'owner', password: 'Fresh-Produce-Daily-9', email: 'owner@shop.example' };

let busTlsDir: string | undefined;
async function busCredentials(): Promise<string> {
  if (!busTlsDir) {
    busTlsDir = mkdtempSync(join(tmpdir(), 'mfm-seed-bus-'));
    await issueProductionBusCredentials(busTlsDir);
  }
  return busTlsDir;
}
afterAll(() => {
  if (busTlsDir) rmSync(busTlsDir, { recursive: true, force: true });
});

/** Environment for a one-off run of the entrypoint on free ports, with its own data dir. */
async function oneOffEnv(
  extra: Record<string, string>,
): Promise<{ env: Record<string, string>; dataDir: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'mfm-seed-'));
  const ports = await freePorts(1 + MODULES.length * 2);
  const env: Record<string, string> = {
    BIND_HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    // Issued bus credentials (production generates none), outside the data folder.
    BUS_TLS_DIR: await busCredentials(),
    HTTP_PORT: String(ports[0]),
    ...productionSecrets(),
    ...extra,
  };
  MODULES.forEach((module, i) => {
    env[`${module.toUpperCase()}_HTTP_PORT`] = String(ports[1 + i]);
    env[`${module.toUpperCase()}_TCP_PORT`] = String(ports[1 + MODULES.length + i]);
  });
  return { env, dataDir };
}

// The refusals run in both topologies: each process that hosts users must refuse on its own.
describe.each(TOPOLOGIES)('users: seed refusals (%s)', (topology) => {
  const args = topology === 'single' ? [] : ['--service', 'users'];

  it('refuses to start with NODE_ENV=production and SEED_DEMO=true, before touching any data', async () => {
    const { env, dataDir } = await oneOffEnv({ NODE_ENV: 'production', SEED_DEMO: 'true' });
    try {
      const run = await runEntrypoint(args, env);
      expect(run.code).not.toBeNull(); // it exited by itself, it was not killed at the time limit
      expect(run.code).not.toBe(0);
      expect(run.output).toContain('SEED_DEMO');
      expect(readdirSync(dataDir)).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to start when the first employee’s password breaks the password rule, and says why', async () => {
    const { env, dataDir } = await oneOffEnv({
      NODE_ENV: 'production',
      BOOTSTRAP_EMPLOYEE_USERNAME: OWNER.username,
      BOOTSTRAP_EMPLOYEE_PASSWORD: 'alllowercase-123',
      BOOTSTRAP_EMPLOYEE_EMAIL: OWNER.email,
    });
    try {
      const run = await runEntrypoint(args, env);
      expect(run.code).not.toBeNull();
      expect(run.code).not.toBe(0);
      expect(run.output).toContain('BOOTSTRAP_EMPLOYEE');
      expect(run.output).toContain('WEAK_PASSWORD');
      expect(run.output).toContain('uppercase');
      expect(run.output).not.toContain('alllowercase-123');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

// Seeding is the users module's own start-up, whichever process hosts it: one topology.
describe.each(BEHAVIOUR_TOPOLOGIES)('users: the first employee (%s)', (topology) => {
  describe('NODE_ENV=production with BOOTSTRAP_EMPLOYEE_*', () => {
    let store: Store;

    beforeAll(async () => {
      store = await Store.start(topology, {
        env: {
          NODE_ENV: 'production',
          BOOTSTRAP_EMPLOYEE_USERNAME: OWNER.username,
          BOOTSTRAP_EMPLOYEE_PASSWORD: OWNER.password,
          BOOTSTRAP_EMPLOYEE_EMAIL: OWNER.email,
        },
      });
    }, 120_000);

    afterAll(async () => {
      await store?.close();
    });

    it('creates no demo accounts: their logins are 401', async () => {
      for (const demo of [DEMO.employee, DEMO.customer]) {
        const res = await store.request('users', 'POST', '/api/auth/login', { body: demo });
        expect(res.status).toBe(401);
        expect(res.body.code).toBe('INVALID_CREDENTIALS');
      }
    });

    it('creates the first employee, who is the only account and can work (list users, read the log, hire)', async () => {
      const owner = await login(store, OWNER.username, OWNER.password);
      expect(owner.user).toMatchObject({ username: OWNER.username, role: 'employee' });
      const users = await store.request('users', 'GET', '/api/users', { token: owner.accessToken });
      expect(users.status).toBe(200);
      expect(users.body.total).toBe(1);
      expect(users.body.items[0]).toMatchObject({
        username: OWNER.username,
        email: OWNER.email,
        role: 'employee',
        enabled: true,
      });
      expect(
        (await store.request('logging', 'GET', '/api/logs?limit=1', { token: owner.accessToken }))
          .status,
      ).toBe(200);
    });

    it('does not create it again, nor anything else, on restart; later hires are not replaced', async () => {
      await store.restart(store.processOf('users'));
      const owner = await login(store, OWNER.username, OWNER.password);
      const users = await store.request('users', 'GET', '/api/users', { token: owner.accessToken });
      expect(users.body.total).toBe(1);

      const hire = await store.request('users', 'POST', '/api/users', {
        token: owner.accessToken,
        body: {
          firstName: 'Sam',
          lastName: 'Field',
          username: 'sam',
          email: 'sam@shop.example',
          password: 'Crisp-Apples-7',
          role: 'employee',
        },
      });
      expect(hire.status).toBe(201);
      await store.restart(store.processOf('users'));
      const again = await login(store, OWNER.username, OWNER.password);
      const after = await store.request('users', 'GET', '/api/users?role=employee', {
        token: again.accessToken,
      });
      expect(after.body.items.map((u: { username: string }) => u.username).sort()).toEqual([
        'owner',
        'sam',
      ]);
      // Its SQLite file, or none at all when the module runs on PostgreSQL.
      expect(existsSync(join(store.dataDir('users'), 'users.sqlite'))).toBe(
        store.databaseUrl('users') === undefined,
      );
    });
  });
});
