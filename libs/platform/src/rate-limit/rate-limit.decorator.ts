import { applyDecorators, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { RATE_LIMITS, RateLimitName } from '../config/rate-limit-rules';
import { ErrorBodyDto } from '../http/error-body.dto';
import { RATE_LIMIT, RateLimitInterceptor } from './rate-limit.interceptor';

/**
 * Limits a route with the named limit of the configuration (`RATE_LIMIT_<NAME>`). The module
 * must provide `rateLimitsProvider(module)`, which decides where the counters are kept.
 */
export function RateLimit(name: RateLimitName): MethodDecorator {
  const { variable, per } = RATE_LIMITS[name];
  return applyDecorators(
    SetMetadata(RATE_LIMIT, name),
    UseInterceptors(RateLimitInterceptor),
    ApiTooManyRequestsResponse({
      description: `TOO_MANY_REQUESTS: more requests per ${per} than ${variable} allows; see Retry-After and RateLimit-Reset`,
      type: ErrorBodyDto,
    }),
  );
}
