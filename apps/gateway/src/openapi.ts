import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';

/** OpenAPI 3 generated from the controllers and zod schemas: `/openapi.json`, Swagger UI at `/docs`. */
export function setupOpenApi(app: NestFastifyApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Steward API')
    .setDescription(
      'Portal users authenticate with `Authorization: Bearer <accessToken>` from `POST /v1/auth/login`; partners with `X-Api-Key`. ' +
        'Errors are RFC 9457 `application/problem+json` with a stable `code` and per-field `errors`. ' +
        'Every state-changing POST/PATCH/DELETE accepts an `Idempotency-Key` header (kept 24 h).',
    )
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'user')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'STEWARD_OPERATOR_TOKEN' }, 'operator')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'apiKey')
    .build();
  const document = cleanupOpenApiDoc(SwaggerModule.createDocument(app, config));
  // Routes escape a literal colon as '::' for the router; the document shows the real path.
  document.paths = Object.fromEntries(Object.entries(document.paths).map(([path, item]) => [path.replace(/::/g, ':'), item]));
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json', raw: ['json'] });
}
