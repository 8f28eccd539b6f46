import { IsBoolean, IsEmail, IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import { Omittable } from '@mfm/platform/validation/omittable';
import { Trim } from '@mfm/platform/validation/transforms';
import { ROLES, type Role } from '@mfm/contracts/users.contract';

/** Any subset of these fields; none may be null. */
export class UpdateUserDto {
  @Omittable()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  firstName?: string;

  @Omittable()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  lastName?: string;

  @Omittable()
  @Trim()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email?: string;

  @Omittable()
  @IsIn(ROLES)
  role?: Role;

  /** A disabled account cannot log in, and its tokens stop working at the next check. */
  @Omittable()
  @IsBoolean()
  enabled?: boolean;
}
