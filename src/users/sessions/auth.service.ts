import { Injectable } from '@nestjs/common';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { UserResponse } from '../accounts/user.response';
import { TokenPairResponse } from './token-pair.response';
import { User } from '../accounts/user.entity';
import { LoginThrottle } from './login-throttle.service';
import { PasswordHasher } from '../password/password-hasher.service';
import { AccessTokensService } from './access-tokens.service';
import { SessionsService } from './sessions.service';
import { UserAccounts } from '../accounts/user-accounts.service';
import { UsersAudit } from '../users-audit.service';
import { MfaMethod } from '../two-factor/methods';
import {
  MfaChallengeIssued,
  TwoFactorChallenges,
} from '../two-factor/two-factor-challenges.service';

/** Login, refresh, logout, and the token check every other module relies on. */
@Injectable()
export class AuthService {
  constructor(
    private readonly accounts: UserAccounts,
    private readonly hasher: PasswordHasher,
    private readonly accessTokens: AccessTokensService,
    private readonly sessions: SessionsService,
    private readonly throttle: LoginThrottle,
    private readonly audit: UsersAudit,
    private readonly challenges: TwoFactorChallenges,
  ) {}

  /**
   * The password step. An account with a second factor (an app or a passkey) gets a challenge
   * instead of tokens, completed by `completeMfaLogin` or `completeMfaLoginWithPasskey`: a
   * password alone never signs in to it.
   */
  async login(
    username: string,
    password: string,
    address: string,
  ): Promise<TokenPairResponse | MfaChallengeIssued> {
    const user = await this.checkCredentials(username, password, address);
    if (await this.challenges.hasSecondFactor(user)) return this.challenges.issue(user);
    return this.startSession(user, ['pwd']);
  }

  /** The second step: a code for the challenge; the session's tokens say `amr: [pwd, otp, mfa]`. */
  async completeMfaLogin(
    mfaToken: string,
    code: string,
    method: MfaMethod | undefined,
  ): Promise<TokenPairResponse> {
    const { user, method: used } = await this.challenges.complete(mfaToken, code, method);
    return this.startSession(user, ['pwd', 'otp', 'mfa'], { secondFactor: used });
  }

  /** The second step with a passkey of the account: `amr: [pwd, hwk, mfa]`. */
  async completeMfaLoginWithPasskey(
    mfaToken: string,
    assert: () => Promise<User>,
  ): Promise<TokenPairResponse> {
    const user = await this.challenges.completeWithPasskey(mfaToken, assert);
    return this.startSession(user, ['pwd', 'hwk', 'mfa'], { secondFactor: 'passkey' });
  }

  /** A session for an account that has proved who it is (password, second factor, or passkey). */
  async startSession(
    user: User,
    amr: string[],
    payload: Record<string, unknown> = {},
  ): Promise<TokenPairResponse> {
    const refresh = await this.sessions.start(
      user.id,
      this.audit.event(
        'login',
        user,
        { userId: user.id, username: user.username },
        {
          ...payload,
          amr,
        },
      ),
      amr,
    );
    return this.tokenPair(user, refresh.sessionId, refresh.token, amr);
  }

  /**
   * The password check of every login (modern and classic): throttled per account (its username
   * and its email address share one budget; a name of no account has its own) and per address,
   * a decoy verification for unknown names, disabled accounts refused. The attempt is counted
   * before the password is checked, so concurrent guesses cannot all slip under the limit.
   */
  async checkCredentials(username: string, password: string, address: string): Promise<User> {
    // The username, or the email address (the blind index finds it without storing it).
    const user = username.includes('@')
      ? await this.accounts.findByEmail(username)
      : await this.accounts.findByUsername(username);
    const attempt = await this.throttle.begin(
      user ? { accountId: user.id } : { identifier: username },
      address,
    );
    let ok: boolean;
    try {
      ok = user
        ? await this.hasher.verify(user.passwordHash, password)
        : await this.hasher.verifyDecoy(password);
    } catch (error) {
      await attempt.withdrawn().catch(() => undefined); // the first failure is the one to report
      throw error;
    }
    // A wrong guess keeps its place in both budgets.
    if (!user || !ok) {
      attempt.failed();
      throw UsersErrors.INVALID_CREDENTIALS.error();
    }
    await attempt.passed();
    if (!user.enabled) throw UsersErrors.ACCOUNT_DISABLED.error();
    return user;
  }

  async refresh(refreshToken: string): Promise<TokenPairResponse> {
    const next = await this.sessions.rotate(refreshToken);
    const user = await this.accounts.findById(next.userId);
    if (!user || !user.enabled) {
      await this.sessions.revoke(next.sessionId, 'account_unavailable');
      throw UsersErrors.INVALID_REFRESH_TOKEN.error();
    }
    return this.tokenPair(user, next.sessionId, next.token, next.amr);
  }

  /** Ends the session of the presented access token: its refresh tokens and access tokens stop working. */
  async logout(accessToken: string): Promise<void> {
    const claims = this.accessTokens.verify(accessToken);
    await this.endSession({ id: claims.sub, username: claims.username }, claims.sid);
  }

  /** Ends the session of a refresh token (the browser's refresh cookie), spent or not. */
  async logoutWithRefreshToken(refreshToken: string): Promise<void> {
    const session = await this.sessions.sessionOf(refreshToken);
    const user = session && (await this.accounts.findById(session.userId));
    if (!session || !user) throw UsersErrors.INVALID_REFRESH_TOKEN.error();
    await this.endSession(user, session.sessionId);
  }

  private async endSession(
    who: { id: string; username: string },
    sessionId: string,
  ): Promise<void> {
    // Ending an already ended session changes nothing, and records nothing.
    await this.sessions.revoke(
      sessionId,
      'logout',
      this.audit.event('logout', who, { userId: who.id, username: who.username }, { sessionId }),
    );
  }

  /**
   * The token check every module relies on (users.verify_token). The token must be well signed and unexpired, its session not revoked,
   * and its account must still exist, be enabled and hold the same role now.
   */
  async verify(token: string): Promise<VerifiedUser> {
    const claims = this.accessTokens.verify(token);
    const [user, active] = await Promise.all([
      this.accounts.findById(claims.sub),
      this.sessions.isActive(claims.sid),
    ]);
    if (!active) throw PlatformErrors.TOKEN_REVOKED.error();
    if (!user) throw PlatformErrors.TOKEN_ACCOUNT_GONE.error();
    if (!user.enabled) throw UsersErrors.TOKEN_ACCOUNT_DISABLED.error();
    if (user.role !== claims.role) throw PlatformErrors.ROLE_CHANGED.error();
    return {
      userId: user.id,
      username: user.username,
      role: user.role,
      mfa: (claims.amr ?? []).includes('mfa'),
      emailVerified: Boolean(user.emailVerifiedAt),
      ...(typeof claims.reauth_at === 'number' && { reauthAt: claims.reauth_at }),
      sessionId: claims.sid,
    };
  }

  private tokenPair(
    user: User,
    sessionId: string,
    refreshToken: string,
    amr: string[],
  ): TokenPairResponse {
    return {
      accessToken: this.accessTokens.issue(user, sessionId, amr),
      tokenType: 'Bearer',
      expiresIn: this.accessTokens.ttlSeconds,
      refreshToken,
      refreshExpiresIn: this.sessions.refreshTtlSeconds,
      user: UserResponse.from(user),
    };
  }
}
