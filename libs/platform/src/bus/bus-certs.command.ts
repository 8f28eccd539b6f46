import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MODULE_NAMES, isModuleName } from '../topology/module-names';
import { DEFAULT_CA_DAYS, DEFAULT_MODULE_CERT_DAYS } from './bus-certificate-validity';
import {
  CA_FILE,
  CA_KEY_FILE,
  issueBusCredentialsOnDemand,
  writeBusCredentials,
} from './bus-credentials';

const USAGE = `Usage: node dist/main.js bus-certs --out <dir> [options]

Issues the internal bus's mutual TLS credentials: ca.crt, ca.key (a new CA only) and
<module>.crt + <module>.key for every module. Give each process ca.crt and the files of the
modules it hosts (its BUS_TLS_DIR); keep ca.key away from the modules.

  --out <dir>        folder to write (must be missing or empty)
  --ca <dir>         issue under the CA in <dir> (its ca.crt and ca.key) instead of a new one:
                     certificate rotation; <dir>/ca.crt is copied as is, so a bundle stays one
  --trust <file>     also trust the CA certificate(s) in <file> (appended to ca.crt): a CA change
  --modules <list>   comma-separated modules (default: ${MODULE_NAMES.join(',')})
  --days <n>         validity of the module certificates (default ${DEFAULT_MODULE_CERT_DAYS})
  --ca-days <n>      validity of a new CA (default ${DEFAULT_CA_DAYS})
`;

class UsageError extends Error {}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 36_500)
    throw new UsageError(`--${name} must be a whole number of days (1-36500)`);
  return n;
}

/** The CA certificate of a bundle that belongs to the given key. */
function caMatchingKey(bundle: string, keyPem: string): string {
  const publicKey = createPublicKey(createPrivateKey(keyPem)).export({
    type: 'spki',
    format: 'der',
  });
  for (const [pem] of bundle.matchAll(PEM_CERTIFICATE)) {
    const cert = new X509Certificate(pem);
    if (cert.publicKey.export({ type: 'spki', format: 'der' }).equals(publicKey)) return pem;
  }
  throw new UsageError(`no certificate in ${CA_FILE} belongs to ${CA_KEY_FILE}`);
}

async function run(argv: string[]): Promise<string> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      ca: { type: 'string' },
      trust: { type: 'string' },
      modules: { type: 'string' },
      days: { type: 'string' },
      'ca-days': { type: 'string' },
      help: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return USAGE;
  if (!values.out) throw new UsageError('--out <dir> is required');
  if (existsSync(values.out) && readdirSync(values.out).length > 0)
    throw new UsageError(`${values.out} is not empty: issue into a new folder`);
  const modules = values.modules
    ? values.modules.split(',').map((m) => m.trim().toLowerCase())
    : [...MODULE_NAMES];
  const unknown = modules.filter((m) => !isModuleName(m));
  if (unknown.length > 0 || modules.length === 0)
    throw new UsageError(`unknown modules: ${unknown.join(', ') || '(none given)'}`);

  let ca: { cert: string; key: string } | undefined;
  let bundle: string | undefined;
  if (values.ca) {
    const key = readFileSync(join(values.ca, CA_KEY_FILE), 'utf8');
    bundle = readFileSync(join(values.ca, CA_FILE), 'utf8');
    ca = { cert: caMatchingKey(bundle, key), key };
  }
  const issued = await issueBusCredentialsOnDemand({
    modules,
    ca,
    days: positiveInt('days', values.days, DEFAULT_MODULE_CERT_DAYS),
    caDays: positiveInt('ca-days', values['ca-days'], DEFAULT_CA_DAYS),
  });
  let trust = bundle ?? issued.ca.trust;
  if (values.trust) {
    const extra = [...readFileSync(values.trust, 'utf8').matchAll(PEM_CERTIFICATE)].map(
      ([pem]) => pem,
    );
    if (extra.length === 0) throw new UsageError(`${values.trust} holds no certificate`);
    trust = `${trust.trimEnd()}\n${extra.join('\n')}\n`;
  }
  const written = writeBusCredentials(
    values.out,
    { ...issued, ca: { ...issued.ca, trust } },
    { withCaKey: !ca },
  );
  return `Wrote ${written.join(', ')} to ${values.out}\n`;
}

/** `node dist/main.js bus-certs …`: 0 when the files are written, 2 on bad arguments. */
export async function runBusCertsCommand(argv: string[]): Promise<number> {
  try {
    process.stdout.write(await run(argv));
    return 0;
  } catch (error) {
    const usage =
      error instanceof UsageError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    const missingFile = (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (!usage && !missingFile) throw error;
    process.stderr.write(`bus-certs: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
}
