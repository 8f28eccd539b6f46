import cookie from '@fastify/cookie';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '../config/app-config';
import { installCors } from './cors';
import { installSecurityHeaders } from './security-headers';

/**
 * What the HTTP edge does for browsers: security headers, CORS for the configured origins, and
 * cookie parsing (the refresh cookie of the sign-in routes). Call before routes and Swagger UI
 * are registered, so the per-route policies see every route.
 */
export async function installBrowserEdge(
  app: NestFastifyApplication,
  config: AppConfig,
): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  installSecurityHeaders(fastify);
  await installCors(fastify, config.browser.corsOrigins);
  await fastify.register(cookie);
}
