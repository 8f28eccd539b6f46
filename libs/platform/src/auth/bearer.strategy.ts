import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { UsersClient, VerifiedUser } from '@mfm/contracts/users.contract';
import { Strategy } from 'passport-http-bearer';

/**
 * Every module authenticates the same way: the users module checks the token (signature with a
 * pinned algorithm, expiry, revocation) and reads the account's current role from its database.
 */
@Injectable()
export class BearerStrategy extends PassportStrategy(Strategy, 'bearer') {
  constructor(private readonly users: UsersClient) {
    super();
  }

  validate(token: string): Promise<VerifiedUser> {
    return this.users.verifyToken({ token });
  }
}
