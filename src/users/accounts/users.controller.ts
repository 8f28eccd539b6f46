import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UsersErrors } from '@mfm/contracts/errors.contract';
import { PlatformErrors } from '@mfm/platform/errors/error-codes';
import { ApiErrors } from '@mfm/platform/http/api-errors.decorator';
import { uuidParam } from '@mfm/platform/validation/uuid-param.pipe';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Auth, CurrentUser, WithoutEmployeeMfa } from '@mfm/platform/auth/auth.decorators';
import { CreateUserDto } from './create-user.dto';
import { ListUsersQuery } from './list-users.query';
import { NEW_ACCOUNT_ERRORS } from './new-account-errors';
import { UpdateUserDto } from './update-user.dto';
import { UserPageResponse, UserResponse } from './user.response';
import { UserAccounts } from './user-accounts.service';

const actorOf = (user: VerifiedUser) => ({ userId: user.userId, username: user.username });

@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(private readonly accounts: UserAccounts) {}

  @Get('me')
  @Auth()
  @WithoutEmployeeMfa()
  @ApiOperation({
    operationId: 'getMyProfile',
    summary: 'The profile of the caller',
  })
  @ApiOkResponse({ type: UserResponse })
  async me(@CurrentUser() caller: VerifiedUser): Promise<UserResponse> {
    return UserResponse.from(await this.accounts.get(caller.userId));
  }

  @Get()
  @Auth('employee')
  @ApiOperation({
    operationId: 'listUsers',
    summary: 'List accounts (paged; filter by role and enabled)',
  })
  @ApiOkResponse({ type: UserPageResponse })
  @ApiErrors(PlatformErrors.VALIDATION_FAILED)
  async list(@Query() query: ListUsersQuery): Promise<UserPageResponse> {
    const page = await this.accounts.list(query);
    return {
      items: page.items.map((user) => UserResponse.from(user)),
      total: page.total,
      page: query.page,
      limit: query.limit,
    };
  }

  @Post()
  @Auth('employee')
  @ApiOperation({
    operationId: 'createUser',
    summary: 'Create an account, customer or employee',
  })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiErrors(...NEW_ACCOUNT_ERRORS)
  async create(
    @Body() body: CreateUserDto,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<UserResponse> {
    const { role, ...account } = body;
    return UserResponse.from(
      await this.accounts.create(account, role ?? 'customer', actorOf(caller)),
    );
  }

  @Get(':id')
  @Auth('employee')
  @ApiOperation({
    operationId: 'getUser',
    summary: 'One account',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(PlatformErrors.VALIDATION_FAILED, UsersErrors.USER_NOT_FOUND)
  async get(@Param('id', uuidParam()) id: string): Promise<UserResponse> {
    return UserResponse.from(await this.accounts.get(id));
  }

  @Patch(':id')
  @Auth('employee')
  @ApiOperation({
    operationId: 'updateUser',
    summary: 'Change names, email, role or enabled',
    description: 'Disabling an account ends its tokens at their next check.',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(
    PlatformErrors.VALIDATION_FAILED,
    UsersErrors.USER_NOT_FOUND,
    UsersErrors.EMAIL_TAKEN,
    UsersErrors.SELF_LOCKOUT,
  )
  async update(
    @Param('id', uuidParam()) id: string,
    @Body() body: UpdateUserDto,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<UserResponse> {
    return UserResponse.from(await this.accounts.update(id, body, actorOf(caller)));
  }
}
