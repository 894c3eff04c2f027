import { createLimiter, dateWindow, firstDayOfLastMonth, goingLive, isoDate, keyGaps, mapLimit, shapeMovement } from './overview';

describe('mapLimit', () => {
  it('keeps the order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const result = await mapLimit([5, 1, 4, 2, 3, 0, 2], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, n));
      running--;
      return n * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30, 0, 20]);
    expect(peak).toBeLessThanOrEqual(3);
  });

  it('handles nothing, and rejects on a failure', async () => {
    await expect(mapLimit([], 6, async () => 1)).resolves.toEqual([]);
    await expect(mapLimit([1, 2, 3], 2, async (n) => (n === 2 ? Promise.reject(new Error('boom')) : n))).rejects.toThrow('boom');
  });
});

describe('createLimiter', () => {
  it('shares one limit between callers', async () => {
    const gate = createLimiter(2);
    let running = 0;
    let peak = 0;
    const task = (v: number) => async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 3));
      running--;
      return v;
    };
    const [a, b] = await Promise.all([mapLimit([1, 2, 3], gate, (n) => task(n)()), mapLimit([4, 5], gate, (n) => task(n)())]);
    expect([a, b]).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(peak).toBe(2);
  });

  it('keeps going after a failed task', async () => {
    const gate = createLimiter(1);
    await expect(gate(() => Promise.reject(new Error('x')))).rejects.toThrow('x');
    await expect(gate(async () => 7)).resolves.toBe(7);
  });
});

describe('date windows', () => {
  it('gives the first moment of last month (local time), also across a year', () => {
    expect(new Date(firstDayOfLastMonth(new Date(2026, 2, 15, 10))).getTime()).toBe(new Date(2026, 1, 1).getTime());
    expect(new Date(firstDayOfLastMonth(new Date(2026, 0, 3))).getTime()).toBe(new Date(2025, 11, 1).getTime());
  });

  it('gives today to 90 days ahead as dates', () => {
    expect(isoDate(new Date(2026, 0, 5))).toBe('2026-01-05');
    expect(dateWindow(new Date(2026, 11, 2, 23, 59), 90)).toEqual({ from: '2026-12-02', to: '2027-03-02' });
  });
});

describe('the tier movement', () => {
  it('puts upgrades first, drops empty and non-moves, and keeps the latest accounts newest first', () => {
    const view = shapeMovement(
      {
        moves: [
          { fromTier: 1, toTier: 2, accounts: 5 },
          { fromTier: 3, toTier: 2, accounts: 2 },
          { fromTier: 3, toTier: 1, accounts: 1 },
          { fromTier: 2, toTier: 3, accounts: 0 },
        ],
        upgraded: 3,
        downgraded: 5,
        recordedSince: '2026-01-01T00:00:00Z',
        accounts: [
          { accountId: 'a', name: 'A', fromTier: 3, toTier: 2, changedAt: '2026-11-02T00:00:00Z', reason: 'tier2-revenue' },
          { accountId: 'b', name: 'B', fromTier: 1, toTier: 2, changedAt: '2026-11-20T00:00:00Z', reason: 'rest' },
        ],
      },
      8,
    );
    expect(view.moves.map((m) => [m.fromTier, m.toTier, m.direction])).toEqual([
      [3, 2, 'up'],
      [3, 1, 'up'],
      [1, 2, 'down'],
    ]);
    expect(view.latest.map((a) => [a.accountId, a.direction])).toEqual([
      ['b', 'down'],
      ['a', 'up'],
    ]);
    expect(view.empty).toBe(false);
  });

  it('is empty when nothing moved', () => {
    expect(shapeMovement({ moves: [], upgraded: 0, downgraded: 0, accounts: [], recordedSince: null }).empty).toBe(true);
  });
});

describe('key gaps', () => {
  it('lists the accounts missing a decision maker or a champion, with what is missing', () => {
    const rows = keyGaps([
      { account: { id: 'a', name: 'A', tier: 1 }, gaps: [{ code: 'no-champion' }, { code: 'single-threaded' }, { code: 'no-decision-maker' }] },
      { account: { id: 'b', name: 'B', tier: 2 }, gaps: [{ code: 'hidden-influencer' }] },
      { account: { id: 'c', name: 'C', tier: 2 }, gaps: [{ code: 'no-champion' }] },
    ]);
    expect(rows).toEqual([
      { accountId: 'a', name: 'A', tier: 1, missing: ['no-decision-maker', 'no-champion'] },
      { accountId: 'c', name: 'C', tier: 2, missing: ['no-champion'] },
    ]);
  });
});

describe('going live', () => {
  it('keeps projects not retired with a go-live date in the window, soonest first', () => {
    const p = (id: string, goLiveDate: string | null, status = 'delivering') => ({ id, name: id, goLiveDate, status, kind: 'project' });
    const rows = goingLive(
      [
        { account: { id: 'a', name: 'A' }, projects: [p('late', '2027-04-01'), p('soon', '2026-12-10'), p('none', null), p('past', '2026-11-30')] },
        { account: { id: 'b', name: 'B' }, projects: [p('first', '2026-12-02'), p('gone', '2026-12-05', 'retired'), p('edge', '2027-03-02', 'live')] },
      ],
      { from: '2026-12-02', to: '2027-03-02' },
    );
    expect(rows.map((r) => [r.projectId, r.accountId])).toEqual([
      ['first', 'b'],
      ['soon', 'a'],
      ['edge', 'b'],
    ]);
  });
});
