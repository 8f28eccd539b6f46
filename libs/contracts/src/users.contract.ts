import { Inject, Injectable } from '@nestjs/common';
import { IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { rpcClientToken } from '@mfm/platform/rpc/rpc-client.tokens';
import type { VerifiedUser } from '@mfm/platform/auth/verified-user';
import { message, type ModuleApi } from './message';
import { ModuleClient } from './module-client';

// The token check guards every module's routes, so the caller's shape is the platform's.
export { ROLES, type Role, type VerifiedUser } from '@mfm/platform/auth/verified-user';

export class VerifyTokenRequest {
  @IsString()
  @MinLength(1)
  @MaxLength(8192)
  token!: string;
}

export class ContactRequest {
  @IsUUID()
  userId!: string;
}

/** An account's address and first name, decrypted for a mail that is about to go out. */
export interface ContactReply {
  email: string;
  firstName: string;
  emailVerified: boolean;
}

export const UsersMessages = {
  /** Is this bearer token valid, and who is it now? (Every module's token check.) */
  verifyToken: message<VerifyTokenRequest, VerifiedUser>('users', 'verify_token', {
    idempotent: true,
  }),
  /** The classic API profile's token (HMAC, no expiry): who is it now? */
  verifyClassicToken: message<VerifyTokenRequest, VerifiedUser>('users', 'verify_classic_token', {
    idempotent: true,
  }),
  /** Where to mail an account (for mail addressed to it, e.g. by orders). */
  contact: message<ContactRequest, ContactReply>('users', 'contact', { idempotent: true }),
};

export type UsersApi = ModuleApi<typeof UsersMessages>;

@Injectable()
export class UsersClient extends ModuleClient implements UsersApi {
  constructor(@Inject(rpcClientToken('users')) rpc: RpcClient) {
    super(rpc);
  }

  /** 401 when the token is invalid, expired, revoked, or its account is gone or disabled. */
  verifyToken(request: VerifyTokenRequest): Promise<VerifiedUser> {
    return this.call(UsersMessages.verifyToken, request);
  }

  /** 404 USER_NOT_FOUND when the account no longer exists. */
  contact(request: ContactRequest): Promise<ContactReply> {
    return this.call(UsersMessages.contact, request);
  }

  /** Classic profile: 401 when the classic token is invalid or its account is gone or disabled. */
  verifyClassicToken(request: VerifyTokenRequest): Promise<VerifiedUser> {
    return this.call(UsersMessages.verifyClassicToken, request);
  }
}
