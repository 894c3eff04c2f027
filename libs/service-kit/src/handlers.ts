import { applyDecorators, Injectable } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { EventSubject, RequestSubject } from '@steward/contracts';
import type { EventHandlerFn, RpcHandlerFn } from '@steward/messaging';
import type { JobDef, JobHandler } from './jobs/job';

/** Options of a durable event consumer. */
export interface ConsumeOptions {
  /** Deliveries before an event is given up (terminated and counted). Default 10. */
  maxDeliver?: number;
  /** How long a delivery may stay unacknowledged before JetStream redelivers it. Default 30 s. */
  ackWaitMs?: number;
}

/**
 * What a feature's NATS adapters register with: request/reply subjects the service serves
 * and events it consumes. The subject types both sides of every handler.
 */
export interface HandlerRegistry {
  /** Serves a command or query in the service's queue group; the request is validated first. */
  handle<S extends RequestSubject>(subject: S, handler: RpcHandlerFn<S>): void;
  /**
   * Consumes an event exactly once per `name` (a durable consumer named
   * `<service>.<name>`): the handler's writes and the inbox row commit together.
   */
  consume<S extends EventSubject>(subject: S, name: string, handler: EventHandlerFn<S>, options?: ConsumeOptions): void;
  /**
   * Runs durable jobs of one kind (docs/adr/0014-durable-jobs.md): the kit's runner claims
   * them, on whichever replica, and calls `handler.run`; features enqueue them with the
   * `JOBS` token inside their own transactions.
   */
  job<P, In>(def: JobDef<P, In>, handler: JobHandler<P>): void;
}

/** A class of NATS adapters for one feature: `register` wires each subject to a one-line call into the feature's service. */
export interface NatsAdapters {
  register(registry: HandlerRegistry): void;
}

const Discoverable = DiscoveryService.createDecorator<true>();

/**
 * Marks a provider as the NATS adapters of a feature. The service kit finds every such
 * provider in the service's modules and calls its `register`: no list of handler classes
 * is kept anywhere.
 */
export const NatsHandlers = (): ClassDecorator => applyDecorators(Injectable(), Discoverable(true));

/** The metadata key the kit discovers adapters by. */
export const NATS_HANDLERS_KEY = Discoverable.KEY;
