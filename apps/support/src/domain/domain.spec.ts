import { computeSla, reachedSignals, type SlaState } from '@steward/support-domain';
import { matchingRecoveryRules, pickAssignee, type Candidate } from './assignment';
import { checkTransition } from './lifecycle';
import { contributionOf, diffFacts, type TicketFacts } from './rollup-facts';
import { feedChange, ticketClocks, ticketSignals } from './sla-feed';

const always = { kind: '24x7' } as const;

describe('the SLA metric-event feed', () => {
  const created = '2026-03-02T08:00:00Z';
  const run = (changes: Array<[string, 'new' | 'in-progress' | 'waiting-on-customer' | 'resolved']>, now: string, responses: Array<[string, 'agent' | 'customer']> = []) => {
    const result = computeSla({
      calendar: always,
      targets: { firstResponse: 60, resolution: 240, handoff: 30 },
      timeline: { statusChanges: changes.map(([at, status]) => ({ at, status })), responses: responses.map(([at, by]) => ({ at, by })) },
      now,
      handoff: { startedAt: created },
    });
    return { clocks: ticketClocks(result, 0), signals: ticketSignals(reachedSignals(result, [0.75]), 0) };
  };

  it('activates every clock at creation, pauses and resumes them with the ticket, warns once and breaches once', () => {
    let prev: Record<string, SlaState> = {};
    let marks = {};
    const step = (changes: Parameters<typeof run>[0], now: string, responses: Parameters<typeof run>[2] = []) => {
      const r = run(changes, now, responses);
      const c = feedChange(prev, marks, r.clocks, r.signals, now);
      prev = c.states;
      marks = c.marks;
      return c.entries.map((e) => `${e.kind} ${e.clock}${e.details.fraction ? ` ${String(e.details.fraction)}` : ''}`);
    };
    expect(step([[created, 'new']], created)).toEqual(['activate firstResponse', 'activate resolution', 'activate handoff@0']);
    expect(step([[created, 'new']], created)).toEqual([]);
    // 08:25: the hand-off clock (30 min) passed 75 % at 08:22:30.
    expect(step([[created, 'new']], '2026-03-02T08:25:00Z')).toEqual(['warn handoff@0 0.75']);
    const waiting: Parameters<typeof run>[0] = [
      [created, 'new'],
      ['2026-03-02T08:26:00Z', 'waiting-on-customer'],
    ];
    expect(step(waiting, '2026-03-02T08:26:00Z')).toEqual(['pause firstResponse', 'pause resolution', 'pause handoff@0']);
    const resumed: Parameters<typeof run>[0] = [...waiting, ['2026-03-02T10:00:00Z', 'in-progress']];
    expect(step(resumed, '2026-03-02T10:00:00Z')).toEqual(['resume firstResponse', 'resume resolution', 'resume handoff@0']);
    // Hand-off due 10:04 (26 min used before the pause): at 10:10 it is breached, once.
    expect(step(resumed, '2026-03-02T10:10:00Z')).toEqual(['breach handoff@0']);
    expect(step(resumed, '2026-03-02T10:11:00Z')).toEqual([]);
    // First response 75 % (45 min) at 10:19: the scheduler looks at 10:19 and warns.
    expect(step(resumed, '2026-03-02T10:19:00Z')).toEqual(['warn firstResponse 0.75']);
    // An answer at 10:20 meets it (26 + 20 = 46 of 60 min).
    expect(step(resumed, '2026-03-02T10:20:00Z', [['2026-03-02T10:20:00Z', 'agent']])).toEqual(['fulfil firstResponse']);
  });

  it('a warning nobody looked at in time is not reported once the clock is met', () => {
    const r = run([[created, 'new']], '2026-03-02T08:50:00Z', [['2026-03-02T08:50:00Z', 'agent']]);
    const entries = feedChange({ firstResponse: 'running', resolution: 'running', 'handoff@0': 'running' }, {}, r.clocks, r.signals, '2026-03-02T08:50:00Z').entries;
    expect(entries.filter((e) => e.clock === 'firstResponse').map((e) => e.kind)).toEqual(['fulfil']);
  });

  it('fulfils the hand-off clock of a step the ticket left in time', () => {
    const c = feedChange({ 'handoff@0': 'running' }, {}, [], [], '2026-03-02T08:10:00Z');
    expect(c.entries).toEqual([{ kind: 'fulfil', clock: 'handoff@0', at: '2026-03-02T08:10:00Z', details: { ended: 'step-left' } }]);
    expect(feedChange({ 'handoff@0': 'breached' }, { 'handoff@0': { b: true } }, [], [], '2026-03-02T08:10:00Z').entries).toEqual([]);
  });
});

describe('ticket lifecycle', () => {
  const o = { resolvedAt: '2026-03-01T10:00:00Z', now: '2026-03-10T10:00:00Z', reopenWindowDays: 14 };
  it.each<[string, Parameters<typeof checkTransition>[0], Parameters<typeof checkTransition>[1], string]>([
    ['new → triaged', 'new', 'triaged', 'move'],
    ['in-progress → waiting', 'in-progress', 'waiting', 'move'],
    ['waiting → in-progress', 'waiting', 'in-progress', 'move'],
    ['waiting → resolved', 'waiting', 'resolved', 'resolve'],
    ['resolved → closed', 'resolved', 'closed', 'close'],
    ['resolved → in-progress (reopen)', 'resolved', 'in-progress', 'reopen'],
    ['closed → in-progress (reopen)', 'closed', 'in-progress', 'reopen'],
    ['waiting → waiting (another waiting status)', 'waiting', 'waiting', 'move'],
  ])('allows %s', (_n, from, to, kind) => {
    expect(checkTransition(from, to, o)).toEqual({ ok: true, kind });
  });

  it.each<[string, Parameters<typeof checkTransition>[0], Parameters<typeof checkTransition>[1]]>([
    ['back to new', 'triaged', 'new'],
    ['closing an open ticket', 'in-progress', 'closed'],
    ['reopening into waiting', 'resolved', 'waiting'],
    ['closed → resolved', 'closed', 'resolved'],
  ])('refuses %s', (_n, from, to) => {
    expect(checkTransition(from, to, o)).toMatchObject({ ok: false, reason: 'not-allowed' });
  });

  it('refuses a reopen after the window: resolved 1 Mar, 14 days, asked on 16 Mar', () => {
    expect(checkTransition('closed', 'in-progress', { ...o, now: '2026-03-16T10:00:01Z' })).toMatchObject({ ok: false, reason: 'reopen-window' });
    expect(checkTransition('closed', 'in-progress', { ...o, now: '2026-03-15T10:00:00Z' })).toMatchObject({ ok: true });
  });
});

describe('assignment in a queue', () => {
  const c = (userId: string, over: Partial<Candidate> = {}): Candidate => ({ userId, skills: ['repair'], capacity: 10, active: true, open: 0, lastAssignedAt: null, ...over });
  const team = [c('a', { open: 5, lastAssignedAt: '2026-03-02T08:00:00Z' }), c('b', { open: 2, lastAssignedAt: '2026-03-02T09:00:00Z' }), c('c', { open: 9, capacity: 9 }), c('d', { skills: [], open: 0 })];

  it('least loaded picks the lowest share among members with the skills and room (c is full, d lacks the skill)', () => {
    expect(pickAssignee(team, 'least-loaded', ['repair'])?.userId).toBe('b');
  });
  it('round robin picks whoever waited longest (never assigned first)', () => {
    expect(pickAssignee(team, 'round-robin', [])?.userId).toBe('d');
    expect(pickAssignee(team, 'round-robin', ['repair'])?.userId).toBe('a');
  });
  it('manual, and nobody qualified, leave the ticket in the queue', () => {
    expect(pickAssignee(team, 'manual', [])).toBeNull();
    expect(pickAssignee(team, 'least-loaded', ['zh'])).toBeNull();
    expect(pickAssignee([c('x', { active: false })], 'round-robin', [])).toBeNull();
  });

  it('recovery rules match on trigger, level, tier, priority and clock', () => {
    const rules = [
      { id: 'l1-breach', on: 'breach', when: { levels: ['L1'], clocks: ['resolution'] } },
      { id: 'tier1-complaint', on: 'complaint', when: { tiers: [1] } },
      { id: 'any-breach', on: 'breach' },
    ];
    expect(matchingRecoveryRules(rules, { on: 'breach', level: 'L1', tier: 2, priority: 'high', clock: 'resolution' }).map((r) => r.id)).toEqual(['l1-breach', 'any-breach']);
    expect(matchingRecoveryRules(rules, { on: 'breach', level: 'L1', tier: 2, priority: 'high', clock: 'firstResponse' }).map((r) => r.id)).toEqual(['any-breach']);
    expect(matchingRecoveryRules(rules, { on: 'complaint', level: 'L3', tier: null, priority: 'low' }).map((r) => r.id)).toEqual([]);
    expect(matchingRecoveryRules(rules, { on: 'complaint', level: 'L3', tier: 1, priority: 'low' }).map((r) => r.id)).toEqual(['tier1-complaint']);
  });
});

describe('rollup facts', () => {
  const base: TicketFacts = {
    createdAt: '2026-03-02T08:00:00.000Z',
    level: 'L2',
    step: 0,
    queue: 'call-centre',
    teamId: null,
    priority: 'high',
    open: true,
    resolved: false,
    merged: false,
    firstResponse: 'running',
    resolution: 'running',
    breached: false,
    agentResponses: 0,
    escalations: 0,
    reopenCount: 0,
    complaint: false,
    steps: [{ step: 0, queue: 'call-centre', teamId: null, enteredAt: '2026-03-02T08:00:00.000Z', leftAt: null, leftBecause: null, handoff: 'running' }],
  };

  it('a new ticket counts one open ticket and one step entered', () => {
    expect(diffFacts([], contributionOf(base)).map((f) => [f.kind, f.m])).toEqual([
      ['ticket', { tickets: 1, open: 1 }],
      ['step', { steps: 1 }],
    ]);
  });

  it('an escalation after a hand-off breach moves the ticket row and closes the first step as breached and handed off', () => {
    const escalated: TicketFacts = {
      ...base,
      step: 1,
      queue: 'branch-technical/north',
      breached: true,
      escalations: 1,
      steps: [
        { ...base.steps[0], leftAt: '2026-03-02T08:40:00.000Z', leftBecause: 'sla-breach:handoff', handoff: 'breached' },
        { step: 1, queue: 'branch-technical/north', teamId: null, enteredAt: '2026-03-02T08:40:00.000Z', leftAt: null, leftBecause: null, handoff: 'running' },
      ],
    };
    const d = diffFacts(contributionOf(base), contributionOf(escalated));
    expect(d.map((f) => [f.kind, f.step, f.queue, f.m])).toEqual([
      ['ticket', 0, 'call-centre', { tickets: -1, open: -1 }],
      ['step', 0, 'call-centre', { handed_off: 1, ho_breached: 1, exited: 1, held_ms: 2_400_000 }],
      ['ticket', 1, 'branch-technical/north', { tickets: 1, escalated: 1, open: 1, open_breached: 1 }],
      ['step', 1, 'branch-technical/north', { steps: 1 }],
    ]);
  });

  it('first-contact resolution: resolved with one answer, never escalated or reopened; a reopen takes it back', () => {
    const resolved: TicketFacts = { ...base, open: false, resolved: true, firstResponse: 'met', resolution: 'met', agentResponses: 1, steps: [{ ...base.steps[0], leftAt: '2026-03-02T09:00:00.000Z', leftBecause: 'resolved', handoff: 'met' }] };
    const r = contributionOf(resolved)[0].m;
    expect(r).toEqual({ tickets: 1, fr_met: 1, res_met: 1, resolved: 1, fcr: 1 });
    const reopened: TicketFacts = { ...resolved, open: true, resolved: false, reopenCount: 1, resolution: 'running' };
    expect(diffFacts(contributionOf(resolved), contributionOf(reopened))[0].m).toEqual({ res_met: -1, resolved: -1, fcr: -1, reopened: 1, open: 1 });
  });

  it('no change, no delta', () => {
    expect(diffFacts(contributionOf(base), contributionOf(base))).toEqual([]);
  });
});
