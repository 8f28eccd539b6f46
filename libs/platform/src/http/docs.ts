import { INestApplication, Type } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { CSRF_HEADER, REFRESH_COOKIE, REFRESH_COOKIE_SCHEME } from './refresh-cookie';
import { ModuleName } from '../topology/module-names';
import { ProcessContext } from '../topology/process-context';
import { refineDocument } from './document-refiner';
import { ModuleDocs } from './module-docs';

/** Every tag of the API, in the order Swagger UI shows them. */
export const API_TAGS: ReadonlyArray<readonly [name: string, description: string]> = [
  ['auth', 'Sign up, log in, refresh and log out; the tokens every other route takes'],
  ['users', 'Accounts: your own profile, and account administration for employees'],
  ['products', 'The catalogue: browse it (anyone) and edit it (employees)'],
  ['search', 'Full-text product search with filters, sorts and category facets'],
  ['orders', 'Place, list and cancel your orders; totals and tax come from the store'],
  ['reviews', 'Ratings and reviews by customers who bought the product; employees moderate them'],
  ['feedback', 'The contact form: anyone writes to the store, employees read the messages'],
  [
    'account security',
    'Your sign-in: two-factor codes, backup codes, passkeys and your email address',
  ],
  ['logs', 'The audit log of every change: employees see all, customers their own'],
  ['backups', "The store's backups: start one, list them, download one (employees)"],
  ['health', 'Liveness and readiness of this process'],
];

const STORE_DESCRIPTION =
  'The grocery store back end. Errors share one shape: ' +
  '`{ statusCode, error, code, message, details? }`, and each response lists the codes it can carry. ' +
  'Routes with a lock need `Authorization: Bearer <accessToken>` from `POST /api/auth/login` ' +
  '(use **Authorize**; the token is read from that header only, never from a query string or body). ' +
  'Each operation says who may call it. Money is in integer cents.';

/**
 * An OpenAPI document of this process's routes, refined (see document-refiner): all of them, or
 * only those of the given Nest modules.
 */
export function buildDocument(
  app: INestApplication,
  { include, description = STORE_DESCRIPTION }: { include?: Type[]; description?: string } = {},
): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Micro Foods Market')
    .setDescription(description)
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
  for (const [name, tagDescription] of API_TAGS) builder.addTag(name, tagDescription);
  return refineDocument(
    SwaggerModule.createDocument(app, builder.build(), include ? { include } : undefined),
  );
}

const uiOptions = (path: string) => ({
  jsonDocumentUrl: `${path}/json`,
  yamlDocumentUrl: `${path}/yaml`,
  customSiteTitle: 'Micro Foods Market API',
  swaggerOptions: {
    persistAuthorization: true,
    filter: true,
    displayOperationId: true,
    displayRequestDuration: true,
  },
});

/**
 * Swagger UI and the OpenAPI document of the whole store at /docs (/docs/json, /docs/yaml), in
 * every topology: a process that does not host all five modules adds the parts of the others,
 * asked over the bus. Each hosted module's own part is at /docs/<module> (/docs/<module>/json).
 */
export function setupDocs(
  app: INestApplication,
  context: ProcessContext,
  moduleTypes: Record<ModuleName, Type>,
): void {
  const docs = app.get(ModuleDocs);
  // Documents are built on first request (Swagger keeps what a factory returns): building them
  // walks every route and schema, which is most of a second a process need not spend at start.
  for (const module of context.hosted) {
    docs.set(module, () =>
      buildDocument(app, {
        include: [moduleTypes[module]],
        description: `The ${module} module's part of the store's API (the whole API is at /docs).`,
      }),
    );
    SwaggerModule.setup(
      `docs/${module}`,
      app,
      () => docs.get(module) as OpenAPIObject,
      uiOptions(`docs/${module}`),
    );
  }
  SwaggerModule.setup('docs', app, () => buildDocument(app), {
    ...uiOptions('docs'),
    patchDocumentOnRequest: (_request: unknown, _reply: unknown, document: OpenAPIObject) =>
      docs.storeDocument(document),
  });
}
