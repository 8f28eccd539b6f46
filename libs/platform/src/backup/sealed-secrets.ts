import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import * as argon2 from 'argon2';

/** Secrets sealed under a passphrase: AES-256-GCM with a key stretched by argon2id. */
export interface SealedSecrets {
  cipher: 'aes-256-gcm';
  kdf: { name: 'argon2id'; memoryCost: number; timeCost: number; parallelism: number };
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

/** The passphrase does not open the sealed secrets (or they were changed). */
export class WrongPassphraseError extends Error {
  override readonly name = 'WrongPassphraseError';
}

/** Stronger than a login's hash: a backup's key is derived once per backup and per restore. */
const KDF = { name: 'argon2id', memoryCost: 65_536, timeCost: 3, parallelism: 1 } as const;

const keyOf = (passphrase: string, salt: Buffer, kdf: SealedSecrets['kdf']): Promise<Buffer> =>
  argon2.hash(passphrase, {
    type: argon2.argon2id,
    raw: true,
    hashLength: 32,
    salt,
    memoryCost: kdf.memoryCost,
    timeCost: kdf.timeCost,
    parallelism: kdf.parallelism,
  });

export async function sealSecrets(
  secrets: Record<string, string>,
  passphrase: string,
): Promise<SealedSecrets> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', await keyOf(passphrase, salt, KDF), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()]);
  return {
    cipher: 'aes-256-gcm',
    kdf: { ...KDF },
    salt: salt.toString('base64'),
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

/** The secrets, or WrongPassphraseError when the passphrase (or anything sealed) is not right. */
export async function unsealSecrets(
  sealed: SealedSecrets,
  passphrase: string,
): Promise<Record<string, string>> {
  const key = await keyOf(passphrase, Buffer.from(sealed.salt, 'base64'), sealed.kdf);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  try {
    const plain = Buffer.concat([
      decipher.update(Buffer.from(sealed.data, 'base64')),
      decipher.final(),
    ]);
    return JSON.parse(plain.toString('utf8')) as Record<string, string>;
  } catch {
    throw new WrongPassphraseError('the passphrase does not open the backup’s keys');
  }
}
