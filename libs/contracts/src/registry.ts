import type { z } from 'zod';
import { accountsContract } from './accounts/contract';
import { supportContract } from './support/contract';
import { catalogContract } from './catalog/contract';
import { feedbackContract } from './feedback/contract';
import type { EventDef, RpcDef, ServiceContract } from './define';
import { CommonErrorCode, GatewayErrorCode } from './error-codes';

/**
 * Every service contract. The one list the service generator appends to: subjects, type
 * maps, schema maps and error codes below are all derived from it.
 */
export const CONTRACTS = [
  accountsContract,
  supportContract,
  catalogContract,
  feedbackContract,
  // generate:service adds new service contracts above this line
] as const;

type Contract = (typeof CONTRACTS)[number];
type AnyRpc = Contract extends infer C ? (C extends ServiceContract ? C['rpc'][keyof C['rpc']] : never) : never;
type AnyEvent = Contract extends infer C ? (C extends ServiceContract ? C['events'][keyof C['events']] : never) : never;

/** Subject → request and response payloads. A typed client infers both sides from the subject. */
export type RequestMap = { [D in AnyRpc as D['subject']]: { request: z.output<D['request']>; response: z.output<D['response']> } };
/** Subject → event payload. */
export type EventMap = { [D in AnyEvent as D['subject']]: z.output<D['payload']> };

export type RequestSubject = keyof RequestMap;
export type EventSubject = keyof EventMap;
export type RequestOf<S extends RequestSubject> = RequestMap[S]['request'];
export type ResponseOf<S extends RequestSubject> = RequestMap[S]['response'];
export type EventOf<S extends EventSubject> = EventMap[S];

const mapValues = <T, U>(o: Record<string, T>, f: (v: T) => U): Record<string, U> => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v)]));

/**
 * Commands and queries by service and name: `Subjects.accounts.userCreate` is
 * `'accounts.user.create.v1'`, typed as that literal.
 */
export const Subjects = Object.fromEntries(CONTRACTS.map((c) => [c.service, mapValues<RpcDef, string>(c.rpc, (d) => d.subject)])) as {
  [C in Contract as C['service']]: { [K in keyof C['rpc']]: C['rpc'][K] extends RpcDef<infer S> ? S : never };
};

/** Events by service and name: `Events.accounts.accountCreated`. */
export const Events = Object.fromEntries(CONTRACTS.map((c) => [c.service, mapValues<EventDef, string>(c.events, (d) => d.subject)])) as {
  [C in Contract as C['service']]: { [K in keyof C['events']]: C['events'][K] extends EventDef<infer S> ? S : never };
};

const rpcDefs = new Map<string, RpcDef>(CONTRACTS.flatMap((c) => Object.values(c.rpc as Record<string, RpcDef>).map((d) => [d.subject, d] as const)));
const eventDefs = new Map<string, EventDef>(CONTRACTS.flatMap((c) => Object.values(c.events as Record<string, EventDef>).map((d) => [d.subject, d] as const)));

/** Every declared request/reply subject and its schemas (docs, clients, conformance tests). */
export function rpcDefinitions(): ReadonlyMap<string, RpcDef> {
  return rpcDefs;
}
/** Every declared event and its payload schema. */
export function eventDefinitions(): ReadonlyMap<string, EventDef> {
  return eventDefs;
}

/**
 * The schema each service validates an incoming request with. Typed so that a schema
 * whose output drifts from the request type does not compile.
 */
export const RequestSchemas = Object.fromEntries([...rpcDefs].map(([s, d]) => [s, d.request])) as { [S in RequestSubject]: z.ZodType<RequestOf<S>, unknown> };
/** The exact shape of each reply (checked by the RPC server when response checking is on). */
export const ResponseSchemas = Object.fromEntries([...rpcDefs].map(([s, d]) => [s, d.response])) as { [S in RequestSubject]: z.ZodType<ResponseOf<S>, unknown> };
/** The payload schema of each event. */
export const EventSchemas = Object.fromEntries([...eventDefs].map(([s, d]) => [s, d.payload])) as { [S in EventSubject]: z.ZodType<EventOf<S>, unknown> };

/** The services that own a JetStream stream of events (`<service>.events.>`). */
export const EVENT_SOURCES: readonly string[] = CONTRACTS.filter((c) => Object.keys(c.events).length > 0).map((c) => c.service);

/** The service that owns a subject: its first segment. */
export function serviceOf(subject: string): string {
  return subject.slice(0, subject.indexOf('.'));
}

type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type ServiceErrorCodes = UnionToIntersection<Contract['errors']>;

function mergeCodes(): Record<string, string> {
  const out: Record<string, string> = { ...CommonErrorCode, ...GatewayErrorCode };
  const owner = new Map<string, string>(Object.values(out).map((v) => [v, 'common']));
  for (const c of CONTRACTS) {
    for (const [key, value] of Object.entries(c.errors as Record<string, string>)) {
      const taken = owner.get(value);
      if (taken || key in out) throw new Error(`error code ${key} = ${value} of ${c.service} is already declared by ${taken ?? 'another service'}`);
      owner.set(value, c.service);
      out[key] = value;
    }
  }
  return out;
}

/**
 * Every error code that can cross a service boundary: the common ones, the gateway's and
 * each service's own (declared in its contract). The gateway maps each to an HTTP status
 * in one exhaustive switch, so a new code does not compile until it has a mapping.
 *
 * WARNING: wire names.
 */
export const ErrorCode = Object.freeze(mergeCodes()) as typeof CommonErrorCode & typeof GatewayErrorCode & ServiceErrorCodes;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
