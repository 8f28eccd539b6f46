import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '@mfm/contracts/users.contract';
import { PageResponse } from '@mfm/platform/http/page-response';
import { User } from './user.entity';

/** What anyone may see of an account: never the password hash. */
export class UserResponse {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'ada' })
  username!: string;

  @ApiProperty({ example: 'ada@example.com' })
  email!: string;

  @ApiProperty({ example: 'Ada' })
  firstName!: string;

  @ApiProperty({ example: 'Lovelace' })
  lastName!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;

  @ApiProperty()
  enabled!: boolean;

  @ApiProperty({ description: 'The owner proved the address (a mailed link); needed to order' })
  emailVerified!: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt!: string;

  static from(user: User): UserResponse {
    return {
      id: user.id,
      username: user.username,
      email: user.email,
      firstName: user.firstName,
      lastName: user.lastName,
      role: user.role,
      enabled: Boolean(user.enabled),
      emailVerified: Boolean(user.emailVerifiedAt),
      createdAt: new Date(user.createdAt).toISOString(),
      updatedAt: new Date(user.updatedAt).toISOString(),
    };
  }
}

export class UserPageResponse extends PageResponse(UserResponse, 42) {}
