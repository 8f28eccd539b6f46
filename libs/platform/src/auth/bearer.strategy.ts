import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy, type VerifyFunction } from 'passport-http-bearer';
import { TOKEN_VERIFIER, TokenVerifier } from './token-verifier';
import type { VerifiedUser } from './verified-user';

type BearerRequest = Parameters<Strategy<VerifyFunction>['authenticate']>[0];

/**
 * Every module authenticates the same way: the users module checks the token (signature with a
 * pinned algorithm, expiry, revocation) and reads the account's current role from its database.
 */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(@Inject(TOKEN_VERIFIER) private readonly users: TokenVerifier) {
    super();
  }

  /**
   * The token is taken from the Authorization header only. passport-http-bearer also reads an
   * `access_token` query parameter or body field; a token in a URL ends up in access logs,
   * browser history and Referer headers, so the strategy is shown the headers alone and a token
   * anywhere else counts as no token (401).
   */
  override authenticate(request: BearerRequest, options?: object): void {
    super.authenticate({ headers: request.headers } as BearerRequest, options);
  }

  validate(token: string): Promise<VerifiedUser> {
    return this.users.verifyToken({ token });
  }
}
