import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/**
 * argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). The argon2 binding hashes
 * on libuv's thread pool, so a login storm never blocks the event loop.
 */
@Injectable()
export class PasswordHasher {
  static readonly OPTIONS = {
    type: argon2.argon2id,
    memoryCost: 19_456,
    timeCost: 2,
    parallelism: 1,
  } as const;

  /** A real hash of a random password: verifying against it costs what a real check costs. */
  private readonly decoy = argon2.hash(`decoy-${Math.random()}`, PasswordHasher.OPTIONS);

  hash(password: string): Promise<string> {
    return argon2.hash(password, PasswordHasher.OPTIONS);
  }

  verify(hash: string, password: string): Promise<boolean> {
    return argon2.verify(hash, password).catch(() => false);
  }

  /** Spends the time of a verification when the account does not exist (no user enumeration by timing). */
  async verifyDecoy(password: string): Promise<false> {
    await argon2.verify(await this.decoy, password).catch(() => false);
    return false;
  }
}
