import { engagement, engagementBand, respondentEngagement, type EngagementLevelScores, type EngagementResponse } from './engagement';
import { FeedbackErrorCode } from './errors';

const levels = (confidence: number, integrity: number, pride: number, passion: number): EngagementLevelScores => ({ confidence, integrity, pride, passion });

describe('engagementBand', () => {
  it.each([
    ['all 5 → overall 5: fully engaged', levels(5, 5, 5, 5), 'fully-engaged'],
    ['4, 4, 5, 5 → overall exactly 4.5 with every level ≥ 4: fully engaged', levels(4, 4, 5, 5), 'fully-engaged'],
    ['4, 4, 4, 5 → overall 4.25 < 4.5: engaged', levels(4, 4, 4, 5), 'engaged'],
    ['3, 5, 5, 5 → overall 4.5 but confidence 3 < 4: engaged, not fully', levels(3, 5, 5, 5), 'engaged'],
    ['4, 4, 4, 4 → overall exactly 4.0: engaged', levels(4, 4, 4, 4), 'engaged'],
    ['4, 4, 4, 3.9 → overall 3.975 < 4: not engaged', levels(4, 4, 4, 3.9), 'not-engaged'],
    ['3, 3, 3, 3 → overall exactly 3.0: not engaged', levels(3, 3, 3, 3), 'not-engaged'],
    ['2.5, 3, 3.5, 3 → overall 3.0, lowest level 2.5 > 2: not engaged', levels(2.5, 3, 3.5, 3), 'not-engaged'],
    ['3, 3, 3, 2.9 → overall 2.975 < 3: actively disengaged', levels(3, 3, 3, 2.9), 'actively-disengaged'],
    ['2, 5, 5, 5 → overall 4.25 but confidence exactly 2: actively disengaged', levels(2, 5, 5, 5), 'actively-disengaged'],
    ['5, 5, 5, 2 → passion exactly 2: actively disengaged', levels(5, 5, 5, 2), 'actively-disengaged'],
    ['all 1 → actively disengaged', levels(1, 1, 1, 1), 'actively-disengaged'],
  ])('%s', (_name, scores, band) => {
    expect(engagementBand(scores)).toBe(band);
  });

  it.each([
    ['a missing level', { confidence: 4, integrity: 4, pride: 4 }, 'levels.passion'],
    ['a level below 1', levels(4, 0.5, 4, 4), 'levels.integrity'],
    ['a level above 5', levels(4, 4, 5.5, 4), 'levels.pride'],
    ['NaN', levels(NaN, 4, 4, 4), 'levels.confidence'],
  ])('refuses %s', (_name, scores, field) => {
    expect(() => engagementBand(scores as EngagementLevelScores)).toThrow(expect.objectContaining({ code: FeedbackErrorCode.InvalidInput, field }));
  });

  it('refuses a non-object', () => {
    expect(() => engagementBand(null as unknown as EngagementLevelScores)).toThrow(expect.objectContaining({ code: FeedbackErrorCode.InvalidInput, field: 'levels' }));
  });
});

describe('respondentEngagement', () => {
  it('averages items per level, then levels equally: (5+4+3)/3 = 4, 5, (4+4)/2 = 4, 3 → overall 16/4 = 4.0 → engaged', () => {
    expect(respondentEngagement({ confidence: [5, 4, 3], integrity: [5], pride: [4, 4], passion: [3, 3, 3] })).toEqual({
      levels: levels(4, 5, 4, 3),
      overall: 4,
      band: 'engaged',
    });
  });

  it('counts 4.5 reached through thirds as 4.5: 13/3, 14/3, 13/3, 14/3 → overall 4.5 → fully engaged', () => {
    const result = respondentEngagement({ confidence: [4, 4, 5], integrity: [5, 5, 4], pride: [4, 5, 4], passion: [5, 4, 5] });
    expect(result.overall).toBeCloseTo(4.5, 12);
    expect(result.band).toBe('fully-engaged');
  });

  it.each([
    ['an item of 6', { confidence: [6], integrity: [4], pride: [4], passion: [4] }, FeedbackErrorCode.ScoreOutOfRange, 'response.confidence[0]'],
    ['an item of 0 in passion', { confidence: [4], integrity: [4], pride: [4], passion: [4, 0] }, FeedbackErrorCode.ScoreOutOfRange, 'response.passion[1]'],
    ['an empty level', { confidence: [4], integrity: [], pride: [4], passion: [4] }, FeedbackErrorCode.InvalidInput, 'response.integrity'],
    ['a missing level', { confidence: [4], integrity: [4], passion: [4] }, FeedbackErrorCode.InvalidInput, 'response.pride'],
  ])('refuses %s', (_name, response, code, field) => {
    expect(() => respondentEngagement(response as unknown as EngagementResponse)).toThrow(expect.objectContaining({ code, field }));
  });
});

describe('engagement (group)', () => {
  const fan: EngagementResponse = { confidence: [5, 5], integrity: [5], pride: [5], passion: [4] }; // levels 5,5,5,4 → 4.75 fully
  const lukewarm: EngagementResponse = { confidence: [3], integrity: [3], pride: [3], passion: [2] }; // 3,3,3,2 → actively disengaged

  it('pools item answers per level: confidence (5+5+3)/3 = 4.33, integrity (5+3)/2 = 4, pride 4, passion 3 → overall 3.83 → not engaged; 1 of 2 engaged → 50%', () => {
    const result = engagement([fan, lukewarm]);
    expect(result).toEqual({
      n: 2,
      levels: { confidence: expect.closeTo(13 / 3, 12), integrity: 4, pride: 4, passion: 3 },
      overall: expect.closeTo((13 / 3 + 4 + 4 + 3) / 4, 12),
      band: 'not-engaged',
      bands: { 'fully-engaged': 1, engaged: 0, 'not-engaged': 0, 'actively-disengaged': 1 },
      engagedShare: 50,
    });
  });

  it('no responses → n = 0 with null scores', () => {
    expect(engagement([])).toEqual({
      n: 0,
      levels: null,
      overall: null,
      band: null,
      bands: { 'fully-engaged': 0, engaged: 0, 'not-engaged': 0, 'actively-disengaged': 0 },
      engagedShare: null,
    });
  });

  it('names the bad answer by its path', () => {
    expect(() => engagement([fan, { ...lukewarm, pride: [3, 9] }])).toThrow(expect.objectContaining({ code: FeedbackErrorCode.ScoreOutOfRange, field: 'responses[1].pride[1]' }));
  });

  it('refuses a non-array', () => {
    expect(() => engagement(fan as unknown as EngagementResponse[])).toThrow(expect.objectContaining({ code: FeedbackErrorCode.InvalidInput, field: 'responses' }));
  });
});
