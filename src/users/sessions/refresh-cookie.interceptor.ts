import {
  CallHandler,
  ExecutionContext,
  HttpException,
  Inject,
  Injectable,
  NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { catchError, map, Observable, throwError } from 'rxjs';
import type { VerifiedUser } from '@mfm/contracts/users.contract';
import {
  assertCookieRequestAllowed,
  clearRefreshCookie,
  readRefreshCookie,
  setRefreshCookie,
} from '@mfm/platform/http/refresh-cookie';
import { APP_CONFIG, AppConfig } from '@mfm/platform/config/app-config';

export type CookieRequest = FastifyRequest & { body?: unknown; user?: VerifiedUser };

/** Whether a request takes the cookie flow: its refresh token travels in the cookie. */
export type CookieFlow = (request: CookieRequest) => boolean;

export const REFRESH_COOKIE_FLOW = 'mfm:refresh-cookie-flow';

/** A field of the body as sent (the interceptor runs before validation). */
export const bodyField = (request: CookieRequest, field: string): unknown =>
  request.body && typeof request.body === 'object'
    ? (request.body as Record<string, unknown>)[field]
    : undefined;

/**
 * A refresh token refused with 401 never works again, so the browser may as well forget the
 * cookie; after any other failure (storage or a peer down) it is kept for a retry.
 */
const isUnauthorized = (error: unknown): boolean =>
  error instanceof HttpException && error.getStatus() === 401;

/**
 * The browser's side of the tokens, for the routes that hand them over. A request in the cookie
 * flow must pass the CSRF defence before the route does anything; its answer's refresh token
 * goes into the httpOnly cookie instead of the body, and a refusal with 401 clears the cookie.
 * A route that answers nothing (logout) clears the cookie the request carried.
 */
@Injectable()
export class RefreshCookieHandOver implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const flow = this.reflector.get<CookieFlow | undefined>(
      REFRESH_COOKIE_FLOW,
      context.getHandler(),
    );
    const http = context.switchToHttp();
    const request = http.getRequest<CookieRequest>();
    const reply = http.getResponse<FastifyReply>();
    const inCookie = flow?.(request) ?? false;
    if (inCookie) assertCookieRequestAllowed(request, this.config);
    return next.handle().pipe(
      map((answer: unknown) => this.handOver(answer, inCookie, request, reply)),
      catchError((error: unknown) => {
        if (inCookie && isUnauthorized(error)) clearRefreshCookie(reply, this.config);
        return throwError(() => error);
      }),
    );
  }

  private handOver(
    answer: unknown,
    inCookie: boolean,
    request: CookieRequest,
    reply: FastifyReply,
  ): unknown {
    if (answer === undefined) {
      if (readRefreshCookie(request) !== undefined) clearRefreshCookie(reply, this.config);
      return answer;
    }
    if (!inCookie || typeof answer !== 'object' || answer === null || !('refreshToken' in answer))
      return answer;
    const { refreshToken, ...rest } = answer as { refreshToken?: string };
    if (refreshToken !== undefined) setRefreshCookie(reply, refreshToken, this.config);
    return rest;
  }
}
