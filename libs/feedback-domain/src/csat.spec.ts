import { ces } from './ces';
import { csat } from './csat';
import { FeedbackErrorCode } from './errors';

describe('csat', () => {
  it.each([
    ['3 of 4 answers are 4 or 5 → 3/4 = 75%', [5, 4, 4, 3], 75, 3],
    ['3 is neutral, not satisfied → 0%', [3, 3, 1], 0, 0],
    ['all 5s → 100%', [5, 5], 100, 2],
    ['boundary 3|4: one of two → 50%', [3, 4], 50, 1],
  ])('%s', (_name, scores, score, satisfied) => {
    expect(csat(scores)).toEqual({ csat: score, satisfied, n: scores.length });
  });

  it('no answers → n = 0, csat null', () => {
    expect(csat([])).toEqual({ csat: null, satisfied: 0, n: 0 });
  });

  it.each([
    ['0', [0], 'scores[0]'],
    ['6', [5, 6], 'scores[1]'],
    ['4.5', [4.5], 'scores[0]'],
  ])('refuses %s on the 1–5 scale', (_name, scores, field) => {
    expect(() => csat(scores)).toThrow(expect.objectContaining({ code: FeedbackErrorCode.ScoreOutOfRange, field }));
  });
});

describe('ces', () => {
  it.each([
    ['(7+6+5+4+1)/5 = 4.6 mean; 3 of 5 are 5–7 → 60% easy', [7, 6, 5, 4, 1], 4.6, 60, 3],
    ['boundary 4|5: 4 is neutral, 5 is easy → mean 4.5, 50%', [4, 5], 4.5, 50, 1],
    ['all 1s → mean 1, 0% easy', [1, 1, 1], 1, 0, 0],
  ])('%s', (_name, scores, mean, easyShare, easy) => {
    expect(ces(scores)).toEqual({ ces: expect.closeTo(mean, 12), easyShare, easy, n: scores.length });
  });

  it('no answers → n = 0, nulls', () => {
    expect(ces([])).toEqual({ ces: null, easyShare: null, easy: 0, n: 0 });
  });

  it.each([
    ['0', [0], 'scores[0]'],
    ['8', [7, 8], 'scores[1]'],
  ])('refuses %s on the 1–7 scale', (_name, scores, field) => {
    expect(() => ces(scores)).toThrow(expect.objectContaining({ code: FeedbackErrorCode.ScoreOutOfRange, field }));
  });
});
