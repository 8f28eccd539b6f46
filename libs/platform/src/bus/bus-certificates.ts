import 'reflect-metadata'; // @peculiar/x509 resolves its parsers through tsyringe, which needs it
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { DEFAULT_CA_DAYS, DEFAULT_MODULE_CERT_DAYS } from './bus-certificate-validity';

/**
 * Issues the internal bus's credentials: a certificate authority and one certificate per module,
 * each naming the module (CN and SAN DNS), usable as TLS server and client. EC P-256 keys,
 * ECDSA-SHA256 signatures, all through Node's WebCrypto.
 */

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const crypto = webcrypto;
x509.cryptoProvider.set(crypto);

const KEY_ALGORITHM: webcrypto.EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const SIGNING_ALGORITHM: webcrypto.EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const DAY_MS = 86_400_000;

export interface PemPair {
  cert: string;
  key: string;
}

export interface BusAuthority extends PemPair {
  /** CA certificate(s) to trust: the issuing CA, plus any others given to trust during a CA change. */
  trust: string;
}

export interface IssuedBusCredentials {
  ca: BusAuthority;
  modules: Record<string, PemPair>;
}

export interface IssueOptions {
  modules: readonly string[];
  /** Issue under this CA instead of creating a new one (module certificate rotation). */
  ca?: PemPair;
  /** Days the module certificates stay valid. */
  days?: number;
  /** Days a new CA stays valid. */
  caDays?: number;
  /** Short label in the CA's name, e.g. "development". */
  caLabel?: string;
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importPrivateKey(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('pkcs8', x509.PemConverter.decode(pem)[0], KEY_ALGORITHM, true, [
    'sign',
  ]);
}

/** A little before now, so a peer whose clock is slightly behind still accepts a fresh certificate. */
function notBefore(): Date {
  return new Date(Date.now() - 5 * 60_000);
}

async function createAuthority(
  days: number,
  label: string,
): Promise<{
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=Micro Foods Market bus CA (${label} ${new Date().toISOString().slice(0, 10)})`,
    keys,
    notBefore: notBefore(),
    notAfter: new Date(Date.now() + days * DAY_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

async function issueModule(
  module: string,
  ca: { cert: x509.X509Certificate; key: CryptoKey },
  days: number,
): Promise<PemPair> {
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${module}`,
    issuer: ca.cert.subject,
    publicKey: keys.publicKey,
    signingKey: ca.key,
    notBefore: notBefore(),
    notAfter: new Date(Date.now() + days * DAY_MS),
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      // Every module both listens (server) and calls its peers (client) with the same identity.
      new x509.ExtendedKeyUsageExtension([
        x509.ExtendedKeyUsage.serverAuth,
        x509.ExtendedKeyUsage.clientAuth,
      ]),
      new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: module }]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert),
    ],
  });
  return { cert: cert.toString('pem') + '\n', key: (await privateKeyPem(keys.privateKey)) + '\n' };
}

/** A CA (new, or the one given) and a certificate and key for each module, all as PEM text. */
export async function issueBusCredentials(options: IssueOptions): Promise<IssuedBusCredentials> {
  const days = options.days ?? DEFAULT_MODULE_CERT_DAYS;
  let authority: { cert: x509.X509Certificate; key: CryptoKey };
  let caPem: PemPair;
  if (options.ca) {
    authority = {
      cert: new x509.X509Certificate(options.ca.cert),
      key: await importPrivateKey(options.ca.key),
    };
    caPem = options.ca;
  } else {
    const created = await createAuthority(
      options.caDays ?? DEFAULT_CA_DAYS,
      options.caLabel ?? 'deployment',
    );
    authority = { cert: created.cert, key: created.keys.privateKey };
    caPem = {
      cert: created.cert.toString('pem') + '\n',
      key: (await privateKeyPem(created.keys.privateKey)) + '\n',
    };
  }
  const modules: Record<string, PemPair> = {};
  for (const module of options.modules)
    modules[module] = await issueModule(module, authority, days);
  return { ca: { ...caPem, trust: caPem.cert }, modules };
}
