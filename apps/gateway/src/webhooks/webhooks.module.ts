import { DynamicModule, Module } from '@nestjs/common';
import { WebhooksController } from './webhooks.controller';
import type { WebhooksService } from './webhooks.service';
import { WEBHOOKS } from './webhooks.tokens';

/** The `/v1/webhooks` routes over the running webhooks (webhooks.runtime.ts). */
@Module({})
export class WebhooksModule {
  static with(service: WebhooksService | undefined): DynamicModule {
    return { module: WebhooksModule, controllers: [WebhooksController], providers: [{ provide: WEBHOOKS, useValue: service ?? {} }] };
  }
}
