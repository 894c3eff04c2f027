import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { logger } from '@steward/telemetry';
import { BuiltDocument, buildOpenApiDocument } from './document';

export { buildOpenApiDocument, TAGS, operationIdOf } from './document';
export type { BuiltDocument } from './document';
export { Returns } from './returns';

/** The API's version (the `v1` of its paths is its major). */
export const API_VERSION = '1.0.0';

/** Where the document says the API is: the configured public URL, or where `npm start` serves it. */
export function serversOf(publicUrl: string | undefined): Array<{ url: string; description: string }> {
  return [{ url: publicUrl ?? 'http://localhost:3000', description: publicUrl ? 'This deployment' : 'A local platform (npm start)' }];
}

/** Builds the document and serves it: `/openapi.json`, Swagger UI at `/docs`. */
export function setupOpenApi(app: NestFastifyApplication, publicUrl?: string): BuiltDocument {
  const built = buildOpenApiDocument(app, { servers: serversOf(publicUrl), version: API_VERSION });
  if (built.problems.length) logger().warn({ problems: built.problems }, 'the OpenAPI document is incomplete');
  SwaggerModule.setup('docs', app, built.document, { jsonDocumentUrl: 'openapi.json', raw: ['json'] });
  return built;
}
