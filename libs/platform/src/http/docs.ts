import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { CSRF_HEADER, REFRESH_COOKIE, REFRESH_COOKIE_SCHEME } from '../auth/refresh-cookie';
import { ProcessContext } from '../topology/process-context';
import { refineDocument } from './document-refiner';

/** Every tag of the API, in the order Swagger UI shows them. */
export const API_TAGS: ReadonlyArray<readonly [name: string, description: string]> = [
  ['auth', 'Sign up, log in, refresh and log out; the tokens every other route takes'],
  ['users', 'Accounts: your own profile, and account administration for employees'],
  ['products', 'The catalogue: browse it (anyone) and edit it (employees)'],
  ['search', 'Full-text product search with filters, sorts and category facets'],
  ['orders', 'Place, list and cancel your orders; totals and tax come from the store'],
  ['logs', 'The audit log of every change: employees see all, customers their own'],
  ['health', 'Liveness and readiness of this process'],
];

/** The OpenAPI document of the routes this process serves, refined (see document-refiner). */
export function buildDocument(app: INestApplication, context: ProcessContext): OpenAPIObject {
  const scope = context.isSingleProcess
    ? 'all modules'
    : `${context.label} module${context.hosted.size > 1 ? 's' : ''}`;
  const builder = new DocumentBuilder()
    .setTitle('Micro Foods Market')
    .setDescription(
      `The grocery store back end (${scope}). Errors share one shape: ` +
        '`{ statusCode, error, code, message, details? }`, and each response lists the codes it can carry. ' +
        'Routes with a lock need `Authorization: Bearer <accessToken>` from `POST /api/auth/login` ' +
        '(use **Authorize**; the token is read from that header only, never from a query string or body). ' +
        'Each operation says who may call it. Money is in integer cents.',
    )
    .setVersion('0.1.0')
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/', 'This store')
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
    );
  for (const [name, description] of API_TAGS) builder.addTag(name, description);
  return refineDocument(SwaggerModule.createDocument(app, builder.build()));
}

/** Swagger UI at /docs and the OpenAPI document at /docs/json and /docs/yaml. */
export function setupDocs(app: INestApplication, context: ProcessContext): void {
  SwaggerModule.setup('docs', app, buildDocument(app, context), {
    jsonDocumentUrl: 'docs/json',
    yamlDocumentUrl: 'docs/yaml',
    customSiteTitle: 'Micro Foods Market API',
    swaggerOptions: {
      persistAuthorization: true,
      filter: true,
      displayOperationId: true,
      displayRequestDuration: true,
    },
  });
}
