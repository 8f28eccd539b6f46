import { ParseUUIDPipe } from '@nestjs/common';
import { AppError } from '../errors/error-body';

/** A path parameter that must be a UUID; otherwise the usual VALIDATION_FAILED body naming it. */
export const uuidParam = (field = 'id'): ParseUUIDPipe =>
  new ParseUUIDPipe({
    exceptionFactory: () =>
      new AppError(
        400,
        'VALIDATION_FAILED',
        `Invalid request: ${field} (${field} must be a UUID)`,
        {
          fields: [{ field, messages: [`${field} must be a UUID`] }],
        },
      ),
  });
