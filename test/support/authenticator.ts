import { generateSync } from 'otplib';

const STEP_MS = 30_000;

/**
 * An authenticator app for tests: six-digit TOTP codes of a secret, each of a time step later
 * than the last one used, because the store refuses a code of a step it has already accepted.
 * Three steps are valid at any moment (one of tolerance either side), so it waits for the clock
 * only when a test uses more than that within half a minute.
 */
export class TestAuthenticator {
  private lastStep = Number.NEGATIVE_INFINITY;

  constructor(readonly secret: string) {}

  /** The code of the current step (a step not used yet may be repeated as a replay). */
  current(): string {
    return generateSync({ secret: this.secret, epoch: Math.floor(Date.now() / 1000) });
  }

  async next(): Promise<string> {
    for (;;) {
      const now = Date.now();
      const step = Math.floor(now / STEP_MS);
      const into = now - step * STEP_MS;
      // The step before still counts if the store checks within the next few seconds.
      const earliest = into < 20_000 ? step - 1 : step;
      const candidate = Math.max(this.lastStep + 1, earliest);
      if (candidate <= step + 1) {
        this.lastStep = candidate;
        return generateSync({ secret: this.secret, epoch: candidate * 30 });
      }
      await new Promise((resolve) => setTimeout(resolve, (step + 1) * STEP_MS - now + 200));
    }
  }
}
