import { IsIn, IsOptional } from 'class-validator';
import { ROLES, type Role } from '@mfm/contracts/users.contract';
import { RegisterDto } from './register.dto';

/** An employee creates an account, and may make it an employee. */
export class CreateUserDto extends RegisterDto {
  /** @example "employee" */
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;
}
