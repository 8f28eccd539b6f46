import { createPublicKey, generateKeyPair, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { transactionRunnerToken } from '@mfm/platform/database/module-database';
import { TransactionRunner } from '@mfm/platform/database/transaction-runner';
import { SigningKey } from '../entities/signing-key.entity';

const generateRsa = promisify(generateKeyPair);

export interface PublicJwk {
  kty: string;
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

/** The RS256 keys: one signs, all verify; published as a JWKS. Created on first start. */
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
    await this.tx.run(async (manager) => {
      await manager.update(SigningKey, { retiredAt: IsNull() }, { retiredAt: new Date() });
      await manager.insert(SigningKey, {
        kid: randomUUID(),
        publicKeyPem: publicKey,
        privateKeyPem: privateKey,
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
    const all = await this.repo.find({ order: { createdAt: 'ASC' } });
    this.keys = new Map(all.map((key) => [key.kid, key]));
    this.current = all.filter((key) => key.retiredAt === null).at(-1);
  }
}
