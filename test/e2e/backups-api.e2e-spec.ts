import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBackupArchive } from '@mfm/platform/backup/backup-archive';
import { BACKUP_PLAN } from '../../src/backup-plan';
import { DEMO, login, newCustomer } from '../support/accounts';
import { expectAuditEvent } from '../support/audit-log';
import { eventually } from '../support/platform';
import { parseMetrics, total } from '../support/prometheus';
import { useTempDir } from '../support/temp-dir';
import { BEHAVIOUR_TOPOLOGIES, Store, sharedDataKeys } from '../support/store';
import { expectInvariants } from '../support/backups';
import { createProduct } from '../support/catalogue';
import { runEntrypoint } from '../support/launcher';

const PASSPHRASE = 'a long passphrase for the tests';
const METRICS_TOKEN = 'metrics-token-for-the-backup-tests';
const known = Object.fromEntries(BACKUP_PLAN.map((part) => [part.module, part.migrations]));

interface BackupList {
  items: Array<{ name: string; bytes: number; createdAt: string }>;
  job: {
    state: string;
    trigger: string | null;
    backup: { name: string } | null;
    error: string | null;
  };
  schedule: string | null;
  keep: number;
  keysIncluded: boolean;
  warning: string | null;
}

const list = async (store: Store, token: string): Promise<BackupList> => {
  const res = await store.request<BackupList>('logging', 'GET', '/api/backups', { token });
  expect(res.status).toBe(200);
  return res.body;
};

const metricsOf = async (store: Store) =>
  parseMetrics((await store.request('logging', 'GET', '/metrics', { token: METRICS_TOKEN })).text);

/** Downloads a backup's bytes as a browser would save them. */
async function download(store: Store, name: string, token: string) {
  const response = await fetch(`${store.baseUrl('logging')}/api/backups/${name}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

describe.each(BEHAVIOUR_TOPOLOGIES)('backups through the API (%s)', (topology) => {
  let store: Store;
  let employee: string;
  let customer: string;

  beforeAll(async () => {
    store = await Store.start(topology, {
      sqliteOnly: true,
      env: { BACKUP_PASSPHRASE: PASSPHRASE, METRICS_TOKEN, RATE_LIMIT_BACKUPS: '12/3600' },
    });
    employee = (await login(store, DEMO.employee.username, DEMO.employee.password)).accessToken;
    customer = (await newCustomer(store)).accessToken;
  });

  afterAll(async () => {
    await store?.close();
  });

  const scratch = useTempDir('mfm-backups-api-');

  it('answers only employees: 401 without a token, 403 to a customer', async () => {
    const routes = [
      ['POST', '/api/backups'],
      ['GET', '/api/backups'],
      ['GET', '/api/backups/mfm-backup-20261206T030000Z.tar.gz'],
    ] as const;
    for (const [method, path] of routes) {
      expect([path, (await store.request('logging', method, path)).status]).toEqual([path, 401]);
      const refused = await store.request('logging', method, path, { token: customer });
      expect([path, refused.status, refused.body.code]).toEqual([path, 403, 'FORBIDDEN']);
    }
    expect((await list(store, employee)).items).toEqual([]);
  });

  it('an employee starts a backup, sees it listed once verified, and downloads it; both audited', async () => {
    const started = await store.request<BackupList['job']>('logging', 'POST', '/api/backups', {
      token: employee,
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ state: 'running', trigger: 'employee' });
    const done = await eventually(
      async () => {
        const now = await list(store, employee);
        return now.job.state !== 'running' && now;
      },
      'the backup to finish',
      30_000,
    );
    expect(done.job).toMatchObject({ state: 'done', error: null });
    expect(done).toMatchObject({ schedule: null, keep: 7, keysIncluded: true, warning: null });
    const name = done.job.backup?.name as string;
    expect(done.items.map((item) => item.name)).toEqual([name]);

    const { response, bytes } = await download(store, name, employee);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/gzip');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${name}"`);
    expect(bytes.length).toBe(done.items[0].bytes);
    const file = join(scratch(), name);
    writeFileSync(file, bytes);
    const opened = await openBackupArchive(file, { passphrase: PASSPHRASE, known });
    opened.close();
    expect(Object.keys(opened.manifest.modules)).toEqual(BACKUP_PLAN.map((p) => p.module));
    expect(opened.secrets).toEqual({
      encryptionKeys: expect.any(String),
      indexKey: expect.any(String),
    });

    const actor = { username: DEMO.employee.username };
    await expectAuditEvent(store, employee, 'type=backup_created', {
      actor: expect.objectContaining(actor),
      subject: { kind: 'backup', id: name, name },
      payload: { trigger: 'employee', bytes: done.items[0].bytes },
    });
    await expectAuditEvent(store, employee, 'type=backup_downloaded', {
      actor: expect.objectContaining(actor),
      subject: { kind: 'backup', id: name, name },
    });
    const samples = await metricsOf(store);
    expect(total(samples, 'backups_total', { outcome: 'ok', trigger: 'employee' })).toBe(1);
    expect(total(samples, 'backup_last_size_bytes')).toBe(done.items[0].bytes);
  });

  it('serves no file but the backups it lists: other names are 404 BACKUP_NOT_FOUND', async () => {
    for (const name of [
      'mfm-backup-20991231T000000Z.tar.gz',
      '..%2Fdata-keys.json',
      '..%2F..%2Fusers.sqlite',
      'users.sqlite',
    ]) {
      const res = await store.request('logging', 'GET', `/api/backups/${name}`, {
        token: employee,
      });
      expect([name, res.status, res.body.code]).toEqual([name, 404, 'BACKUP_NOT_FOUND']);
    }
  });

  it('limits starting and downloading backups per employee account (RATE_LIMIT_BACKUPS)', async () => {
    let refused;
    for (let i = 0; i < 13 && !refused; i++) {
      const res = await store.request('logging', 'POST', '/api/backups', { token: employee });
      if (res.status === 429) refused = res;
      else expect(res.status).toBe(202);
    }
    expect(refused?.body).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      details: { limit: 'backups' },
    });
  });
});

describe.each(BEHAVIOUR_TOPOLOGIES)('scheduled backups (%s)', (topology) => {
  const scratch = useTempDir('mfm-backups-schedule-');
  let store: Store | undefined;

  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('runs on BACKUP_SCHEDULE, verifies each backup, keeps BACKUP_KEEP of them and reports the last one', async () => {
    const dir = join(scratch(), 'kept');
    store = await Store.start(topology, {
      sqliteOnly: true,
      env: {
        BACKUP_PASSPHRASE: PASSPHRASE,
        METRICS_TOKEN,
        BACKUP_SCHEDULE: '*/2 * * * * *',
        BACKUP_DIR: dir,
        BACKUP_KEEP: '2',
      },
    });
    const live = store;
    await eventually(
      async () =>
        total(await metricsOf(live), 'backups_total', { outcome: 'ok', trigger: 'schedule' }) >= 3,
      'three scheduled backups',
      40_000,
    );
    const employee = (await login(live, DEMO.employee.username, DEMO.employee.password))
      .accessToken;
    const now = await list(live, employee);
    expect(now).toMatchObject({ schedule: '*/2 * * * * *', keep: 2 });
    expect(now.items).toHaveLength(2);
    // Each kept backup opens whole: checksums, every database's integrity, the sealed keys.
    for (const { name } of now.items) {
      const opened = await openBackupArchive(join(dir, name), { passphrase: PASSPHRASE, known });
      opened.close();
      expect(opened.secrets).toBeDefined();
    }
    const samples = await metricsOf(live);
    const last = total(samples, 'backup_last_success_timestamp_seconds');
    expect(last * 1000).toBeGreaterThanOrEqual(Date.parse(now.items[1].createdAt));
    // The newest backup or a later one (the schedule goes on). Whether it is overdue by now
    // depends on how busy the machine is (twice two seconds): the next test covers the warning.
    const ready = await live.request('logging', 'GET', '/ready');
    expect(ready.body.info.backups).toMatchObject({ status: 'up' });
    expect(Date.parse(ready.body.info.backups.lastGoodAt)).toBeGreaterThanOrEqual(
      Date.parse(now.items[0].createdAt),
    );
  });

  it('warns on /ready and in the list when the last good backup is older than twice the schedule', async () => {
    // A file where the folder should be: every backup fails.
    const notAFolder = join(scratch(), 'not-a-folder');
    writeFileSync(notAFolder, '');
    store = await Store.start(topology, {
      sqliteOnly: true,
      env: { METRICS_TOKEN, BACKUP_SCHEDULE: '* * * * * *', BACKUP_DIR: notAFolder },
    });
    const live = store;
    const ready = await eventually(
      async () => {
        const res = await live.request('logging', 'GET', '/ready');
        return res.body.info?.backups?.warning && res;
      },
      'the backup warning on /ready',
      20_000,
    );
    // A warning, not a reason to take the process out of rotation.
    expect(ready.status).toBe(200);
    expect(ready.body.info.backups).toEqual({
      status: 'up',
      lastGoodAt: null,
      warning: "no backup has been written in twice BACKUP_SCHEDULE's interval since the start",
    });
    // The schedule did try, and every try failed (counted once each has ended).
    await eventually(
      async () =>
        total(await metricsOf(live), 'backups_total', { outcome: 'failed', trigger: 'schedule' }) >=
        1,
      'a failed scheduled backup counted',
      20_000,
    );
    const employee = (await login(live, DEMO.employee.username, DEMO.employee.password))
      .accessToken;
    const now = await list(live, employee);
    expect(now.warning).toMatch(/no backup has been written/);
    expect(now.keysIncluded).toBe(false);
    expect(now.job).toMatchObject({ state: expect.stringMatching(/failed|running/) });
  });
});

/** Its subject is the split topology: five processes, each with its own data folder. */
describe('a backup of five processes on five machines (split, a data folder each)', () => {
  let store: Store | undefined;
  let restored: Store | undefined;

  afterAll(async () => {
    await store?.close();
    await restored?.close();
  });

  const scratch = useTempDir('mfm-backups-machines-');

  it('each process hands over its own snapshot through the bus, to the store’s backup and to the command; the archive restores into one store', async () => {
    store = await Store.start('split', {
      sqliteOnly: true,
      dataDirPerProcess: true,
      env: { BACKUP_PASSPHRASE: PASSPHRASE, ...sharedDataKeys() },
    });
    const live = store;
    // Logging's machine holds only its own database.
    expect(readdirSync(live.dataDir('logging')).filter((f) => f.endsWith('.sqlite'))).toEqual([
      'logging.sqlite',
    ]);
    const employee = (await login(live, DEMO.employee.username, DEMO.employee.password))
      .accessToken;
    const customer = await newCustomer(live);
    const productId = await createProduct(live, employee, 40);
    const order = await live.request<{ id: string; status: string }>(
      'orders',
      'POST',
      '/api/orders',
      {
        token: customer.accessToken,
        body: { items: [{ productId, quantity: 3 }] },
      },
    );
    expect(order.status).toBe(201);

    expect(
      (await live.request('logging', 'POST', '/api/backups', { token: employee })).status,
    ).toBe(202);
    const done = await eventually(
      async () => {
        const now = await list(live, employee);
        return now.job.state !== 'running' && now;
      },
      'the backup to finish',
      60_000,
    );
    expect(done.job).toMatchObject({ state: 'done', error: null });
    const name = done.job.backup?.name as string;
    const { bytes } = await download(live, name, employee);
    const archive = join(scratch(), name);
    writeFileSync(archive, bytes);

    // The command on logging's machine, with its environment, gathers the same over the bus.
    const byCommand = join(scratch(), 'by-command.tar.gz');
    const command = await runEntrypoint(['backup', '--out', byCommand], live.envOf('logging'));
    expect(command).toMatchObject({ code: 0 });
    expect(command.output).toContain("asking each module's process over the bus, as logging");
    const opened = await openBackupArchive(byCommand, { passphrase: PASSPHRASE, known });
    opened.close();
    expect(Object.keys(opened.manifest.modules)).toEqual(BACKUP_PLAN.map((p) => p.module));
    expect(opened.secrets).toBeDefined();
    await live.close();
    store = undefined;

    const dataDir = join(scratch(), 'restored');
    expect(
      await runEntrypoint(['restore', archive, '--data-dir', dataDir], {
        BACKUP_PASSPHRASE: PASSPHRASE,
      }),
    ).toMatchObject({ code: 0 });
    // One machine now: the restored keys come from the backup (data-keys.json), not the env.
    restored = await Store.start('single', { sqliteOnly: true, dataDir });
    await expectInvariants(restored, new Map([[productId, 40]]));
    const again = await login(restored, customer.user.username, customer.password);
    const mine = await restored.request<{ id: string; status: string }>(
      'orders',
      'GET',
      `/api/orders/${order.body.id}`,
      { token: again.accessToken },
    );
    expect(mine.body).toMatchObject({ id: order.body.id, status: 'CONFIRMED' });
  });
});
