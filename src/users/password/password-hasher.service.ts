import { availableParallelism } from 'node:os';
import { Injectable } from '@nestjs/common';
import * as argon2 from 'argon2';

/**
 * At most this many hashes run at once: one core fewer than the machine has (at least one), so a
 * login storm queues here instead of starving the event loop of CPU (reads stay responsive).
 */
const MAX_CONCURRENT_HASHES = Math.max(1, availableParallelism() - 1);

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

  private running = 0;
  private readonly waiting: Array<() => void> = [];

  /** A real hash of a random password: verifying against it costs what a real check costs. */
  private readonly decoy = argon2.hash(`decoy-${Math.random()}`, PasswordHasher.OPTIONS);

  hash(password: string): Promise<string> {
    return this.limited(() => argon2.hash(password, PasswordHasher.OPTIONS));
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.limited(() => argon2.verify(hash, password)).catch(() => false);
  }

  /** Spends the time of a verification when the account does not exist (no user enumeration by timing). */
  async verifyDecoy(password: string): Promise<false> {
    const decoy = await this.decoy;
    await this.limited(() => argon2.verify(decoy, password)).catch(() => false);
    return false;
  }

  /** Runs `work` when fewer than MAX_CONCURRENT_HASHES are running; first come, first served. */
  private async limited<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= MAX_CONCURRENT_HASHES)
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
