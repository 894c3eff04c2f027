/**
 * The short fault suite (`npm run faults -- --short` runs the same with more writes; `npm run
 * faults` adds the long and cluster faults): under each fault, every accepted idempotent
 * write is stored once, its event delivered once, and nothing stays in the outbox.
 */
import { runScenario } from './runner';
import { SCENARIOS } from './scenarios';

const short = SCENARIOS.filter((s) => s.short);

describe('faults under idempotent write load (short suite)', () => {
  it.each(short.map((s) => [s.name, s] as const))('%s: nothing lost, doubled or stuck', async (_name, scenario) => {
    const r = await runScenario(scenario, { full: false, writes: 60, concurrency: 4, log: () => undefined });
    if (r.error) throw new Error(r.error);
    expect({ failed: r.failed, lost: r.lost, duplicatedRows: r.duplicatedRows, eventsMissing: r.eventsMissing, eventsDuplicated: r.eventsDuplicated, stuckInOutbox: r.stuckInOutbox }).toEqual({
      failed: 0,
      lost: 0,
      duplicatedRows: 0,
      eventsMissing: 0,
      eventsDuplicated: 0,
      stuckInOutbox: 0,
    });
    expect(r.storedRows).toBe(r.writes);
  }, 240_000);
});
