import {
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  Optional,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable } from 'rxjs';
import type { VerifiedUser } from '../auth/verified-user';
import type { RateLimitDefinition } from '../config/rate-limit-rules';
import { PlatformErrors } from '../errors/error-codes';
import { addressKey } from '../http/client-address';
import { RateLimits } from './rate-limits';
import { Metrics } from '../metrics/metrics';

export const RATE_LIMIT = 'mfm:rate-limit';

/**
 * Counts each request of a `@RateLimit(definition)` route before it runs. Interceptors run after the
 * guards, so a per-account limit already knows the signed-in caller. Every answer carries the
 * RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset headers; a request over the limit is
 * refused with 429 TOO_MANY_REQUESTS and Retry-After, before the route does any work.
 */
@Injectable()
export class RateLimitInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimits,
    @Optional() private readonly metrics?: Metrics,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const limit = this.reflector.get<RateLimitDefinition | undefined>(
      RATE_LIMIT,
      context.getHandler(),
    );
    if (!limit) return next.handle();
    const { name, per } = limit;
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest & { user?: VerifiedUser }>();
    const reply = http.getResponse<FastifyReply>();
    const account = per === 'account' ? request.user?.userId : undefined;
    const key = account ? `account:${account}` : addressKey(request.ip);
    const state = await this.limits.take(limit, key);
    void reply.header('RateLimit-Limit', String(state.limit));
    void reply.header('RateLimit-Remaining', String(state.remaining));
    void reply.header('RateLimit-Reset', String(state.resetSeconds));
    if (!state.allowed) {
      this.metrics?.rateLimited.inc({ limit: name });
      throw PlatformErrors.TOO_MANY_REQUESTS.error(
        { per, seconds: state.resetSeconds },
        { retryAfterSeconds: state.resetSeconds, limit: name },
      );
    }
    return next.handle();
  }
}
