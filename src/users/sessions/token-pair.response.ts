import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { UserResponse } from '../accounts/user.response';

/** What a sign-in or a refresh answers: the tokens of the session, and whose they are. */
export class TokenPairResponse {
  @ApiProperty({ description: 'RS256 JWT; send as `Authorization: Bearer <token>`' })
  accessToken!: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType!: 'Bearer';

  @ApiProperty({ example: 900, description: 'Seconds until the access token expires' })
  expiresIn!: number;

  @ApiPropertyOptional({
    description:
      'Opaque, single use: exchange at POST /api/auth/refresh. Left out when the refresh token ' +
      'went into the cookie (`refreshTokenIn: "cookie"`).',
  })
  refreshToken?: string;

  @ApiProperty({ example: 2592000 })
  refreshExpiresIn!: number;

  @ApiProperty({ type: UserResponse })
  user!: UserResponse;
}
