import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { type RefreshTokenPlace } from '@mfm/platform/http/refresh-cookie';
import { Omittable } from '@mfm/platform/validation/omittable';
import { RefreshTokenIn, SECOND_STEP_REFRESH_TOKEN_IN } from '../sessions/login.dto';
import { MFA_METHODS, type MfaMethod, type SecondStep } from './methods';

/** Six digits (an app's or a mailed code) or a backup code ("k7wq2-mx9tp"). */
const CODE = /^(\d{6}|[A-Za-z0-9]{5}-?[A-Za-z0-9]{5})$/;

export class MfaCodeDto {
  /** A current code of your authenticator app. @example "492039" */
  @IsString()
  @Matches(CODE, { message: 'code must be six digits or a backup code' })
  code!: string;
}

export class MfaDisableDto extends MfaCodeDto {
  /** @example "Analytical-Engine-1843" */
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;
}

export class MfaChallengeDto {
  /** The `mfaToken` of the login's answer. */
  @IsString()
  @Matches(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{16,64}$/, {
    message: 'mfaToken must be the mfaToken of the login answer',
  })
  mfaToken!: string;
}

export class MfaLoginDto extends MfaChallengeDto {
  /** Six digits of the app or of the mailed code, or a backup code. @example "492039" */
  @IsString()
  @Matches(CODE, { message: 'code must be six digits or a backup code' })
  code!: string;

  @ApiPropertyOptional({
    enum: MFA_METHODS,
    description:
      'Which kind of code this is. Default: a backup code when it looks like one, else the app; ' +
      '`email` for the code mailed by POST /api/auth/login/mfa/email-code.',
  })
  @Omittable()
  @IsIn(MFA_METHODS)
  method?: MfaMethod;

  @RefreshTokenIn(SECOND_STEP_REFRESH_TOKEN_IN)
  refreshTokenIn?: RefreshTokenPlace;
}

export class MfaChallengeResponse {
  @ApiProperty({ enum: [true], description: 'The password was right; a second factor is needed' })
  mfaRequired!: true;

  @ApiProperty({ description: 'Send it with the code to POST /api/auth/login/mfa' })
  mfaToken!: string;

  @ApiProperty({
    enum: [...MFA_METHODS, 'passkey'],
    isArray: true,
    example: ['totp', 'backup_code', 'email'],
    description:
      '`passkey`: the account has a passkey; complete with POST /api/auth/login/mfa/passkey.',
  })
  methods!: SecondStep[];

  @ApiProperty({ example: 300, description: 'Seconds the challenge stays valid' })
  expiresIn!: number;
}

export class TotpEnrolmentResponse {
  @ApiProperty({
    example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    description: 'Base32, for typing in',
  })
  secret!: string;

  @ApiProperty({
    example:
      'otpauth://totp/Micro%20Foods%20Market:ada?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Micro%20Foods%20Market',
  })
  otpauthUri!: string;

  @ApiProperty({
    description: 'The URI as a QR code: an SVG data URL (`data:image/svg+xml;base64,…`)',
  })
  qrCode!: string;
}

export class BackupCodesResponse {
  @ApiProperty({
    type: [String],
    example: ['k7wq2-mx9tp', 'c4rzn-2hy8e'],
    description: 'Ten single-use codes, shown this once: keep them somewhere safe',
  })
  backupCodes!: string[];
}

export class MfaStatusResponse {
  @ApiProperty()
  totpEnabled!: boolean;

  @ApiProperty({ example: 9 })
  backupCodesLeft!: number;

  @ApiProperty({ example: 1 })
  passkeys!: number;
}
