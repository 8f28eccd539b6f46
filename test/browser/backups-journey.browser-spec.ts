import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import * as tar from 'tar';
import type { BackupManifest } from '@mfm/platform/backup/backup-archive';
import { DEMO } from '../support/accounts';
import { BEHAVIOUR_TOPOLOGIES } from '../support/store';
import {
  type RunningShop,
  ShopApi,
  canRun,
  journeySuite,
  useCheckedPages,
  seriousViolations,
  signIn,
  startShop,
  textOf,
} from './browser';

/**
 * The back office's backups page in Debian's Chromium against the real store: an employee backs
 * the store up, follows the backup to the list and downloads it (fetched with the access token,
 * saved by the browser); the file is the store's archive, with every module and the sealed keys.
 * A customer who opens the page sees no backups. The topology is not this page's subject: one
 * process (BEHAVIOUR_TOPOLOGIES).
 */

const { browser } = journeySuite('the backups journey');
const topologies = BEHAVIOUR_TOPOLOGIES.filter((topology) => canRun(topology));
const describeTopologies =
  topologies.length > 0 ? describe.each(topologies) : describe.skip.each(BEHAVIOUR_TOPOLOGIES);

/** Twelve characters or more: the store then seals its keys into every backup. */
const PASSPHRASE = 'a passphrase for the browser journey';
const MODULES = ['logging', 'orders', 'products', 'search', 'users'];

describeTopologies('backups in the back office (%s)', (topology) => {
  let shop: RunningShop;
  let api: ShopApi;
  let scratch: string;
  const openChecked = useCheckedPages(browser);

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'mfm-backups-journey-'));
    shop = await startShop(topology, { BACKUP_PASSPHRASE: PASSPHRASE });
    api = new ShopApi(shop.url);
  }, 240_000);

  afterAll(async () => {
    await shop?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }, 60_000);

  async function visitor(): Promise<Page> {
    return (await openChecked(shop.url)).page;
  }

  it('an employee backs the store up, sees the backup listed and downloads the archive: every module, the sealed keys', async () => {
    const page = await visitor();
    await signIn(page, DEMO.employee.username, DEMO.employee.password);
    await page.goto('/office');
    await page
      .getByRole('navigation', { name: 'Back office' })
      .getByRole('link', { name: 'Backups' })
      .click();
    await page.getByRole('heading', { name: 'Backups', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/office/backups');

    // The settings of this store: no schedule, the default number kept, the keys inside.
    const settings = page.getByRole('main').locator('dl').filter({ hasText: 'Schedule' });
    expect(await textOf(settings)).toContain('Backups run only when started here');
    expect(await textOf(settings)).toContain('The newest 7');
    expect(await textOf(settings)).toContain('Included, sealed');
    await page.getByText('No backups yet').waitFor();

    await page.getByRole('button', { name: 'Back up now' }).click();
    const rows = page.locator('tbody tr');
    await rows.first().waitFor({ timeout: 60_000 });
    expect(await rows.count()).toBe(1);
    // The outcome, in the page's status region; the button is ready for the next one.
    const outcome = await textOf(page.getByRole('status').filter({ hasText: 'Backed up' }));
    const name = /mfm-backup-\d{8}T\d{6}Z(-\d+)?\.tar\.gz/.exec(outcome)?.[0];
    expect(name).toBeDefined();
    expect(outcome).toContain('written and verified');
    await page.getByRole('button', { name: 'Back up now' }).waitFor();

    // The row as the API lists it: its name, its size in a human unit, the caption's count.
    const token = await api.token(DEMO.employee.username, DEMO.employee.password);
    const listed = await api.call<{ items: Array<{ name: string; bytes: number }> }>(
      'GET',
      '/api/backups',
      token,
    );
    expect(listed.items.map((backup) => backup.name)).toEqual([name]);
    const row = rows.filter({ hasText: name as string });
    expect(await textOf(row.locator('td').nth(2))).toMatch(/^\d+(\.\d+)? (kB|MB)$/);
    expect(await textOf(page.locator('table caption'))).toBe('1 backup, newest first');

    await page.waitForLoadState('networkidle');
    expect(await seriousViolations(page)).toEqual([]);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: `Download ${name}` }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(name);
    const file = join(scratch, download.suggestedFilename());
    await download.saveAs(file);
    expect(await download.failure()).toBeNull();

    const bytes = readFileSync(file);
    expect(bytes.length).toBe(listed.items[0]?.bytes);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]); // gzip

    const entries: string[] = [];
    const manifestChunks: Buffer[] = [];
    await tar.t({
      file,
      onReadEntry: (entry) => {
        entries.push(entry.path);
        if (entry.path === 'manifest.json') entry.on('data', (chunk) => manifestChunks.push(chunk));
      },
    });
    expect(entries).toContain('manifest.json');
    const manifest = JSON.parse(Buffer.concat(manifestChunks).toString('utf8')) as BackupManifest;
    expect(Object.keys(manifest.modules).sort()).toEqual(MODULES);
    expect(manifest.keys).not.toBeNull();
    expect(entries).toContain(manifest.keys?.file);

    // The download is audited: who took a copy of the store's data, and which.
    await api.eventually(
      'the download in the audit log',
      () =>
        api.call<{
          items: Array<{ actor?: { username: string } | null; subject: { id: string } }>;
        }>('GET', '/api/logs?type=backup_downloaded', token),
      (events) =>
        events.items.some(
          (event) => event.subject.id === name && event.actor?.username === 'manager',
        ),
    );
  });

  it('a signed-in customer who opens the backups page sees no backups: the back office is for employees', async () => {
    const page = await visitor();
    await signIn(page, DEMO.customer.username, DEMO.customer.password);
    await page.goto('/office/backups');
    await page.getByRole('heading', { name: 'Back office', level: 1 }).waitFor();
    await page.getByText('The back office is for the shop’s employees.').waitFor();
    expect(await page.getByRole('heading', { name: 'Backups' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Back up now' }).count()).toBe(0);
    expect(await page.getByRole('table').count()).toBe(0);
    expect(await page.getByText(/mfm-backup-/).count()).toBe(0);

    // The store refuses the list to a customer whatever the page shows.
    const token = await api.token(DEMO.customer.username, DEMO.customer.password);
    await expect(api.call('GET', '/api/backups', token)).rejects.toThrow(
      /^GET \/api\/backups: 403/,
    );
  });
});
