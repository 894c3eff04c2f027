import { DomainError } from '@steward/domain-kernel';
import { normaliseLabel, SampleRule } from './sample';

describe('sample labels', () => {
  it.each([
    ['  First   sample ', 'First sample'],
    ['工单 1', '工单 1'],
    ['a', 'a'],
  ])('tidies %j to %j', (input, expected) => {
    expect(normaliseLabel(input)).toBe(expected);
  });

  it.each(['12345', ' - ', '2026-12-01'])('refuses %j: it has no letter', (input) => {
    expect(() => normaliseLabel(input)).toThrow(DomainError);
    expect(() => normaliseLabel(input)).toThrow(expect.objectContaining({ code: SampleRule.NotDescriptive, field: 'label' }));
  });
});
