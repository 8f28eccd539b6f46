import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError, PlatformErrors } from '../errors/error-codes';

/** Whitelist and forbid unknown fields on every HTTP body, query and RPC payload. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = flattenErrors(errors);
      return PlatformErrors.VALIDATION_FAILED.error({ fields }, { fields });
    },
  });
}

export function flattenErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, messages: Object.values(error.constraints) }] : [];
    return [...own, ...flattenErrors(error.children ?? [], field)];
  });
}
