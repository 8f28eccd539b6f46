import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import {
  ContactReply,
  ContactRequest,
  UsersPatterns,
  VerifiedUser,
  VerifyTokenRequest,
} from '@mfm/contracts/users.contract';
import { UserAccounts } from './user-accounts.service';
import { RpcPayload } from '@mfm/platform/rpc/rpc-payload.decorator';
import { AuthService } from './auth.service';

/** The users module's message patterns, as declared in libs/contracts/users.contract.ts. */
@Controller()
export class UsersHandlers {
  constructor(
    private readonly auth: AuthService,
    private readonly accounts: UserAccounts,
  ) {}

  @MessagePattern(UsersPatterns.verifyToken)
  verifyToken(@RpcPayload() request: VerifyTokenRequest): Promise<VerifiedUser> {
    return this.auth.verify(request.token);
  }

  @MessagePattern(UsersPatterns.contact)
  async contact(@RpcPayload() request: ContactRequest): Promise<ContactReply> {
    const user = await this.accounts.get(request.userId);
    return {
      email: user.email,
      firstName: user.firstName,
      emailVerified: Boolean(user.emailVerifiedAt),
    };
  }
}
