import { JetStreamManager, nanos, RetentionPolicy, StorageType, StreamConfig } from 'nats';

/** `STEWARD_<PREFIX>_<SERVICE>`: stream names may not contain dots or wildcards. */
export function streamName(prefix: string, service: string): string {
  return `STEWARD_${(prefix + service).replace(/[^A-Za-z0-9]+/g, '_').replace(/_+$/, '')}`.toUpperCase();
}

/** The subjects a service's stream captures: every event it emits. */
export function streamSubjects(prefix: string, service: string): string[] {
  return [`${prefix}${service}.events.>`];
}

/** How long JetStream remembers a message id to drop a re-published outbox row. */
export const DUPLICATE_WINDOW_MS = 10 * 60 * 1000;

export interface StreamOptions {
  /** Copies of the stream on a NATS cluster (1 on a single server, 3 on a cluster). */
  replicas?: number;
  maxAgeDays?: number;
}

/**
 * Creates the service's event stream, or updates it to this configuration (replicas
 * included, so raising `STEWARD_STREAM_REPLICAS` applies to existing streams too). Safe to
 * run on every boot and from every replica, producer or consumer.
 */
export async function ensureStream(jsm: JetStreamManager, prefix: string, service: string, options: StreamOptions = {}): Promise<string> {
  const name = streamName(prefix, service);
  const config: Partial<StreamConfig> = {
    name,
    subjects: streamSubjects(prefix, service),
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    duplicate_window: nanos(DUPLICATE_WINDOW_MS),
    max_age: nanos((options.maxAgeDays ?? 7) * 24 * 3600 * 1000),
    num_replicas: options.replicas ?? 1,
  };
  try {
    await jsm.streams.info(name);
    await jsm.streams.update(name, config);
  } catch (err) {
    if (!isNotFound(err)) throw err;
    try {
      await jsm.streams.add(config);
    } catch (addErr) {
      // Another replica created it between our info and add.
      if (!String(addErr).includes('already in use')) throw addErr;
    }
  }
  return name;
}

function isNotFound(err: unknown): boolean {
  return String((err as Error)?.message ?? err).includes('not found');
}
