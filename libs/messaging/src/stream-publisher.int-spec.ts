import { randomUUID } from 'node:crypto';
import { headers as natsHeaders } from 'nats';
import { Events } from '@steward/contracts';
// Integration specs of platform libraries use the shared test environment (test code only).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { sleep, testEnv, testPrefix } from '@steward/testing';
import { JetStreamPublisher, StreamMessage, StreamPublishError } from './stream-publisher';
import { openProbeNats, ProbeNats } from './__fixtures__/probe';

// The relay's publisher against a real JetStream: acks in order, duplicates by message id, and
// every way a publish can fail (no stream, refused by the stream, no answer) as an error.
const subject = Events.accounts.partnerCreated;
let n: ProbeNats;

beforeAll(async () => {
  n = await openProbeNats(testEnv.natsUrl, testPrefix('pub'));
});
afterAll(async () => {
  await n?.close();
});

const message = (to: string, id: string = randomUUID(), body = `{"n":"${id}"}`): StreamMessage => ({ subject: to, data: new TextEncoder().encode(body), headers: natsHeaders(), msgId: id });

describe('JetStreamPublisher', () => {
  it('publishes a batch in order and resolves with each ack; the same message ids again are acked as duplicates and stored once', async () => {
    const p = new JetStreamPublisher(n.nc);
    const before = await n.streamCount();
    const batch = Array.from({ length: 50 }, () => message(n.prefix + subject));
    const acks = await p.publishAll(batch);
    expect(acks).toHaveLength(50);
    expect(acks.every((a) => a.stream === n.stream && !a.duplicate)).toBe(true);
    for (let i = 1; i < acks.length; i++) expect(acks[i]!.seq).toBe(acks[i - 1]!.seq + 1);
    const stored = await n.jsm.streams.getMessage(n.stream, { seq: acks[7]!.seq });
    expect(stored.header.get('Nats-Msg-Id')).toBe(batch[7]!.msgId);
    expect(new TextDecoder().decode(stored.data)).toBe(new TextDecoder().decode(batch[7]!.data));

    const again = await p.publishAll(batch.map((m) => message(m.subject, m.msgId)));
    expect(again.every((a) => a.duplicate)).toBe(true);
    expect(await n.streamCount()).toBe(before + 50);
    expect(await p.publishAll([])).toEqual([]);
    p.close();
  });

  it('rejects with code 503 when no stream captures the subject', async () => {
    const p = new JetStreamPublisher(n.nc);
    const err = await p.publishAll([message(`${testPrefix('nostream')}${subject}`)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamPublishError);
    expect(err).toMatchObject({ code: '503', message: expect.stringMatching(/no responders/) });
    p.close();
  });

  it("rejects with the stream's own error when it refuses a message, and the rest of the batch does not hang", async () => {
    const p = new JetStreamPublisher(n.nc);
    const refused = message(n.prefix + subject);
    refused.headers.set('Nats-Expected-Stream', 'some-other-stream');
    const err = await p.publishAll([message(n.prefix + subject), refused, message(n.prefix + subject)]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StreamPublishError);
    expect((err as StreamPublishError).code).toBe('400');
    expect((err as Error).message).toMatch(/expected stream/i);
    p.close();
  });

  it('rejects with TIMEOUT when nothing answers in time, and an answer after that is ignored', async () => {
    // A plain subscriber takes the subject (so NATS does not answer "no responders") and never replies.
    const silent = `${testPrefix('silent')}${subject}`;
    const sub = n.nc.subscribe(silent);
    const p = new JetStreamPublisher(n.nc, { timeoutMs: 200 });
    const started = Date.now();
    const err = await p.publishAll([message(silent), message(silent)]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TIMEOUT', message: expect.stringMatching(/2 of 2 messages within 200 ms/) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    // The late answer to the first message arrives now: nothing is waiting for it any more.
    for await (const m of sub) {
      m.respond(new TextEncoder().encode(JSON.stringify({ stream: 'late', seq: 1 })));
      break;
    }
    await sleep(50);
    // The publisher still works for the next batch.
    await expect(p.publishAll([message(n.prefix + subject)])).resolves.toHaveLength(1);
    sub.unsubscribe();
    p.close();
  });
});
