import type { z } from 'zod';

/**
 * A service's contract is one table: every subject it serves or emits, declared once with
 * its schemas. Subject constants, type maps and schema maps are derived from these tables
 * (registry.ts), so a subject string is written in exactly one place.
 */

/** A request/reply subject: `<service>.<noun>.<verb>.v<N>`; `name` is the part after the service. */
export interface RpcDecl<Name extends string = string, Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  kind: 'rpc';
  name: Name;
  request: Req;
  response: Res;
  /** One line for API docs and generated clients. */
  summary: string;
}

/**
 * Who may receive an event as a webhook (docs/webhooks.md):
 * - `public` (the default): tenants' endpoints, and partners' endpoints when the event is
 *   about an account the partner leads;
 * - `tenant`: tenants' own endpoints only (never partners', e.g. revenue);
 * - `internal`: never delivered outside the platform (identity plumbing: users, keys, …).
 */
export type WebhookAudience = 'public' | 'tenant' | 'internal';

/** How an event leaves the platform as a webhook. Omitted: public, account found in the payload. */
export interface EventWebhookOptions<P = unknown> {
  audience?: WebhookAudience;
  /**
   * The account the event is about, which decides which partner may receive it. Omitted:
   * the payload's `accountId`, `account.id` or `<field>.accountId` when exactly one account
   * is named (libs/contracts webhooks.ts `accountOfEvent`); `null`: about no account.
   */
  accountOf?: (payload: P) => string | null;
}

/** An event: `<service>.events.<noun>.<past-tense>.v<N>`; `name` is the part after `events.`. */
export interface EventDecl<Name extends string = string, Payload extends z.ZodType = z.ZodType> {
  kind: 'event';
  name: Name;
  payload: Payload;
  summary: string;
  webhooks: EventWebhookOptions;
}

/** Declares a command or query. The response schema is the exact shape the handler returns. */
export function rpc<N extends string, Q extends z.ZodType, R extends z.ZodType>(name: N, request: Q, response: R, summary: string): RpcDecl<N, Q, R> {
  return { kind: 'rpc', name, request, response, summary };
}

/**
 * Declares an event (a fact in the past tense, published through the outbox). Events are
 * deliverable as webhooks unless `webhooks.audience` says otherwise.
 */
export function event<N extends string, P extends z.ZodType>(name: N, payload: P, summary: string, webhooks: EventWebhookOptions<z.output<P>> = {}): EventDecl<N, P> {
  return { kind: 'event', name, payload, summary, webhooks: webhooks as EventWebhookOptions };
}

/** A declared subject, resolved to its full wire name. */
export interface RpcDef<S extends string = string, Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  subject: S;
  request: Req;
  response: Res;
  summary: string;
}
export interface EventDef<S extends string = string, Payload extends z.ZodType = z.ZodType> {
  subject: S;
  payload: Payload;
  summary: string;
  webhooks: EventWebhookOptions;
}

type ResolveRpc<Svc extends string, D> = D extends RpcDecl<infer N, infer Q, infer R> ? RpcDef<`${Svc}.${N}`, Q, R> : never;
type ResolveEvent<Svc extends string, D> = D extends EventDecl<infer N, infer P> ? EventDef<`${Svc}.events.${N}`, P> : never;

export interface ServiceContract<
  Svc extends string = string,
  R extends Record<string, RpcDef> = Record<string, RpcDef>,
  E extends Record<string, EventDef> = Record<string, EventDef>,
  C extends Record<string, string> = Record<string, string>,
> {
  service: Svc;
  rpc: R;
  events: E;
  /** Error codes this service can answer with, on top of the common ones. WARNING: wire names. */
  errors: C;
}

const SUBJECT_PART = /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*\.v[1-9][0-9]*$/;

/**
 * Builds a service contract from its declarations: prefixes every subject with the service
 * name (and `events.` for events) and checks the wire names' shape once, at load time.
 */
export function defineService<
  Svc extends string,
  R extends Record<string, RpcDecl>,
  E extends Record<string, EventDecl>,
  const C extends Record<string, string> = Record<never, string>,
>(
  service: Svc,
  def: { rpc: R; events: E; errors?: C },
): ServiceContract<Svc, { [K in keyof R]: ResolveRpc<Svc, R[K]> }, { [K in keyof E]: ResolveEvent<Svc, E[K]> }, C> {
  if (!/^[a-z][a-z0-9]*$/.test(service)) throw new Error(`invalid service name "${service}"`);
  const check = (name: string, what: string) => {
    if (!SUBJECT_PART.test(name)) throw new Error(`${service}: ${what} "${name}" must look like noun.verb.v1 (lower case, versioned)`);
  };
  const rpcs: Record<string, RpcDef> = {};
  for (const [key, d] of Object.entries(def.rpc)) {
    check(d.name, 'subject');
    rpcs[key] = { subject: `${service}.${d.name}`, request: d.request, response: d.response, summary: d.summary };
  }
  const events: Record<string, EventDef> = {};
  for (const [key, d] of Object.entries(def.events)) {
    check(d.name, 'event');
    events[key] = { subject: `${service}.events.${d.name}`, payload: d.payload, summary: d.summary, webhooks: d.webhooks };
  }
  return { service, rpc: rpcs, events, errors: (def.errors ?? {}) as C } as never;
}
