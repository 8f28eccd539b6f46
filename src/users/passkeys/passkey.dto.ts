import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsObject, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { type RefreshTokenPlace } from '@mfm/platform/http/refresh-cookie';
import { Omittable } from '@mfm/platform/validation/omittable';
import { Trim } from '@mfm/platform/validation/transforms';
import { RefreshTokenIn, SECOND_STEP_REFRESH_TOKEN_IN } from '../sessions/login.dto';
import type { Passkey } from './passkey.entity';

export class PasskeyOptionsResponse {
  @ApiProperty({ format: 'uuid', description: 'Send it back with the credential' })
  challengeId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'WebAuthn options as JSON (base64url strings): decode them for `navigator.credentials.create()` or `.get()`',
  })
  options!: Record<string, unknown>;
}

export class PasskeyRegistrationDto {
  @IsUUID()
  challengeId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The new credential as JSON (`PublicKeyCredential.toJSON()`)',
  })
  @IsObject()
  credential!: Record<string, unknown>;

  /** A name to tell your passkeys apart. @example "Laptop" */
  @Omittable()
  @Trim()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name?: string;
}

/** An assertion of `navigator.credentials.get()` for the options of a challenge. */
export class PasskeyLoginDto {
  @IsUUID()
  challengeId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The assertion as JSON (`PublicKeyCredential.toJSON()`)',
  })
  @IsObject()
  credential!: Record<string, unknown>;

  @RefreshTokenIn(SECOND_STEP_REFRESH_TOKEN_IN)
  refreshTokenIn?: RefreshTokenPlace;
}

export class PasskeyResponse {
  @ApiProperty({ description: 'The credential id (base64url)' })
  id!: string;

  @ApiProperty({ example: 'Laptop' })
  name!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' })
  lastUsedAt!: string | null;

  static from(passkey: Passkey): PasskeyResponse {
    return {
      id: passkey.id,
      name: passkey.name,
      createdAt: new Date(passkey.createdAt).toISOString(),
      lastUsedAt: passkey.lastUsedAt ? new Date(passkey.lastUsedAt).toISOString() : null,
    };
  }
}

/** The second step of a password login, taken with one of the account's passkeys. */
export class MfaPasskeyLoginDto extends PasskeyLoginDto {
  /** The `mfaToken` of the login's answer. */
  @IsString()
  @Matches(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{16,64}$/, {
    message: 'mfaToken must be the mfaToken of the login answer',
  })
  mfaToken!: string;
}

/** A re-authentication with a passkey: the assertion alone, its challenge described. */
export class PasskeyReauthenticateDto extends PickType(PasskeyLoginDto, ['credential'] as const) {
  /** Of the options of POST /api/auth/passkey/options. */
  @IsUUID()
  challengeId!: string;
}
