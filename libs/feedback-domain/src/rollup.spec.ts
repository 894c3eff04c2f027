import fc from 'fast-check';
import { ces } from './ces';
import { csat } from './csat';
import { engagement, type EngagementResponse } from './engagement';
import { FeedbackErrorCode } from './errors';
import { enps, nps } from './nps';
import {
  addResponse,
  cesFromRollup,
  csatFromRollup,
  emptyRollup,
  engagementFromRollup,
  enpsFromRollup,
  mergeAll,
  mergeRollups,
  npsFromRollup,
  rollupOf,
  type Rollup,
  type RollupKind,
} from './rollup';

const item = fc.integer({ min: 1, max: 5 });
const level = fc.array(item, { minLength: 1, maxLength: 4 });
const engagementAnswer: fc.Arbitrary<EngagementResponse> = fc.record({ confidence: level, integrity: level, pride: level, passion: level });
const answers = {
  nps: fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 60 }),
  enps: fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 60 }),
  csat: fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 60 }),
  ces: fc.array(fc.integer({ min: 1, max: 7 }), { maxLength: 60 }),
  engagement: fc.array(engagementAnswer, { maxLength: 25 }),
};

// Any rollup of any kind, built from real answers, so it is always consistent.
const anyKindRollups = (count: number) =>
  fc.oneof(
    ...(Object.keys(answers) as RollupKind[]).map((kind) =>
      fc.array(answers[kind] as fc.Arbitrary<unknown[]>, { minLength: count, maxLength: count }).map((lists) => lists.map((list) => rollupOf(kind, list as never))),
    ),
  );

describe('rollups equal the scan-based scores exactly', () => {
  it('nps', () => fc.assert(fc.property(answers.nps, (scores) => expect(npsFromRollup(rollupOf('nps', scores))).toEqual(nps(scores)))));
  it('enps', () => fc.assert(fc.property(answers.enps, (scores) => expect(enpsFromRollup(rollupOf('enps', scores))).toEqual(enps(scores)))));
  it('csat', () => fc.assert(fc.property(answers.csat, (scores) => expect(csatFromRollup(rollupOf('csat', scores))).toEqual(csat(scores)))));
  it('ces', () => fc.assert(fc.property(answers.ces, (scores) => expect(cesFromRollup(rollupOf('ces', scores))).toEqual(ces(scores)))));
  it('engagement', () =>
    fc.assert(fc.property(answers.engagement, (list) => expect(engagementFromRollup(rollupOf('engagement', list))).toEqual(engagement(list)))));

  it('a period split in two and merged gives the score of the whole period (segments, tiers, teams alike)', () =>
    fc.assert(
      fc.property(answers.nps, answers.nps, (first, second) => {
        expect(npsFromRollup(mergeRollups(rollupOf('nps', first), rollupOf('nps', second)))).toEqual(nps([...first, ...second]));
      }),
    ));

  it('engagement survives a jsonb round trip', () =>
    fc.assert(
      fc.property(answers.engagement, (list) => {
        const stored = JSON.parse(JSON.stringify(rollupOf('engagement', list))) as Rollup<'engagement'>;
        expect(engagementFromRollup(stored)).toEqual(engagement(list));
      }),
    ));
});

describe('merge algebra', () => {
  it('is associative: (a ⊕ b) ⊕ c = a ⊕ (b ⊕ c)', () =>
    fc.assert(
      fc.property(anyKindRollups(3), ([a, b, c]) => {
        expect(mergeRollups(mergeRollups(a!, b!), c!)).toEqual(mergeRollups(a!, mergeRollups(b!, c!)));
      }),
    ));

  it('is commutative: a ⊕ b = b ⊕ a', () =>
    fc.assert(
      fc.property(anyKindRollups(2), ([a, b]) => {
        expect(mergeRollups(a!, b!)).toEqual(mergeRollups(b!, a!));
      }),
    ));

  it('has the empty rollup as identity: a ⊕ ∅ = ∅ ⊕ a = a', () =>
    fc.assert(
      fc.property(anyKindRollups(1), ([a]) => {
        expect(mergeRollups(a!, emptyRollup(a!.kind))).toEqual(a);
        expect(mergeRollups(emptyRollup(a!.kind), a!)).toEqual(a);
      }),
    ));

  it('mergeAll equals folding mergeRollups from the empty rollup', () =>
    fc.assert(
      fc.property(anyKindRollups(4), (rollups) => {
        const kind = rollups[0]!.kind;
        expect(mergeAll(kind, rollups)).toEqual(rollups.reduce((acc, r) => mergeRollups(acc, r), emptyRollup(kind)));
      }),
    ));

  it('rollupOf equals folding addResponse from the empty rollup', () =>
    fc.assert(
      fc.property(answers.engagement, (list) => {
        expect(rollupOf('engagement', list)).toEqual(list.reduce((acc, r) => addResponse(acc, r), emptyRollup('engagement')));
      }),
    ));
});

describe('rollup layout', () => {
  it('nps: counts[s] per score 0–10; 9, 9, 0 → counts[9] = 2, counts[0] = 1', () => {
    expect(rollupOf('nps', [9, 9, 0])).toEqual({ schema: 1, kind: 'nps', n: 3, counts: [1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0] });
  });

  it('csat: counts[s − 1]; one 5 → [0,0,0,0,1]', () => {
    expect(addResponse(emptyRollup('csat'), 5)).toEqual({ schema: 1, kind: 'csat', n: 1, counts: [0, 0, 0, 0, 1] });
  });

  it('ces: 7 slots; a 1 and a 7 → mean 4, 1 of 2 easy', () => {
    const r = rollupOf('ces', [1, 7]);
    expect(r.counts).toEqual([1, 0, 0, 0, 0, 0, 1]);
    expect(cesFromRollup(r)).toEqual({ ces: 4, easyShare: 50, easy: 1, n: 2 });
  });

  it('engagement: 4 levels × 5 values, then 4 band counters', () => {
    const r = addResponse(emptyRollup('engagement'), { confidence: [5, 4], integrity: [5], pride: [5], passion: [5] });
    // confidence 4.5, others 5 → overall 4.875, every level ≥ 4 → fully engaged (band slot 20)
    expect(r.counts).toEqual([0, 0, 0, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0]);
  });

  it('the empty rollup scores as n = 0 with nulls', () => {
    expect(npsFromRollup(emptyRollup('nps'))).toEqual(nps([]));
    expect(engagementFromRollup(emptyRollup('engagement'))).toEqual(engagement([]));
  });
});

describe('rollup validation', () => {
  const good = rollupOf('nps', [10, 3]);
  const goodEngagement = rollupOf('engagement', [{ confidence: [4], integrity: [4], pride: [4], passion: [4] }]);
  const broken = (over: Record<string, unknown>) => ({ ...good, ...over }) as unknown as Rollup<'nps'>;
  const brokenCounts = (at: number, value: unknown) => broken({ counts: good.counts.map((c, i) => (i === at ? value : c)) });

  it.each([
    ['not an object', 'nps' as unknown as Rollup<'nps'>, FeedbackErrorCode.InvalidInput, 'rollup'],
    ['schema 2', broken({ schema: 2 }), FeedbackErrorCode.InvalidRollup, 'rollup.schema'],
    ['an unknown kind', broken({ kind: 'sentiment' }), FeedbackErrorCode.InvalidInput, 'rollup.kind'],
    ['a csat rollup read as nps', rollupOf('csat', [5]) as unknown as Rollup<'nps'>, FeedbackErrorCode.RollupKindMismatch, 'rollup.kind'],
    ['a negative n', broken({ n: -1 }), FeedbackErrorCode.InvalidRollup, 'rollup.n'],
    ['a fractional n', broken({ n: 1.5 }), FeedbackErrorCode.InvalidRollup, 'rollup.n'],
    ['10 counts for 11 scores', broken({ counts: good.counts.slice(1) }), FeedbackErrorCode.InvalidRollup, 'rollup.counts'],
    ['counts not an array', broken({ counts: {} }), FeedbackErrorCode.InvalidRollup, 'rollup.counts'],
    ['a negative count', brokenCounts(4, -1), FeedbackErrorCode.InvalidRollup, 'rollup.counts[4]'],
    ['a string count', brokenCounts(2, '1'), FeedbackErrorCode.InvalidRollup, 'rollup.counts[2]'],
    ['counts adding to 3 with n = 2', brokenCounts(5, 1), FeedbackErrorCode.InvalidRollup, 'rollup.counts'],
  ])('npsFromRollup refuses %s', (_name, rollup, code, field) => {
    expect(() => npsFromRollup(rollup)).toThrow(expect.objectContaining({ code, field }));
  });

  it.each([
    ['band counts adding to 2 with n = 1', { counts: goodEngagement.counts.map((c, i) => (i === 21 ? c + 1 : c)) }],
    ['1 confidence answer for 2 respondents', { n: 2, counts: goodEngagement.counts.map((c, i) => (i === 21 ? c + 1 : c)) }],
    ['item answers with no respondent', { n: 0, counts: goodEngagement.counts.map((c, i) => (i >= 20 ? 0 : c)) }],
  ])('engagementFromRollup refuses %s', (_name, over) => {
    const rollup = { ...goodEngagement, ...over } as Rollup<'engagement'>;
    expect(() => engagementFromRollup(rollup)).toThrow(expect.objectContaining({ code: FeedbackErrorCode.InvalidRollup, field: 'rollup.counts' }));
  });

  it.each([
    ['enpsFromRollup', () => enpsFromRollup(good as unknown as Rollup<'enps'>)],
    ['csatFromRollup', () => csatFromRollup(good as unknown as Rollup<'csat'>)],
    ['cesFromRollup', () => cesFromRollup(good as unknown as Rollup<'ces'>)],
    ['engagementFromRollup', () => engagementFromRollup(good as unknown as Rollup<'engagement'>)],
  ])('%s refuses an nps rollup (an eNPS is never mixed into a customer NPS)', (_name, read) => {
    expect(read).toThrow(expect.objectContaining({ code: FeedbackErrorCode.RollupKindMismatch, field: 'rollup.kind' }));
  });

  it('mergeRollups refuses rollups of different kinds, naming b', () => {
    expect(() => mergeRollups(good, rollupOf('enps', [10]) as unknown as Rollup<'nps'>)).toThrow(
      expect.objectContaining({ code: FeedbackErrorCode.RollupKindMismatch, field: 'b.kind' }),
    );
  });

  it('mergeAll names the bad rollup by index, and refuses a non-array', () => {
    expect(() => mergeAll('nps', [good, brokenCounts(0, -3)])).toThrow(expect.objectContaining({ code: FeedbackErrorCode.InvalidRollup, field: 'rollups[1].counts[0]' }));
    expect(() => mergeAll('nps', good as unknown as Rollup<'nps'>[])).toThrow(expect.objectContaining({ code: FeedbackErrorCode.InvalidInput, field: 'rollups' }));
  });

  it('mergeAll of nothing is the empty rollup', () => {
    expect(mergeAll('ces', [])).toEqual(emptyRollup('ces'));
  });

  it.each([
    ['an NPS of 11', () => addResponse(emptyRollup('nps'), 11), FeedbackErrorCode.ScoreOutOfRange, 'response'],
    ['a CSAT of 0', () => addResponse(emptyRollup('csat'), 0), FeedbackErrorCode.ScoreOutOfRange, 'response'],
    ['a CES of 8', () => addResponse(emptyRollup('ces'), 8), FeedbackErrorCode.ScoreOutOfRange, 'response'],
    ['an engagement item of 6', () => addResponse(emptyRollup('engagement'), { confidence: [6], integrity: [1], pride: [1], passion: [1] }), FeedbackErrorCode.ScoreOutOfRange, 'response.confidence[0]'],
    ['an eNPS of −1 in a batch', () => rollupOf('enps', [3, -1]), FeedbackErrorCode.ScoreOutOfRange, 'responses[1]'],
    ['a non-array batch', () => rollupOf('csat', 4 as unknown as number[]), FeedbackErrorCode.InvalidInput, 'responses'],
    ['an unknown kind', () => emptyRollup('mood' as RollupKind), FeedbackErrorCode.InvalidInput, 'kind'],
  ])('refuses %s', (_name, act, code, field) => {
    expect(act).toThrow(expect.objectContaining({ code, field }));
  });

  it('addResponse leaves its input untouched (rollups are values)', () => {
    const before = rollupOf('nps', [5]);
    const after = addResponse(before, 10);
    expect(before).toEqual({ schema: 1, kind: 'nps', n: 1, counts: [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0] });
    expect(after.n).toBe(2);
  });
});
