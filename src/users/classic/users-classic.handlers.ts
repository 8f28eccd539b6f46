import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { UsersPatterns, VerifiedUser, VerifyTokenRequest } from '@mfm/contracts/users.contract';
import { RpcPayload } from '@mfm/platform/rpc/rpc-payload.decorator';
import { UsersClassicAdapter } from './users-classic.adapter';

/** The classic profile's token check, for the other modules' classic adapters. */
@Controller()
export class UsersClassicHandlers {
  constructor(private readonly classic: UsersClassicAdapter) {}

  @MessagePattern(UsersPatterns.verifyClassicToken)
  verifyClassicToken(@RpcPayload() request: VerifyTokenRequest): Promise<VerifiedUser> {
    return this.classic.verify(request.token);
  }
}
