import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { DataSource } from 'typeorm';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import { Passkey } from '../passkeys/passkey.entity';
import { User } from '../accounts/user.entity';
import { SecondFactorCodes } from '../two-factor/second-factor-codes.service';
import { PasskeysService } from '../passkeys/passkeys.service';
import { PasswordCheck } from '../password/password-check.service';
import type { AccessClaims } from '../sessions/access-tokens.service';
import { AccessTokensService } from '../sessions/access-tokens.service';

/** What a re-authentication answers: an access token of the same session that records it. */
export interface StepUpIssued {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  /** Seconds the re-authentication counts as recent. */
  reauthExpiresIn: number;
}

/**
 * Re-authentication ("sudo mode"): before an account adds or removes a way to sign in or moves to
 * another address, its holder proves again who they are, so a stolen access token alone cannot
 * take the account over. The proof is the password plus a current second factor when the account
 * has one, or a passkey; the answer is an access token of the same session carrying `reauth_at`,
 * which counts for STEP_UP_WINDOW_SECONDS.
 */
@Injectable()
export class StepUpService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectDataSource('users') private readonly db: DataSource,
    private readonly passwordCheck: PasswordCheck,
    private readonly codes: SecondFactorCodes,
    private readonly passkeys: PasskeysService,
    private readonly accessTokens: AccessTokensService,
  ) {}

  get windowSeconds(): number {
    return this.config.accounts.stepUpWindowSeconds;
  }

  /** 403 REAUTHENTICATION_REQUIRED unless the caller's token records a recent re-authentication. */
  assertRecent(caller: VerifiedUser): void {
    const at = caller.reauthAt;
    const now = Math.floor(Date.now() / 1000);
    if (typeof at === 'number' && at <= now + 5 && now - at <= this.windowSeconds) return;
    throw this.reauthenticationRequired();
  }

  /**
   * 403 REAUTHENTICATION_REQUIRED unless recent; else the session of the caller's own token (the
   * guard has verified it), to which a way to sign in added now is tied.
   */
  recentSession(caller: VerifiedUser): string {
    this.assertRecent(caller);
    if (!caller.sessionId) throw this.reauthenticationRequired();
    return caller.sessionId;
  }

  private reauthenticationRequired() {
    return UsersErrors.REAUTHENTICATION_REQUIRED.error(
      { minutes: Math.round(this.windowSeconds / 60) },
      { reauthenticate: '/api/users/me/reauthenticate' },
    );
  }

  /** The password, and a code of the app (or a backup code) when the account has one. */
  async withPassword(
    claims: AccessClaims,
    password: string,
    code: string | undefined,
    address: string,
  ): Promise<StepUpIssued> {
    const user = await this.db.manager.findOneByOrFail(User, { id: claims.sub });
    await this.passwordCheck.verify(user, password, address);
    if (user.totpSecret) {
      if (!code) throw UsersErrors.MFA_CODE_REQUIRED.error({ field: 'code' });
      await this.codes.prove(user, code, ['totp', 'backup_code']);
    } else if (await this.db.manager.existsBy(Passkey, { userId: user.id })) {
      // The passkey is this account's second factor: the password alone is one factor.
      throw UsersErrors.PASSKEY_REQUIRED.error();
    }
    return this.issue(user, claims);
  }

  /** A passkey of the account (user verification makes it two factors in one). */
  async withPasskey(
    claims: AccessClaims,
    challengeId: string,
    credential: AuthenticationResponseJSON,
  ): Promise<StepUpIssued> {
    const user = await this.passkeys.login(challengeId, credential);
    if (user.id !== claims.sub)
      throw UsersErrors.PASSKEY_OTHER_ACCOUNT.error({ field: 'credential' });
    return this.issue(user, claims);
  }

  private issue(user: User, claims: AccessClaims): StepUpIssued {
    return {
      accessToken: this.accessTokens.issue(
        user,
        claims.sid,
        claims.amr ?? ['pwd'],
        Math.floor(Date.now() / 1000),
      ),
      tokenType: 'Bearer',
      expiresIn: this.accessTokens.ttlSeconds,
      reauthExpiresIn: this.windowSeconds,
    };
  }
}
