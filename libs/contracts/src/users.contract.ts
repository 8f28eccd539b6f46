import { Inject, Injectable } from '@nestjs/common';
import { RpcClient } from '@mfm/platform/rpc/rpc-client';
import { rpcClientToken } from '@mfm/platform/rpc/rpc-client.tokens';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { ModuleClient } from './module-client';

export const ROLES = ['customer', 'employee'] as const;
export type Role = (typeof ROLES)[number];

export const UsersPatterns = {
  /** The seed's auth chain: is this bearer token valid, and who is it now? */
  verifyToken: 'users.verify_token',
  /** The classic API profile's token (HMAC, no expiry): who is it now? */
  verifyClassicToken: 'users.verify_classic_token',
} as const;

export class VerifyTokenRequest {
  @IsString()
  @MinLength(1)
  @MaxLength(8192)
  token!: string;
}

/** The caller, as the users database knows them at the time of the check. */
export interface VerifiedUser {
  userId: string;
  username: string;
  role: Role;
}

@Injectable()
export class UsersClient extends ModuleClient {
  constructor(@Inject(rpcClientToken('users')) rpc: RpcClient) {
    super(rpc);
  }

  /** 401 when the token is invalid, expired, revoked, or its account is gone or disabled. */
  verifyToken(request: VerifyTokenRequest): Promise<VerifiedUser> {
    return this.rpc.send<VerifiedUser>(UsersPatterns.verifyToken, request, { idempotent: true });
  }

  /** Classic profile: 401 when the classic token is invalid or its account is gone or disabled. */
  verifyClassicToken(request: VerifyTokenRequest): Promise<VerifiedUser> {
    return this.rpc.send<VerifiedUser>(UsersPatterns.verifyClassicToken, request, {
      idempotent: true,
    });
  }
}
