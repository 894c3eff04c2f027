/**
 * The outbox relay's publish step on its own: 10,000 events of 1.2 KB (a settlement's size)
 * to a JetStream stream in batches of 100 (the relay's batch), each batch awaited before the
 * next, as the relay does. Platform: `JetStreamPublisher` (plain publishes with a reply
 * subject, acks matched on one inbox subscription, one timer per batch). Baseline: nats.js's
 * `js.publish` for each message, all of a batch in flight at once (what the relay did before).
 * The figure is this process's CPU per event (user + system), the median of three alternating
 * runs; wall-clock events/s in the detail. Needs only NATS with JetStream.
 */
import { randomUUID } from 'node:crypto';
import { connect, headers, type JetStreamClient } from 'nats';
import { JetStreamPublisher } from '@steward/messaging';
import { ratioOf, type BenchResult, type Figure } from './bench';
import { NATS_URL } from './stack';

const EVENTS = Number(process.env.RELAY_BENCH_EVENTS ?? 10_000);
const BATCH = 100;
const RUNS = 3;

interface Run {
  cpuUsPerEvent: number;
  eventsPerSecond: number;
}

async function measure(publishBatch: (n: number) => Promise<unknown>): Promise<Run> {
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  for (let sent = 0; sent < EVENTS; sent += BATCH) await publishBatch(Math.min(BATCH, EVENTS - sent));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  return { cpuUsPerEvent: (used.user + used.system) / EVENTS, eventsPerSecond: (EVENTS / ms) * 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

function figure(runs: Run[]): Figure {
  return {
    unit: 'µs CPU/event',
    value: round(median(runs.map((r) => r.cpuUsPerEvent))),
    detail: { 'events/s': Math.round(median(runs.map((r) => r.eventsPerSecond))), runs: runs.map((r) => round(r.cpuUsPerEvent)).join(' / ') },
  };
}

export default async function relayPublishBench(): Promise<BenchResult[]> {
  const nc = await connect({ servers: NATS_URL, name: 'bench-relay-publish', noAsyncTraces: true });
  const jsm = await nc.jetstreamManager();
  const stream = `bench_relay_${randomUUID().slice(0, 8)}`;
  await jsm.streams.add({ name: stream, subjects: [`${stream}.>`] });
  try {
    const subject = `${stream}.settlement.computed.v1`;
    const body = new TextEncoder().encode(JSON.stringify({ settlement: { inputs: 'x'.repeat(1150) } }));
    const js: JetStreamClient = nc.jetstream();
    const publisher = new JetStreamPublisher(nc);
    const viaClient = (n: number) => Promise.all(Array.from({ length: n }, () => js.publish(subject, body, { msgID: randomUUID(), headers: headers() })));
    const viaPublisher = (n: number) => publisher.publishAll(Array.from({ length: n }, () => ({ subject, data: body, headers: headers(), msgId: randomUUID() })));
    await measure(viaClient); // warm-up, both paths
    await measure(viaPublisher);
    const base: Run[] = [];
    const plat: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      base.push(await measure(viaClient));
      plat.push(await measure(viaPublisher));
    }
    publisher.close();
    const platform = figure(plat);
    const baseline = figure(base);
    return [
      {
        name: `relay: publish ${EVENTS.toLocaleString('en-US')} events of 1.2 KB to JetStream, batches of ${BATCH}`,
        platform,
        baseline,
        ratio: ratioOf(platform, baseline, false),
        notes: 'platform = JetStreamPublisher (the outbox relay); baseline = nats.js js.publish per message, a batch in flight at once; CPU of this process per event',
      },
    ];
  } finally {
    await jsm.streams.delete(stream).catch(() => false);
    await nc.close();
  }
}
