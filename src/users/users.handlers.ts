import { Controller } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import { UsersPatterns, VerifiedUser, VerifyTokenRequest } from '@mfm/contracts/users.contract';
import { RpcPayload } from '@mfm/platform/rpc/rpc-payload.decorator';
import { AuthService } from './auth.service';

/** The users module's message patterns, as declared in libs/contracts/users.contract.ts. */
@Controller()
export class UsersHandlers {
  constructor(private readonly auth: AuthService) {}

  @MessagePattern(UsersPatterns.verifyToken)
  verifyToken(@RpcPayload() request: VerifyTokenRequest): Promise<VerifiedUser> {
    return this.auth.verify(request.token);
  }
}
