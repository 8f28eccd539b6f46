import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
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
          '`Authorization: Bearer <accessToken>` from `POST /api/auth/login`; `x-access` names who may call each route.',
      )
      .setVersion('0.1.0')
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
      .build(),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/json',
    yamlDocumentUrl: 'docs/yaml',
  });
}
