import { X509Certificate, createPrivateKey } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { AppConfig } from '../config/app-config';
import { ConfigError } from '../config/load-config';
import { MODULE_NAMES, ModuleName } from '../topology/module-names';
import type { IssueOptions, IssuedBusCredentials } from './bus-certificates';

/**
 * The mutual TLS material of one process: the CA bundle it trusts and, for every module it hosts,
 * that module's certificate and key. Files in BUS_TLS_DIR: `ca.crt` (one or more CA certificates),
 * `<module>.crt`, `<module>.key`.
 */
export class BusCredentials {
  constructor(
    /** PEM of every CA certificate a peer's certificate may be issued by. */
    readonly ca: string,
    private readonly identities: ReadonlyMap<ModuleName, { cert: string; key: string }>,
  ) {}

  /** The certificate and key a module presents (listeners: their own module; clients: the first hosted). */
  identity(module: ModuleName): { cert: string; key: string } {
    const identity = this.identities.get(module);
    if (!identity) throw new Error(`No bus certificate loaded for ${module}`);
    return identity;
  }
}

/** Injection token of this process's BusCredentials (null when it hosts all five and needs none). */
export const BUS_CREDENTIALS = Symbol('BUS_CREDENTIALS');

export const CA_FILE = 'ca.crt';
export const CA_KEY_FILE = 'ca.key';
export const certFile = (module: string): string => `${module}.crt`;
export const keyFile = (module: string): string => `${module}.key`;

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Writes issued credentials as the files a process reads (keys readable by their owner only). */
export function writeBusCredentials(
  dir: string,
  issued: IssuedBusCredentials,
  { withCaKey }: { withCaKey: boolean },
): string[] {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const files: Array<[string, string, number]> = [[CA_FILE, issued.ca.trust, 0o644]];
  if (withCaKey) files.push([CA_KEY_FILE, issued.ca.key, 0o600]);
  for (const [module, pair] of Object.entries(issued.modules)) {
    files.push([certFile(module), pair.cert, 0o644], [keyFile(module), pair.key, 0o600]);
  }
  for (const [name, text, mode] of files) {
    writeFileSync(join(dir, name), text, { mode });
    chmodSync(join(dir, name), mode);
  }
  return files.map(([name]) => name);
}

/**
 * Development and tests: a CA and all five module certificates, created once in `dir`. Split
 * processes that share a data folder start together, so each generates into a folder of its own
 * and renames it into place; the rename succeeds for one of them only, and the others use what it
 * wrote. A folder that already holds files is left alone.
 */
export async function ensureDevBusCredentials(dir: string): Promise<void> {
  if (existsSync(dir) && readdirSync(dir).length > 0) return;
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const issued = await issueBusCredentialsOnDemand({
    modules: MODULE_NAMES,
    caLabel: 'development',
  });
  const staging = mkdtempSync(join(parent, `.${basename(dir)}-`));
  try {
    writeBusCredentials(staging, issued, { withCaKey: true });
    try {
      // Replaces a missing or empty folder atomically; fails when another process got there first.
      renameSync(staging, dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function checkModule(
  module: ModuleName,
  certPem: string,
  keyPem: string,
  authorities: X509Certificate[],
  now: Date,
): string[] {
  const problems: string[] = [];
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return [`${certFile(module)} is not a PEM certificate`];
  }
  if (cert.checkHost(module, { subject: 'never' }) === undefined)
    problems.push(
      `${certFile(module)} is not issued to "${module}" (its SAN DNS must be ${module})`,
    );
  if (!authorities.some((ca) => cert.checkIssued(ca) && cert.verify(ca.publicKey)))
    problems.push(`${certFile(module)} is not signed by a CA in ${CA_FILE}`);
  if (new Date(cert.validTo) <= now)
    problems.push(`${certFile(module)} expired on ${cert.validTo}`);
  if (new Date(cert.validFrom) > now)
    problems.push(`${certFile(module)} is not valid before ${cert.validFrom}`);
  try {
    if (!cert.checkPrivateKey(createPrivateKey(keyPem)))
      problems.push(`${keyFile(module)} is not the key of ${certFile(module)}`);
  } catch {
    problems.push(`${keyFile(module)} is not a PEM private key`);
  }
  return problems;
}

/** Reads and checks the files of the given modules; every problem is listed, none is fatal here. */
export function readBusCredentials(
  dir: string,
  modules: readonly ModuleName[],
  now = new Date(),
): { credentials?: BusCredentials; missing: string[]; problems: string[] } {
  const required = [CA_FILE, ...modules.flatMap((m) => [certFile(m), keyFile(m)])];
  const missing = required.filter((name) => !existsSync(join(dir, name)));
  if (missing.length > 0) return { missing, problems: [] };

  const problems: string[] = [];
  const ca = readFileSync(join(dir, CA_FILE), 'utf8');
  const authorities: X509Certificate[] = [];
  for (const [pem] of ca.matchAll(PEM_CERTIFICATE)) {
    try {
      const authority = new X509Certificate(pem);
      if (authority.ca) authorities.push(authority);
      else problems.push(`${CA_FILE} holds a certificate that is not a CA (${authority.subject})`);
    } catch {
      problems.push(`${CA_FILE} holds a certificate that cannot be read`);
    }
  }
  if (authorities.length === 0) problems.push(`${CA_FILE} holds no CA certificate`);

  const identities = new Map<ModuleName, { cert: string; key: string }>();
  for (const module of modules) {
    const cert = readFileSync(join(dir, certFile(module)), 'utf8');
    const key = readFileSync(join(dir, keyFile(module)), 'utf8');
    problems.push(...checkModule(module, cert, key, authorities, now));
    identities.set(module, { cert, key });
  }
  if (problems.length > 0) return { missing: [], problems };
  return { credentials: new BusCredentials(ca, identities), missing: [], problems };
}

/**
 * The credentials a process that talks over the bus needs: the CA bundle and the certificate and
 * key of each module it hosts. Outside production a missing (or empty) folder gets development
 * credentials; production never generates any and refuses to start without them.
 */
export async function loadBusCredentials(
  config: AppConfig,
  hosted: readonly ModuleName[],
): Promise<BusCredentials> {
  const dir = config.bus.tlsDir;
  if (config.nodeEnv !== 'production') await ensureDevBusCredentials(dir);
  const { credentials, missing, problems } = readBusCredentials(dir, hosted);
  const where = `BUS_TLS_DIR=${JSON.stringify(dir)}`;
  if (missing.length > 0) {
    const why =
      config.nodeEnv === 'production'
        ? 'a process that talks to other modules needs mutual TLS credentials, and none are generated when NODE_ENV=production'
        : 'the folder holds other files, so no development credentials were generated (empty it to get them)';
    throw new ConfigError([
      `${where}: ${why}; missing ${missing.join(', ')}. Issue them with "node dist/main.js bus-certs --out <dir>" (README: "How the internal bus is secured").`,
    ]);
  }
  if (!credentials) throw new ConfigError(problems.map((problem) => `${where}: ${problem}`));
  return credentials;
}

/**
 * Issues bus credentials, loading the certificate library (@peculiar/x509, a third of a second)
 * only now: most starts find their credentials in place and never need it.
 */
export function issueBusCredentialsOnDemand(options: IssueOptions): Promise<IssuedBusCredentials> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const certificates = require('./bus-certificates') as typeof import('./bus-certificates');
  return certificates.issueBusCredentials(options);
}
