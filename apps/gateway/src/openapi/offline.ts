import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { GatewayModule } from '../app.module';
import { loadGatewayConfig } from '../config';
import { BuiltDocument, buildOpenApiDocument } from './document';
import { API_VERSION, serversOf } from './index';

/**
 * The document without a running platform (no database, no NATS): the gateway's
 * controllers in an application that is never initialised or listened on. For the
 * committed copy the typed client is generated from, and for the document's tests.
 */
export async function buildOfflineDocument(publicUrl?: string): Promise<BuiltDocument> {
  const unused = new Proxy({}, { get: () => undefined });
  // Defaults everywhere: nothing here connects or signs anything.
  const config = loadGatewayConfig({
    DATABASE_URL: 'postgres://unused.invalid/unused',
    NATS_URL: 'nats://unused.invalid:4222',
    STEWARD_JWT_SECRET: 'unused-'.repeat(8),
    STEWARD_CONTEXT_KEY: 'unused-'.repeat(8),
    STEWARD_CURSOR_KEY: 'unused-'.repeat(8),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.with({ config, rpc: unused as never, readiness: {}, counters: unused as never, identity: unused as never, apiKeys: unused as never }),
    new FastifyAdapter(),
    { logger: false, abortOnError: false },
  );
  try {
    return buildOpenApiDocument(app, { servers: serversOf(publicUrl), version: API_VERSION });
  } finally {
    await app.close();
  }
}
