import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ErrorBody } from '../errors/error-body';

/** OpenAPI description of the error shape (the type itself lives in errors/error-body.ts). */
export class ErrorBodyDto implements ErrorBody {
  @ApiProperty({ example: 409 })
  statusCode!: number;

  @ApiProperty({ example: 'Conflict' })
  error!: string;

  @ApiProperty({ example: 'USERNAME_TAKEN', description: 'Stable machine-readable code' })
  code!: string;

  @ApiProperty({ example: 'That username is taken' })
  message!: string;

  @ApiPropertyOptional({ description: 'Field errors or other structured detail', type: Object })
  details?: unknown;
}
