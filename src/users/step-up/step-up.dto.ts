import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { Omittable } from '@mfm/platform/validation/omittable';

export class ReauthenticateDto {
  /** Your current password. @example "Analytical-Engine-1843" */
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;

  /**
   * With two-factor sign-in on: a current code of your app, or a backup code. @example "492039"
   */
  @Omittable()
  @IsString()
  @Matches(/^(\d{6}|[A-Za-z0-9]{5}-?[A-Za-z0-9]{5})$/, {
    message: 'code must be six digits or a backup code',
  })
  code?: string;
}

export class StepUpResponse {
  /** An access token of the same session that records the re-authentication. */
  accessToken!: string;

  @ApiProperty({ enum: ['Bearer'] })
  tokenType!: 'Bearer';

  /** Seconds until the access token expires. @example 900 */
  expiresIn!: number;

  /** Seconds the re-authentication counts as recent (STEP_UP_WINDOW_SECONDS). @example 600 */
  reauthExpiresIn!: number;
}
