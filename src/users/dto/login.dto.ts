import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  /** @example "customer" */
  @IsString()
  @MinLength(1)
  @MaxLength(64)
  username!: string;

  /** @example "HappyCart-2026" */
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}
