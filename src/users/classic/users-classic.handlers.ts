import { Controller } from '@nestjs/common';
import { Handles } from '@mfm/contracts/message';
import {
  UsersApi,
  UsersMessages,
  VerifiedUser,
  VerifyTokenRequest,
} from '@mfm/contracts/users.contract';
import { RpcPayload } from '@mfm/platform/rpc/rpc-payload.decorator';
import { UsersClassicAdapter } from './users-classic.adapter';

/** The classic profile's token check, for the other modules' classic adapters. */
@Controller()
export class UsersClassicHandlers implements Pick<UsersApi, 'verifyClassicToken'> {
  constructor(private readonly classic: UsersClassicAdapter) {}

  @Handles(UsersMessages.verifyClassicToken)
  verifyClassicToken(@RpcPayload() request: VerifyTokenRequest): Promise<VerifiedUser> {
    return this.classic.verify(request.token);
  }
}
