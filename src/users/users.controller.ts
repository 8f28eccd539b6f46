import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import { Auth, CurrentUser } from '@mfm/platform/auth/auth.decorators';
import { AppError } from '@mfm/platform/errors/error-body';
import { ErrorBodyDto } from '@mfm/platform/http/error-body.dto';
import { CreateUserDto } from './dto/create-user.dto';
import { ListUsersQuery } from './dto/list-users.query';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserPageResponse, UserResponse } from './dto/user.response';
import { UserAccounts } from './user-accounts.service';

const actorOf = (user: VerifiedUser) => ({ userId: user.userId, username: user.username });

/** `:id` must be a UUID; otherwise the usual VALIDATION_FAILED body, naming the field. */
const userIdPipe = () =>
  new ParseUUIDPipe({
    exceptionFactory: () =>
      new AppError(400, 'VALIDATION_FAILED', 'Invalid request: id (id must be a UUID)', {
        fields: [{ field: 'id', messages: ['id must be a UUID'] }],
      }),
  });

@ApiTags('users')
@Controller('api/users')
export class UsersController {
  constructor(private readonly accounts: UserAccounts) {}

  @Get('me')
  @Auth()
  @ApiOperation({ summary: 'The profile of the caller' })
  @ApiOkResponse({ type: UserResponse })
  async me(@CurrentUser() caller: VerifiedUser): Promise<UserResponse> {
    return UserResponse.from(await this.accounts.get(caller.userId));
  }

  @Get()
  @Auth('employee')
  @ApiOperation({ summary: 'List accounts (paged; filter by role and enabled)' })
  @ApiOkResponse({ type: UserPageResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED', type: ErrorBodyDto })
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
  @ApiOperation({ summary: 'Create an account, customer or employee' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED or WEAK_PASSWORD', type: ErrorBodyDto })
  @ApiConflictResponse({ description: 'USERNAME_TAKEN or EMAIL_TAKEN', type: ErrorBodyDto })
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
  @ApiOperation({ summary: 'One account' })
  @ApiOkResponse({ type: UserResponse })
  @ApiBadRequestResponse({ description: 'VALIDATION_FAILED: id is not a UUID', type: ErrorBodyDto })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND', type: ErrorBodyDto })
  async get(@Param('id', userIdPipe()) id: string): Promise<UserResponse> {
    return UserResponse.from(await this.accounts.get(id));
  }

  @Patch(':id')
  @Auth('employee')
  @ApiOperation({
    summary: 'Change names, email, role or enabled',
    description: 'Disabling an account ends its tokens at their next check.',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiBadRequestResponse({
    description: 'VALIDATION_FAILED (unknown or invalid fields, id not a UUID)',
    type: ErrorBodyDto,
  })
  @ApiNotFoundResponse({ description: 'USER_NOT_FOUND', type: ErrorBodyDto })
  @ApiConflictResponse({ description: 'EMAIL_TAKEN', type: ErrorBodyDto })
  @ApiUnprocessableEntityResponse({
    description: 'SELF_LOCKOUT: you cannot disable or demote yourself',
    type: ErrorBodyDto,
  })
  async update(
    @Param('id', userIdPipe()) id: string,
    @Body() body: UpdateUserDto,
    @CurrentUser() caller: VerifiedUser,
  ): Promise<UserResponse> {
    return UserResponse.from(await this.accounts.update(id, body, actorOf(caller)));
  }
}
