import 'reflect-metadata';
import { X509Certificate } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../config/load-config';
import { MODULE_NAMES } from '../topology/module-names';
import { issueBusCredentials } from './bus-certificates';
import {
  ensureDevBusCredentials,
  loadBusCredentials,
  readBusCredentials,
  writeBusCredentials,
} from './bus-credentials';

describe('bus credentials', () => {
  let root: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'mfm-bus-creds-'));
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('issues a CA and per-module certificates named after the module, signed by the CA', async () => {
    const issued = await issueBusCredentials({ modules: ['products', 'orders'] });
    const ca = new X509Certificate(issued.ca.cert);
    expect(ca.ca).toBe(true);
    for (const module of ['products', 'orders']) {
      const cert = new X509Certificate(issued.modules[module].cert);
      expect(cert.subject).toBe(`CN=${module}`);
      expect(cert.subjectAltName).toBe(`DNS:${module}`);
      expect(cert.checkIssued(ca) && cert.verify(ca.publicKey)).toBe(true);
      expect(cert.ca).toBe(false);
      // Both ends of a call use the same certificate: serverAuth and clientAuth.
      expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
      expect(cert.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    }
  });

  it('reads what it wrote, keys readable by their owner only', async () => {
    const dir = join(root, 'tls');
    writeBusCredentials(dir, await issueBusCredentials({ modules: MODULE_NAMES }), {
      withCaKey: true,
    });
    expect(statSync(join(dir, 'products.key')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'ca.key')).mode & 0o777).toBe(0o600);
    const { credentials, missing, problems } = readBusCredentials(dir, ['products']);
    expect({ missing, problems }).toEqual({ missing: [], problems: [] });
    expect(credentials?.identity('products').cert).toBe(
      readFileSync(join(dir, 'products.crt'), 'utf8'),
    );
    expect(() => credentials?.identity('users')).toThrow(/users/);
  });

  it('lists the missing files of the modules asked for', () => {
    expect(readBusCredentials(join(root, 'none'), ['users', 'logging']).missing).toEqual([
      'ca.crt',
      'users.crt',
      'users.key',
      'logging.crt',
      'logging.key',
    ]);
  });

  it('refuses a certificate of another CA, of another module, expired, or with the wrong key', async () => {
    const dir = join(root, 'tls');
    const ours = await issueBusCredentials({ modules: ['products', 'orders'] });
    const theirs = await issueBusCredentials({ modules: ['products'] });
    writeBusCredentials(dir, ours, { withCaKey: false });
    writeFileSync(join(dir, 'products.crt'), theirs.modules.products.cert);
    writeFileSync(join(dir, 'products.key'), theirs.modules.products.key);
    writeFileSync(join(dir, 'orders.crt'), ours.modules.products.cert); // products' cert as orders
    expect(readBusCredentials(dir, ['products', 'orders']).problems).toEqual([
      'products.crt is not signed by a CA in ca.crt',
      'orders.crt is not issued to "orders" (its SAN DNS must be orders)',
      'orders.key is not the key of orders.crt',
    ]);
    writeBusCredentials(join(root, 'fresh'), ours, { withCaKey: false });
    const later = new Date(Date.now() + 400 * 86_400_000);
    expect(readBusCredentials(join(root, 'fresh'), ['orders'], later).problems).toEqual([
      expect.stringMatching(/^orders\.crt expired on /),
    ]);
  });

  it('accepts certificates of either CA of a bundle (a CA change in progress)', async () => {
    const dir = join(root, 'tls');
    const old = await issueBusCredentials({ modules: ['products'] });
    const next = await issueBusCredentials({ modules: ['orders'] });
    writeBusCredentials(
      dir,
      { ...old, modules: { ...old.modules, ...next.modules } },
      {
        withCaKey: false,
      },
    );
    writeFileSync(join(dir, 'ca.crt'), old.ca.cert + next.ca.cert);
    expect(readBusCredentials(dir, ['products', 'orders']).problems).toEqual([]);
  });

  it('lets five processes starting at once create one set of development credentials', async () => {
    const dir = join(root, 'data', 'tls');
    await Promise.all(Array.from({ length: 5 }, () => ensureDevBusCredentials(dir)));
    // No staging folder left behind, one CA, every module signed by it.
    expect(readdirSync(join(root, 'data'))).toEqual(['tls']);
    expect(readBusCredentials(dir, MODULE_NAMES).problems).toEqual([]);
    expect(readFileSync(join(dir, 'ca.crt'), 'utf8').match(/BEGIN CERTIFICATE/g)).toHaveLength(1);
    const before = readFileSync(join(dir, 'ca.crt'), 'utf8');
    await ensureDevBusCredentials(dir); // later starts keep them
    expect(readFileSync(join(dir, 'ca.crt'), 'utf8')).toBe(before);
  });

  it('generates development credentials on first start outside production', async () => {
    const config = loadConfig({ DATA_DIR: join(root, 'data'), NODE_ENV: 'test' });
    const credentials = await loadBusCredentials(config, ['users', 'logging']);
    expect(credentials.identity('logging').cert).toContain('BEGIN CERTIFICATE');
    expect(existsSync(join(root, 'data', 'tls', 'ca.key'))).toBe(true);
  });

  it('never generates in production: one ConfigError naming the folder and every missing file', async () => {
    const config = loadConfig({ DATA_DIR: join(root, 'data'), NODE_ENV: 'production' });
    const error = await loadBusCredentials(config, ['products']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    const [problem] = (error as ConfigError).problems;
    expect(problem).toContain(`BUS_TLS_DIR="${join(root, 'data', 'tls')}"`);
    expect(problem).toContain('missing ca.crt, products.crt, products.key');
    expect(problem).toContain('bus-certs');
    expect(existsSync(join(root, 'data', 'tls'))).toBe(false);
  });

  it('in production reads issued credentials from BUS_TLS_DIR', async () => {
    const dir = join(root, 'issued');
    writeBusCredentials(dir, await issueBusCredentials({ modules: ['search'] }), {
      withCaKey: false,
    });
    const config = loadConfig({ NODE_ENV: 'production', BUS_TLS_DIR: dir });
    expect((await loadBusCredentials(config, ['search'])).identity('search').key).toContain(
      'PRIVATE KEY',
    );
  });

  it('outside production leaves a folder with other files alone and says what is missing', async () => {
    const dir = join(root, 'tls');
    writeBusCredentials(dir, await issueBusCredentials({ modules: ['search'] }), {
      withCaKey: false,
    });
    const config = loadConfig({ NODE_ENV: 'development', BUS_TLS_DIR: dir });
    await expect(loadBusCredentials(config, ['orders'])).rejects.toThrow(
      /missing orders\.crt, orders\.key/,
    );
  });
});
