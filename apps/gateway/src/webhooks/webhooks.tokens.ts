/** The webhooks use cases (webhooks.service.ts), provided by WebhooksModule. */
export const WEBHOOKS = Symbol('WebhooksService');
