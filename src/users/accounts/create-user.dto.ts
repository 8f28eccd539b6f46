import { IsIn } from 'class-validator';
import { Omittable } from '@mfm/platform/validation/omittable';
import { ROLES, type Role } from '@mfm/contracts/users.contract';
import { RegisterDto } from './register.dto';

/** An employee creates an account, and may make it an employee. */
export class CreateUserDto extends RegisterDto {
  /** @example "employee" */
  @Omittable()
  @IsIn(ROLES)
  role?: Role;
}
