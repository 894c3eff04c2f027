import { DomainError } from '@steward/domain-kernel';
import * as api from './index';
import { FeedbackErrorCode } from './index';

describe('public API', () => {
  it('scores a quarter from per-team rollups exactly as from the raw answers', () => {
    const teamA = [10, 9, 3, 8];
    const teamB = [6, 10, 10];
    const quarter = api.mergeRollups(api.rollupOf('nps', teamA), api.rollupOf('nps', teamB));
    // 4 promoters, 1 passive, 2 detractors of 7 → (4 − 2)/7 = +28.57
    expect(api.npsFromRollup(quarter)).toEqual(api.nps([...teamA, ...teamB]));
    expect(api.npsFromRollup(quarter).nps).toBeCloseTo(28.5714, 4);
  });

  it('exports one function per documented use case', () => {
    const functions = Object.entries(api)
      .filter(([, v]) => typeof v === 'function')
      .map(([k]) => k)
      .sort();
    expect(functions).toEqual(
      [
        'addResponse',
        'allSubsetRSquared',
        'analyseDrivers',
        'ces',
        'cesFromRollup',
        'csat',
        'csatFromRollup',
        'emptyRollup',
        'engagement',
        'engagementBand',
        'engagementFromRollup',
        'enps',
        'enpsFromRollup',
        'fDistributionUpperTail',
        'keyDrivers',
        'logisticRegression',
        'mergeAll',
        'mergeRollups',
        'minimumSample',
        'nps',
        'npsFromRollup',
        'prng',
        'regularizedIncompleteBeta',
        'respondentEngagement',
        'rollupOf',
        'sampledShapley',
        'shapleyFromSubsets',
        'studentTTwoSided',
      ].sort(),
    );
  });
});

describe("the kernel's DomainError with FeedbackErrorCode", () => {
  it('carries code, field and details, and prefixes the message with the field', () => {
    const error = new DomainError(FeedbackErrorCode.NoVariance, 'drivers[2]', 'constant', { value: 4 });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'DomainError', code: 'FEEDBACK_NO_VARIANCE', field: 'drivers[2]', message: 'drivers[2]: constant', details: { value: 4 } });
  });

  it('defaults details to an empty object', () => {
    expect(new DomainError(FeedbackErrorCode.InvalidInput, 'scores', 'expected an array').details).toEqual({});
  });

  it('is what the scores throw', () => {
    expect(() => api.csat([9])).toThrow(DomainError);
  });
});
