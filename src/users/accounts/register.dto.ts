import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Trim } from '@mfm/platform/validation/transforms';

/** Customer sign-up. A role cannot be chosen here: unknown fields such as `role` are rejected. */
export class RegisterDto {
  /** @example "Ada" */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  firstName!: string;

  /** @example "Lovelace" */
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  lastName!: string;

  /**
   * 3–32 letters, digits, dots, dashes or underscores; unique regardless of case.
   * @example "ada"
   */
  @IsString()
  @Matches(/^[a-zA-Z0-9_.-]{3,32}$/, {
    message: 'username must be 3-32 letters, digits, dots, dashes or underscores',
  })
  username!: string;

  /** @example "ada@example.com" */
  @Trim()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;

  /**
   * 8–128 characters with a lowercase letter, an uppercase letter and a digit; must not contain
   * your first name, last name or username.
   * @example "Analytical-Engine-1843"
   */
  @IsString()
  @MaxLength(1024)
  password!: string;
}
