import { FeedbackErrorCode } from './errors';
import { enps, nps } from './nps';

describe('nps', () => {
  it.each([
    // p, d = promoter/detractor shares; var = p + d − (p − d)²; MoE = 1.96·√(var/n)·100
    ['3 promoters, 1 passive, 1 detractor → (3−1)/5 = +40; var = .6+.2−.16 = .64, MoE = 1.96·√(.64/5)·100 = 70.12', [9, 10, 9, 7, 3], 40, 3, 1, 1, 70.1231],
    ['all promoters → +100 with zero variance, MoE 0', [9, 10, 10, 9], 100, 4, 0, 0, 0],
    ['all detractors → −100, MoE 0', [0, 6, 5], -100, 0, 0, 3, 0],
    ['boundaries 6|7 and 8|9: 6 detractor, 7 and 8 passives, 9 promoter → (1−1)/4 = 0; var = .5, MoE = 1.96·√(.5/4)·100 = 69.30', [6, 7, 8, 9], 0, 1, 2, 1, 69.2965],
    ['one passive → 0 with MoE 0 (var = 0 + 0 − 0)', [8], 0, 0, 1, 0, 0],
    ['half promoters, half detractors → 0; var = 1, MoE = 1.96·√(1/2)·100 = 138.59', [10, 0], 0, 1, 0, 1, 138.5929],
  ])('%s', (_name, scores, score, promoters, passives, detractors, moe) => {
    const result = nps(scores);
    expect(result).toEqual({ nps: expect.closeTo(score, 10), promoters, passives, detractors, n: scores.length, marginOfError: expect.closeTo(moe, 3) });
  });

  it('no answers → n = 0 with null score and margin of error (not NaN)', () => {
    expect(nps([])).toEqual({ nps: null, promoters: 0, passives: 0, detractors: 0, n: 0, marginOfError: null });
  });

  it('margin of error shrinks with √n: 400 answers at p = .5, d = .25 → var = .75 − .0625 = .6875, MoE = 1.96·√(.6875/400)·100 = 8.13', () => {
    const scores = [...Array<number>(200).fill(10), ...Array<number>(100).fill(8), ...Array<number>(100).fill(2)];
    const result = nps(scores);
    expect(result.nps).toBeCloseTo(25, 10);
    expect(result.marginOfError).toBeCloseTo(8.1258, 3);
  });

  it.each([
    ['11 is above the scale', [9, 11], 'scores[1]'],
    ['−1 is below the scale', [-1], 'scores[0]'],
    ['7.5 is not an integer', [8, 9, 7.5], 'scores[2]'],
    ['NaN', [NaN], 'scores[0]'],
    ['a string', ['9' as unknown as number], 'scores[0]'],
  ])('refuses %s with ScoreOutOfRange at the index', (_name, scores, field) => {
    expect(() => nps(scores)).toThrow(expect.objectContaining({ code: FeedbackErrorCode.ScoreOutOfRange, field }));
  });

  it('refuses a non-array with InvalidInput', () => {
    expect(() => nps('9,10' as unknown as number[])).toThrow(expect.objectContaining({ code: FeedbackErrorCode.InvalidInput, field: 'scores' }));
  });
});

describe('enps', () => {
  it('uses the NPS arithmetic on employee answers: 2 promoters, 2 detractors of 5 → 0; var = .8, MoE = 1.96·√(.8/5)·100 = 78.4', () => {
    expect(enps([10, 9, 8, 4, 0])).toEqual({ nps: 0, promoters: 2, passives: 1, detractors: 2, n: 5, marginOfError: expect.closeTo(78.4, 10) });
  });

  it('refuses an out-of-range answer', () => {
    expect(() => enps([12])).toThrow(expect.objectContaining({ code: FeedbackErrorCode.ScoreOutOfRange, field: 'scores[0]' }));
  });
});
