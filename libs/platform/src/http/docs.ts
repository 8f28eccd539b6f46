import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { CSRF_HEADER, REFRESH_COOKIE, REFRESH_COOKIE_SCHEME } from '../auth/refresh-cookie';
import { ProcessContext } from '../topology/process-context';

/** Swagger UI at /docs and the OpenAPI document at /docs/json, for the routes of this process. */
export function setupDocs(app: INestApplication, context: ProcessContext): void {
  const scope = context.isSingleProcess
    ? 'all modules'
    : `${context.label} module${context.hosted.size > 1 ? 's' : ''}`;
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Micro Foods Market')
      .setDescription(
        `The grocery store back end (${scope}). Errors share one shape: ` +
          '`{ statusCode, error, code, message, details? }`. Routes marked with a lock need ' +
          '`Authorization: Bearer <accessToken>` from `POST /api/auth/login` (the token is read from ' +
          'that header only, never from a query string or body); `x-access` names who may call each route.',
      )
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .addCookieAuth(
        REFRESH_COOKIE,
        {
          type: 'apiKey',
          description:
            'The refresh token in an httpOnly cookie, for browsers (`refreshTokenIn: "cookie"` at login). ' +
            `Requests that use it must send \`${CSRF_HEADER}: 1\`.`,
        },
        REFRESH_COOKIE_SCHEME,
      )
      .build(),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/json',
    yamlDocumentUrl: 'docs/yaml',
  });
}
