import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { RateLimitDefinition } from '../config/rate-limit-rules';
import { ErrorBodyDto } from '../http/error-body.dto';
import { RATE_LIMIT, RateLimitInterceptor } from './rate-limit.interceptor';

/**
 * Limits a route with one of its module's limits, as configured (`RATE_LIMIT_<NAME>`). The module
 * must provide `rateLimitsProvider(module)`, which decides where the counters are kept.
 */
export function RateLimit(definition: RateLimitDefinition): MethodDecorator {
  const { variable, per } = definition;
  return applyDecorators(
    SetMetadata(RATE_LIMIT, definition),
    UseInterceptors(RateLimitInterceptor),
    ApiTooManyRequestsResponse({
      description: `TOO_MANY_REQUESTS: more requests per ${per} than ${variable} allows; see Retry-After and RateLimit-Reset`,
      type: ErrorBodyDto,
    }),
  );
}
