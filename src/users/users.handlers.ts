import { Controller } from '@nestjs/common';
import {
  ContactReply,
  ContactRequest,
  UsersApi,
  UsersMessages,
  VerifiedUser,
  VerifyTokenRequest,
} from '@mfm/contracts/users.contract';
import { Handles } from '@mfm/contracts/message';
import { RpcPayload } from '@mfm/platform/rpc/rpc-payload.decorator';
import { UserAccounts } from './accounts/user-accounts.service';
import { AuthService } from './sessions/auth.service';
import { UsersClassicAdapter } from './classic/users-classic.adapter';

/** The users module's messages (UsersMessages in libs/contracts). */
@Controller()
export class UsersHandlers implements UsersApi {
  constructor(
    private readonly auth: AuthService,
    private readonly accounts: UserAccounts,
    private readonly classic: UsersClassicAdapter,
  ) {}

  @Handles(UsersMessages.verifyToken)
  verifyToken(@RpcPayload() request: VerifyTokenRequest): Promise<VerifiedUser> {
    return this.auth.verify(request.token);
  }

  /** The classic profile's token check, for the other modules' classic adapters. */
  @Handles(UsersMessages.verifyClassicToken)
  verifyClassicToken(@RpcPayload() request: VerifyTokenRequest): Promise<VerifiedUser> {
    return this.classic.verify(request.token);
  }

  @Handles(UsersMessages.contact)
  async contact(@RpcPayload() request: ContactRequest): Promise<ContactReply> {
    const user = await this.accounts.get(request.userId);
    return {
      email: user.email,
      firstName: user.firstName,
      emailVerified: Boolean(user.emailVerifiedAt),
    };
  }
}
