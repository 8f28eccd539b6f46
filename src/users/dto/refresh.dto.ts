import { IsString, MaxLength, MinLength } from 'class-validator';

export class RefreshDto {
  /** The refresh token from the last login or refresh; each one works once. */
  @IsString()
  @MinLength(10)
  @MaxLength(200)
  refreshToken!: string;
}
