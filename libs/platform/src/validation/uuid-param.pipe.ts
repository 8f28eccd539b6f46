import { ParseUUIDPipe } from '@nestjs/common';
import { PlatformErrors } from '../errors/error-codes';

/** A path parameter that must be a UUID; otherwise the usual VALIDATION_FAILED body naming it. */
export const uuidParam = (field = 'id'): ParseUUIDPipe =>
  new ParseUUIDPipe({
    exceptionFactory: () => {
      const fields = [{ field, messages: [`${field} must be a UUID`] }];
      return PlatformErrors.VALIDATION_FAILED.error({ fields }, { fields });
    },
  });
