import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Trim } from '@mfm/platform/validation/transforms';

/** A mailed token: `<id>.<secret>`, from the link or typed in. */
const TOKEN = /^[0-9a-f-]{36}\.[A-Za-z0-9_-]{16,64}$/;

export class MailedTokenDto {
  /** The code from the mail (also the `token` of its link). @example "5b0c1c1e-7a47-4c1f-9a53-0c6e8f9b1d2a.Qm9vdHN0cmFwLXRva2VuLXNlY3JldA" */
  @IsString()
  @Matches(TOKEN, { message: 'token must be the code from the mail' })
  token!: string;
}

export class PasswordResetRequestDto {
  /** @example "ada@example.com" */
  @Trim()
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email!: string;
}

export class PasswordResetDto extends MailedTokenDto {
  /**
   * The new password: 8–128 characters with a lowercase letter, an uppercase letter and a digit;
   * not containing your names or username.
   * @example "Brand-New-Basket-9"
   */
  @IsString()
  @MaxLength(1024)
  newPassword!: string;
}

export class EmailChangeRequestDto {
  /** @example "ada.lovelace@example.org" */
  @Trim()
  @IsEmail({}, { message: 'newEmail must be an email address' })
  @MaxLength(254)
  newEmail!: string;

  /** Your current password. @example "Analytical-Engine-1843" */
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class AcceptedResponse {
  @ApiProperty({ example: 'If an account uses this address, a reset link is on its way.' })
  message!: string;
}
