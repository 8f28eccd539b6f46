import { Injectable } from '@nestjs/common';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import type { User } from '../accounts/user.entity';
import { LoginThrottle } from '../sessions/login-throttle.service';
import { PasswordHasher } from './password-hasher.service';

/**
 * The password asked again by a signed-in account (turning two-factor sign-in off, changing the
 * address, confirming it is still them). Each check takes from the same budget as a login of the
 * account and of the client address, so a stolen token cannot be used to guess the password
 * outside the login limit.
 */
@Injectable()
export class PasswordCheck {
  constructor(
    private readonly throttle: LoginThrottle,
    private readonly hasher: PasswordHasher,
  ) {}

  /** 401 INVALID_CREDENTIALS (field `password`) when wrong; 429 past the login limit. */
  async verify(user: User, password: string, address: string): Promise<void> {
    const attempt = await this.throttle.begin({ accountId: user.id }, address);
    let ok: boolean;
    try {
      ok = await this.hasher.verify(user.passwordHash, password);
    } catch (error) {
      await attempt.withdrawn().catch(() => undefined);
      throw error;
    }
    if (!ok) {
      attempt.failed();
      throw UsersErrors.WRONG_PASSWORD.error({ field: 'password' });
    }
    await attempt.passed();
  }
}
