import { createPublicKey, generateKeyPair, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { transactionRunnerToken } from '@mfm/platform/database/module-database';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { DataKeyRing } from '@mfm/platform/crypto/data-key-ring';
import { SigningKey } from './signing-key.entity';
import { personalDataKeys, SIGNING_KEY_CONTEXT } from '../personal-data';

const generateRsa = promisify(generateKeyPair);

export interface PublicJwk {
  kty: string;
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

const signingKeyContext = (kid: string) => DataKeyRing.rowContext(SIGNING_KEY_CONTEXT, kid);

/**
 * A stored key with its private half opened (it is sealed in its row, see personal-data.ts). The
 * public half is the one derived from the private key: a row whose public key was replaced does
 * not verify tokens signed by some other key.
 */
function opened(stored: SigningKey): SigningKey {
  const privateKeyPem = personalDataKeys().open(
    stored.privateKeyPem,
    signingKeyContext(stored.kid),
  );
  const derived = createPublicKey(privateKeyPem).export({ type: 'spki', format: 'pem' }) as string;
  const given = createPublicKey(stored.publicKeyPem).export({ type: 'spki', format: 'pem' });
  if (given !== derived)
    throw new Error(`The signing key ${stored.kid}: its public key is not its private key's`);
  return { ...stored, privateKeyPem, publicKeyPem: derived };
}

/**
 * The RS256 keys: one signs, all verify; published as a JWKS. Created on first start. The private
 * keys are sealed with the data keys in the database and opened in memory only.
 */
@Injectable()
export class SigningKeysService implements OnModuleInit {
  private keys = new Map<string, SigningKey>();
  private current?: SigningKey;

  constructor(
    @InjectRepository(SigningKey, 'users') private readonly repo: Repository<SigningKey>,
    @Inject(transactionRunnerToken('users')) private readonly tx: TransactionRunner,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.load();
    if (!this.current) {
      await this.rotate();
    }
  }

  /** Makes a new signing key; the old one keeps verifying the tokens it signed. */
  async rotate(): Promise<SigningKey> {
    const { publicKey, privateKey } = await generateRsa('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
    const kid = randomUUID();
    await this.tx.run(async (manager) => {
      await manager.update(SigningKey, { retiredAt: IsNull() }, { retiredAt: new Date() });
      await manager.insert(SigningKey, {
        kid,
        publicKeyPem: publicKey,
        privateKeyPem: personalDataKeys().seal(privateKey, signingKeyContext(kid)),
        retiredAt: null,
      });
    });
    await this.load();
    return this.signingKey();
  }

  signingKey(): SigningKey {
    if (!this.current) throw new Error('No signing key: SigningKeysService was not initialised');
    return this.current;
  }

  verificationKey(kid: string): SigningKey | undefined {
    return this.keys.get(kid);
  }

  jwks(): { keys: PublicJwk[] } {
    return {
      keys: [...this.keys.values()].map((key) => {
        const jwk = createPublicKey(key.publicKeyPem).export({ format: 'jwk' }) as {
          kty: string;
          n: string;
          e: string;
        };
        return { kty: jwk.kty, n: jwk.n, e: jwk.e, kid: key.kid, alg: 'RS256', use: 'sig' };
      }),
    };
  }

  private async load(): Promise<void> {
    const all = (await this.repo.find({ order: { createdAt: 'ASC' } })).map(opened);
    this.keys = new Map(all.map((key) => [key.kid, key]));
    this.current = all.filter((key) => key.retiredAt === null).at(-1);
  }
}
