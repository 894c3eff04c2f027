import { CONTRACTS, EVENT_SOURCES } from './registry';

/**
 * Who may do what on NATS. Each client (every service, and the gateway) gets its own NATS
 * credentials whose permissions are generated from this (libs/messaging
 * nats-permissions.ts): a service serves its own request subjects and publishes its own
 * events; it may call (request) and consume (read the event stream of) only the services
 * listed here. Everything else is refused by the NATS server.
 *
 * WARNING: widening an entry widens what a stolen credential can do. Add a service here
 * only when it starts calling or consuming another one.
 */
export interface NatsAccess {
  /** Serves its own `<name>.*` request subjects and publishes `<name>.events.>` (false for the gateway). */
  serves: boolean;
  /** Services whose request subjects it may send requests to. */
  calls: readonly string[];
  /** Services whose event stream it may read (durable or ordered consumers). */
  consumes: readonly string[];
}

/** Services that call or consume other services; a service not listed only serves itself. */
const DEPENDENCIES: Readonly<Record<string, { calls?: readonly string[]; consumes?: readonly string[] }>> = {
  // Read models of accounts, projects and users; entitlements from the catalog.
  support: { consumes: ['accounts', 'catalog'] },
  // Contacts and accounts for invitations; CSAT after resolved tickets; the closed loop opens a support case.
  feedback: { calls: ['support'], consumes: ['accounts', 'support'] },
  // Accounts for subscriptions; KPI readings for outcome contracts (e.g. the complaint rate) from support.
  catalog: { consumes: ['accounts', 'support'] },
};

/**
 * The gateway: calls every service; reads accounts' user and API-key events (its identity
 * read model) and every service's events (webhooks: a durable consumer per event stream).
 */
export const GATEWAY_NATS_ACCESS: NatsAccess = {
  serves: false,
  calls: CONTRACTS.map((c) => c.service),
  consumes: [...new Set(['accounts', ...EVENT_SOURCES])],
};

/** Every NATS client of the platform with what it may do: each service of {@link CONTRACTS}, and `gateway`. */
export function natsAccess(): Record<string, NatsAccess> {
  const out: Record<string, NatsAccess> = {};
  for (const c of CONTRACTS) out[c.service] = { serves: true, calls: DEPENDENCIES[c.service]?.calls ?? [], consumes: DEPENDENCIES[c.service]?.consumes ?? [] };
  out.gateway = GATEWAY_NATS_ACCESS;
  return out;
}
