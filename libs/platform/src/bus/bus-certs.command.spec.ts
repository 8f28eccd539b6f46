import 'reflect-metadata';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBusCertsCommand } from './bus-certs.command';
import { readBusCredentials } from './bus-credentials';

describe('bus-certs command', () => {
  let root: string;
  let output: string;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'mfm-bus-certs-'));
    output = '';
    const capture = (chunk: string | Uint8Array) => {
      output += String(chunk);
      return true;
    };
    jest.spyOn(process.stdout, 'write').mockImplementation(capture);
    jest.spyOn(process.stderr, 'write').mockImplementation(capture);
  });

  afterEach(() => {
    jest.restoreAllMocks();
    rmSync(root, { recursive: true, force: true });
  });

  const caOf = (dir: string) => new X509Certificate(readFileSync(join(dir, 'ca.crt'), 'utf8'));
  const certOf = (dir: string, module: string) =>
    new X509Certificate(readFileSync(join(dir, `${module}.crt`), 'utf8'));

  it('issues a new CA and a certificate and key for every module', async () => {
    const out = join(root, 'bus-tls');
    expect(await runBusCertsCommand(['--out', out])).toBe(0);
    expect(readdirSync(out).sort()).toEqual(
      [
        'ca.crt',
        'ca.key',
        ...['users', 'products', 'search', 'orders', 'logging'].flatMap((m) => [
          `${m}.crt`,
          `${m}.key`,
        ]),
      ].sort(),
    );
    expect(output).toContain(`to ${out}`);
    expect(
      readBusCredentials(out, ['users', 'products', 'search', 'orders', 'logging']).problems,
    ).toEqual([]);
  });

  it('rotates module certificates under the same CA, leaving its key where it is', async () => {
    const first = join(root, 'first');
    const rotated = join(root, 'rotated');
    await runBusCertsCommand(['--out', first]);
    expect(
      await runBusCertsCommand([
        '--out',
        rotated,
        '--ca',
        first,
        '--modules',
        'products',
        '--days',
        '30',
      ]),
    ).toBe(0);
    expect(readdirSync(rotated).sort()).toEqual(['ca.crt', 'products.crt', 'products.key']);
    const cert = certOf(rotated, 'products');
    expect(cert.verify(caOf(first).publicKey)).toBe(true);
    expect(cert.serialNumber).not.toBe(certOf(first, 'products').serialNumber);
    expect(new Date(cert.validTo).getTime() - Date.now()).toBeLessThan(31 * 86_400_000);
    expect(readBusCredentials(rotated, ['products']).problems).toEqual([]);
  });

  it('builds a bundle that trusts the old CA too, for a CA change', async () => {
    const old = join(root, 'old');
    const next = join(root, 'next');
    await runBusCertsCommand(['--out', old]);
    expect(await runBusCertsCommand(['--out', next, '--trust', join(old, 'ca.crt')])).toBe(0);
    const bundle = readFileSync(join(next, 'ca.crt'), 'utf8');
    expect(bundle.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(bundle).toContain(readFileSync(join(old, 'ca.crt'), 'utf8').trim());
  });

  it.each([
    [[], /--out <dir> is required/],
    [['--out', 'x', '--modules', 'users,billing'], /unknown modules: billing/],
    [['--out', 'x', '--days', '0'], /--days must be a whole number/],
    [['--out', 'x', '--colour'], /Unknown option '--colour'/],
  ])('exits 2 with the usage on %j', async (args, message) => {
    const argv = args.map((a) => (a === 'x' ? join(root, 'x') : a));
    expect(await runBusCertsCommand(argv)).toBe(2);
    expect(output).toMatch(message);
    expect(output).toContain('Usage: node dist/main.js bus-certs');
  });

  it('never overwrites a folder that already holds files', async () => {
    const out = join(root, 'kept');
    await runBusCertsCommand(['--out', out]);
    const ca = readFileSync(join(out, 'ca.crt'), 'utf8');
    expect(await runBusCertsCommand(['--out', out])).toBe(2);
    expect(output).toMatch(/is not empty/);
    expect(readFileSync(join(out, 'ca.crt'), 'utf8')).toBe(ca);
  });
});
