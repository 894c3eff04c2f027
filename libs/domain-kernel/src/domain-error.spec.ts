import { collectIssues, DomainError, fail, isDomainError, type DomainIssue } from './domain-error';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('DomainError', () => {
  it('is an Error whose message is prefixed with the field, with one issue and empty details by default', () => {
    const error = new DomainError('OUT_OF_RANGE', 'targets.resolution', 'must be in [1, 100000], got 0');
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'DomainError', code: 'OUT_OF_RANGE', field: 'targets.resolution', message: 'targets.resolution: must be in [1, 100000], got 0' });
    expect(error.details).toEqual({});
    expect(error.issues).toEqual([{ code: 'OUT_OF_RANGE', field: 'targets.resolution', message: 'must be in [1, 100000], got 0' }]);
  });

  it('keeps the details it is given', () => {
    expect(new DomainError('DUPLICATE_ID', 'accounts[1].id', 'duplicates accounts[0].id', { firstIndex: 0 }).details).toEqual({ firstIndex: 0 });
  });

  it('an empty issue list still yields the error itself as its one issue', () => {
    expect(new DomainError('X', 'f', 'm', {}, []).issues).toEqual([{ code: 'X', field: 'f', message: 'm' }]);
  });

  it('copies the issue list, so the caller cannot change it afterwards', () => {
    const issues: DomainIssue[] = [{ code: 'A', field: 'a', message: 'bad a' }];
    const error = new DomainError('A', 'a', 'bad a', {}, issues);
    issues.push({ code: 'B', field: 'b', message: 'bad b' });
    expect(error.issues).toHaveLength(1);
  });
});

describe('DomainError.throwIfAny', () => {
  it('does nothing for no issues', () => {
    expect(() => DomainError.throwIfAny([])).not.toThrow();
  });

  it('throws the first issue and carries all of them', () => {
    const issues: DomainIssue[] = [
      { code: 'REQUIRED', field: 'calendar.timeZone', message: 'unknown zone' },
      { code: 'INVALID_DATE', field: 'calendar.holidays[0]', message: 'no such date' },
    ];
    expect(thrown(() => DomainError.throwIfAny(issues))).toMatchObject({ code: 'REQUIRED', field: 'calendar.timeZone', message: 'calendar.timeZone: unknown zone', issues });
  });
});

describe('fail', () => {
  it('throws a DomainError with the code, field, message and details given', () => {
    expect(thrown(() => fail('TOO_MANY', 'drivers', 'at most 12', { k: 13 }))).toMatchObject({ code: 'TOO_MANY', field: 'drivers', message: 'drivers: at most 12', details: { k: 13 } });
  });
});

describe('isDomainError', () => {
  const copy = Object.assign(new Error('f: m'), { name: 'DomainError', code: 'C', field: 'f', issues: [] });
  it.each<[string, unknown, boolean]>([
    ['a DomainError', new DomainError('C', 'f', 'm'), true],
    ['one from another copy of the module (same name and shape)', copy, true],
    ['a plain Error', new Error('boom'), false],
    ['the right name without a code', Object.assign(new Error('x'), { name: 'DomainError', field: 'f', issues: [] }), false],
    ['the right name with a non-array issues', Object.assign(new Error('x'), { name: 'DomainError', code: 'C', field: 'f', issues: 'none' }), false],
    ['null', null, false],
    ['a string', 'DomainError', false],
  ])('%s → %s', (_name, value, expected) => {
    expect(isDomainError(value)).toBe(expected);
  });
});

describe('collectIssues', () => {
  it('gathers the issues of every failing check and skips the passing ones', () => {
    const issues: DomainIssue[] = [];
    collectIssues(issues, () => fail('A', 'a', 'bad a'));
    collectIssues(issues, () => undefined);
    collectIssues(issues, () => DomainError.throwIfAny([{ code: 'B', field: 'b', message: 'bad b' }, { code: 'C', field: 'c', message: 'bad c' }]));
    expect(issues.map((i) => i.field)).toEqual(['a', 'b', 'c']);
  });

  it('rethrows anything that is not a domain error', () => {
    const bug = new TypeError('x is undefined');
    expect(() =>
      collectIssues([], () => {
        throw bug;
      }),
    ).toThrow(bug);
  });
});
