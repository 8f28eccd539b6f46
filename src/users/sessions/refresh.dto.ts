import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { REFRESH_COOKIE } from '@mfm/platform/http/refresh-cookie';
import { Omittable } from '@mfm/platform/validation/omittable';

export class RefreshDto {
  @ApiPropertyOptional({
    description:
      'The refresh token from the last login or refresh; each one works once. Leave it out ' +
      `when the browser holds it in the \`${REFRESH_COOKIE}\` cookie.`,
  })
  @Omittable()
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  refreshToken?: string;
}
