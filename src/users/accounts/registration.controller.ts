import { Body, Controller, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@mfm/platform/auth/auth.decorators';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import { RateLimit } from '@mfm/platform/rate-limit/rate-limit.decorator';
import { UsersLimits } from '../rate-limits';
import { NEW_ACCOUNT_ERRORS } from './new-account-errors';
import { RegisterDto } from './register.dto';
import { UserAccounts } from './user-accounts.service';
import { UserResponse } from './user.response';

/** A customer's own sign-up. */
@ApiTags('auth')
@Controller('api/auth')
export class RegistrationController {
  constructor(private readonly accounts: UserAccounts) {}

  @Post('register')
  @Public()
  @RateLimit(UsersLimits.register)
  @ApiOperation({
    operationId: 'registerCustomer',
    summary: 'Customer sign-up',
    description: 'Creates a customer account. Roles cannot be chosen here.',
  })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiErrors(...NEW_ACCOUNT_ERRORS, PlatformErrors.TOO_MANY_REQUESTS)
  async register(@Body() body: RegisterDto): Promise<UserResponse> {
    return UserResponse.from(await this.accounts.create(body, 'customer'));
  }
}
