import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import {
  CSRF_HEADER,
  REFRESH_TOKEN_PLACES,
  type RefreshTokenPlace,
} from '@mfm/platform/http/refresh-cookie';
import { Omittable } from '@mfm/platform/validation/omittable';

/** The optional `refreshTokenIn` of a request that ends in tokens: documented, validated, omittable. */
export const RefreshTokenIn = (description: string): PropertyDecorator =>
  applyDecorators(
    ApiPropertyOptional({ enum: REFRESH_TOKEN_PLACES, default: 'body', description }),
    Omittable(),
    IsIn(REFRESH_TOKEN_PLACES, { message: 'refreshTokenIn must be "body" or "cookie"' }),
  );

/** The same, on the second step of a sign-in (a code or a passkey). */
export const SECOND_STEP_REFRESH_TOKEN_IN = `As for the login: \`cookie\` puts the refresh token in the httpOnly cookie (with \`${CSRF_HEADER}: 1\`).`;

export class LoginDto {
  /** The username, or the account's email address. @example "customer" */
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  username!: string;

  /** @example "HappyCart-2026" */
  @IsString()
  @MinLength(1)
  @MaxLength(1024)
  password!: string;

  @RefreshTokenIn(
    'Where the refresh token goes. `body` (the default, for API clients): in the JSON answer. ' +
      '`cookie` (for browsers): in an httpOnly, Secure, SameSite=Strict cookie for /api/auth ' +
      `only, and left out of the answer; the request must then carry \`${CSRF_HEADER}: 1\`.`,
  )
  refreshTokenIn?: RefreshTokenPlace;
}
