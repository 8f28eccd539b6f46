import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength, MinLength } from 'class-validator';
import {
  CSRF_HEADER,
  REFRESH_TOKEN_PLACES,
  type RefreshTokenPlace,
} from '@mfm/platform/http/refresh-cookie';
import { Omittable } from '@mfm/platform/validation/omittable';

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

  @ApiPropertyOptional({
    enum: REFRESH_TOKEN_PLACES,
    default: 'body',
    description:
      'Where the refresh token goes. `body` (the default, for API clients): in the JSON answer. ' +
      '`cookie` (for browsers): in an httpOnly, Secure, SameSite=Strict cookie for /api/auth ' +
      `only, and left out of the answer; the request must then carry \`${CSRF_HEADER}: 1\`.`,
  })
  @Omittable()
  @IsIn(REFRESH_TOKEN_PLACES, { message: 'refreshTokenIn must be "body" or "cookie"' })
  refreshTokenIn?: RefreshTokenPlace;
}
