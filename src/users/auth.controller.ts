import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Auth, Public } from '@mfm/platform/auth/auth.decorators';
import { ErrorBodyDto } from '@mfm/platform/http/error-body.dto';
import { RateLimit } from '@mfm/platform/rate-limit/rate-limit.decorator';
import type { FastifyRequest } from 'fastify';
import { AuthService } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { RefreshDto } from './dto/refresh.dto';
import { RegisterDto } from './dto/register.dto';
import { TokenPairResponse, UserResponse } from './dto/user.response';
import { UserAccounts } from './user-accounts.service';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly accounts: UserAccounts,
  ) {}

  @Post('register')
  @Public()
  @RateLimit('register')
  @ApiOperation({
    summary: 'Customer sign-up',
    description: 'Creates a customer account. Roles cannot be chosen here.',
  })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED (names the fields) or WEAK_PASSWORD',
    type: ErrorBodyDto,
  })
  @ApiConflictResponse({ description: 'USERNAME_TAKEN or EMAIL_TAKEN', type: ErrorBodyDto })
  async register(@Body() body: RegisterDto): Promise<UserResponse> {
    return UserResponse.from(await this.accounts.create(body, 'customer'));
  }

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in: an access token (RS256 JWT) and a single-use refresh token' })
  @ApiOkResponse({ type: TokenPairResponse })
  @ApiUnauthorizedResponse({
    description: 'INVALID_CREDENTIALS: same message for a wrong username or password',
    type: ErrorBodyDto,
  })
  @ApiForbiddenResponse({ description: 'ACCOUNT_DISABLED', type: ErrorBodyDto })
  @ApiTooManyRequestsResponse({
    description: 'Too many failed logins for this username or address; see Retry-After',
    type: ErrorBodyDto,
  })
  login(@Body() body: LoginDto, @Req() request: FastifyRequest): Promise<TokenPairResponse> {
    return this.auth.login(body.username, body.password, request.ip);
  }

  @Post('refresh')
  @Public()
  @RateLimit('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new pair',
    description: 'Each refresh token works once. Presenting a used one revokes the whole session.',
  })
  @ApiOkResponse({ type: TokenPairResponse })
  @ApiUnauthorizedResponse({
    description: 'INVALID_REFRESH_TOKEN or REFRESH_TOKEN_REUSED',
    type: ErrorBodyDto,
  })
  refresh(@Body() body: RefreshDto): Promise<TokenPairResponse> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @Auth()
  @HttpCode(204)
  @ApiOperation({ summary: "End this token's session: its access and refresh tokens stop working" })
  @ApiNoContentResponse({ description: 'Logged out' })
  async logout(@Req() request: FastifyRequest): Promise<void> {
    const token = (request.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    await this.auth.logout(token);
  }
}
