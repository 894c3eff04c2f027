import { AccountsErrorCode } from './errors';
import { buildStakeholderMap, findReportsToCycle, type StakeholderContact, type StakeholderGapCode, type StakeholderNode } from './stakeholders';

function makeContact(id: string, overrides: Partial<StakeholderContact> = {}): StakeholderContact {
  return { id, name: id.toUpperCase(), title: null, department: null, buyingRole: 'end-user', influence: 'low', reportsToId: null, engaged: false, ...overrides };
}

/** Lines as `A>B` (A reports to B) or `A` (root). */
const lines = (...specs: string[]) =>
  specs.map((s) => {
    const [id, boss] = s.split('>');
    return { id: id!, reportsToId: boss ?? null };
  });

/** The tree as nested `name(depth)` strings, to compare shapes at a glance. */
function shape(nodes: StakeholderNode[]): string[] {
  return nodes.map((n) => (n.reports.length ? `${n.name}(${n.depth})[${shape(n.reports).join(' ')}]` : `${n.name}(${n.depth})`));
}

const gapCodes = (contacts: StakeholderContact[]): StakeholderGapCode[] => buildStakeholderMap(contacts).gaps.map((g) => g.code);

// A well-covered account: no gaps. Used as the base that each gap scenario breaks once.
const covered = (): StakeholderContact[] => [
  makeContact('ceo', { buyingRole: 'decision-maker', influence: 'high', engaged: true }),
  makeContact('cfo', { buyingRole: 'economic-buyer', influence: 'high', reportsToId: 'ceo', engaged: true }),
  makeContact('pm', { buyingRole: 'champion', influence: 'medium', department: 'IT', reportsToId: 'ceo' }),
];

describe('findReportsToCycle', () => {
  it.each<[string, Array<{ id: string; reportsToId: string | null }>, string, string | null, string[] | null]>([
    ['self-reference', lines('a'), 'a', 'a', ['a', 'a']],
    ['self-reference of a contact not yet stored', [], 'new', 'new', ['new', 'new']],
    ['2-cycle: b reports to a, a would report to b', lines('a', 'b>a'), 'a', 'b', ['a', 'b', 'a']],
    ['long cycle: d > c > b > a, a would report to d', lines('a', 'b>a', 'c>b', 'd>c'), 'a', 'd', ['a', 'd', 'c', 'b', 'a']],
    ['re-pointing an existing line: b > a, c > b; b would report to c', lines('a', 'b>a', 'c>b'), 'b', 'c', ['b', 'c', 'b']],
    ['no cycle: d would report to a sibling branch', lines('a', 'b>a', 'c>a', 'd>b'), 'd', 'c', null],
    ['no cycle: a root moving under an unrelated root', lines('a', 'b'), 'a', 'b', null],
    ['clearing the line never loops', lines('a', 'b>a'), 'a', null, null],
    ['a manager outside the list ends the walk', lines('a>ghost'), 'b', 'a', null],
    ['a new contact cannot close a loop', lines('a', 'b>a'), 'new', 'b', null],
    ['a stored loop that does not pass through the contact is not this change', lines('x>y', 'y>x', 'a'), 'a', 'x', null],
  ])('%s', (_name, contacts, contactId, reportsToId, expected) => {
    expect(findReportsToCycle(contacts, contactId, reportsToId)).toEqual(expected);
  });

  it('walks a 10,000-long chain without recursion', () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => ({ id: `c${i}`, reportsToId: i === 0 ? null : `c${i - 1}` }));
    expect(findReportsToCycle(chain, 'c0', 'c9999')).toHaveLength(10_001);
  });

  it.each<[string, unknown, unknown, unknown, AccountsErrorCode, string]>([
    ['contacts not an array', null, 'a', null, AccountsErrorCode.InvalidType, 'contacts'],
    ['a contact that is not an object', ['a'], 'a', null, AccountsErrorCode.InvalidType, 'contacts[0]'],
    ['a duplicate id', lines('a', 'a'), 'a', null, AccountsErrorCode.DuplicateId, 'contacts[1].id'],
    ['reportsToId not a string', [{ id: 'a', reportsToId: 7 }], 'a', null, AccountsErrorCode.InvalidType, 'contacts[0].reportsToId'],
    ['a blank contactId', lines('a'), '', 'a', AccountsErrorCode.OutOfRange, 'contactId'],
    ['a numeric new reportsToId', lines('a'), 'a', 1, AccountsErrorCode.InvalidType, 'reportsToId'],
  ])('refuses %s', (_name, contacts, contactId, reportsToId, code, field) => {
    expect(() => findReportsToCycle(contacts as never, contactId as string, reportsToId as string)).toThrow(expect.objectContaining({ code, field }));
  });
});

describe('buildStakeholderMap — tree', () => {
  it('sorts reports by influence (high first) then name, and sets depths', () => {
    const map = buildStakeholderMap([
      makeContact('ops', { name: 'Olga', influence: 'medium', reportsToId: 'ceo' }),
      makeContact('ceo', { name: 'Carl', buyingRole: 'decision-maker', influence: 'high' }),
      makeContact('it', { name: 'Ivan', influence: 'high', reportsToId: 'ceo' }),
      makeContact('fin', { name: 'anna', influence: 'medium', reportsToId: 'ceo' }),
      makeContact('dev', { name: 'Dora', influence: 'low', reportsToId: 'it' }),
      makeContact('arch', { name: 'Ada', influence: 'high', reportsToId: 'it' }),
    ]);
    // Same influence: names compare case-insensitively (anna before Olga).
    expect(shape(map.roots)).toEqual(['Carl(0)[Ivan(1)[Ada(2) Dora(2)] anna(1) Olga(1)]']);
  });

  it('contacts whose manager is outside the list are roots, sorted like reports', () => {
    const map = buildStakeholderMap([
      makeContact('b', { name: 'Bea', reportsToId: 'left-the-company' }),
      makeContact('a', { name: 'Abe' }),
      makeContact('c', { name: 'Cy', influence: 'high', reportsToId: 'b' }),
      makeContact('d', { name: 'Dee', influence: 'high' }),
    ]);
    expect(shape(map.roots)).toEqual(['Dee(0)', 'Abe(0)', 'Bea(0)[Cy(1)]']);
  });

  it('breaks name ties by id so the order is total', () => {
    const [one, two] = [makeContact('1', { name: 'sam' }), makeContact('2', { name: 'Sam' })];
    expect(buildStakeholderMap([two, one]).roots.map((r) => r.id)).toEqual(['1', '2']);
    expect(buildStakeholderMap([one, two]).roots.map((r) => r.id)).toEqual(['1', '2']);
  });

  it('builds a 10,000-deep reporting chain without recursion', () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => makeContact(`c${i}`, { reportsToId: i === 0 ? null : `c${i - 1}` }));
    let node = buildStakeholderMap(chain).roots[0]!;
    while (node.reports.length) node = node.reports[0]!;
    expect(node).toMatchObject({ id: 'c9999', depth: 9_999 });
  });

  it('nodes carry the contact fields only (extra properties of a stored row are dropped)', () => {
    const row = { ...makeContact('a', { title: 'CIO', department: 'IT' }), tenantId: 't1' };
    expect(buildStakeholderMap([row]).roots[0]).toEqual({ ...makeContact('a', { title: 'CIO', department: 'IT' }), reports: [], depth: 0, hiddenInfluencer: false });
  });

  it('counts every buying role and the engaged contacts', () => {
    const map = buildStakeholderMap([...covered(), makeContact('u1'), makeContact('u2', { engaged: true }), makeContact('x', { buyingRole: 'blocker' })]);
    expect(map.counts).toEqual({ 'decision-maker': 1, 'economic-buyer': 1, influencer: 0, champion: 1, 'end-user': 2, blocker: 1 });
    expect(map.engagedContacts).toBe(3);
  });

  it.each([
    // a > a
    ['self-reference', [makeContact('a', { reportsToId: 'a' })], 'contacts[0].reportsToId', ['a', 'a']],
    // r is a fine root; a > b > a
    ['2-cycle', [makeContact('r'), makeContact('a', { reportsToId: 'b' }), makeContact('b', { reportsToId: 'a' })], 'contacts[1].reportsToId', ['a', 'b', 'a']],
    // t hangs off the loop a > c > b > a and is reached by none of the roots either.
    [
      'long cycle with a tail',
      [makeContact('t', { reportsToId: 'a' }), makeContact('a', { reportsToId: 'c' }), makeContact('b', { reportsToId: 'a' }), makeContact('c', { reportsToId: 'b' })],
      'contacts[1].reportsToId',
      ['a', 'c', 'b', 'a'],
    ],
  ])('refuses stored reporting lines that loop: %s', (_name, contacts, field, cycle) => {
    expect(() => buildStakeholderMap(contacts)).toThrow(expect.objectContaining({ code: AccountsErrorCode.ReportsToCycle, field, details: { cycle } }));
  });
});

describe('buildStakeholderMap — gaps', () => {
  it('a well-covered account has no gaps', () => {
    expect(buildStakeholderMap(covered()).gaps).toEqual([]);
  });

  it('an account with no contacts lacks a decision maker, a second thread and a champion', () => {
    const map = buildStakeholderMap([]);
    expect(map.gaps.map((g) => [g.code, g.contactIds])).toEqual([
      ['no-decision-maker', []],
      ['single-threaded', []],
      ['no-champion', []],
    ]);
    expect(map).toMatchObject({ roots: [], engagedContacts: 0 });
  });

  it.each<[string, (base: StakeholderContact[]) => StakeholderContact[], Array<[StakeholderGapCode, string[]]>]>([
    ['no decision maker', (b) => b.map((c) => (c.id === 'ceo' ? { ...c, buyingRole: 'influencer', influence: 'medium' } : c)), [['no-decision-maker', []]]],
    ['single-threaded: one engaged contact', (b) => b.map((c) => (c.id === 'cfo' ? { ...c, engaged: false } : c)), [['single-threaded', ['ceo']]]],
    ['single-threaded: contacts but none engaged', (b) => b.map((c) => ({ ...c, engaged: false })), [['single-threaded', []]]],
    ['no champion', (b) => b.filter((c) => c.id !== 'pm'), [['no-champion', []]]],
    [
      'high-influence blocker with only unengaged managers and no champion in the department',
      (b) => [...b.map((c) => (c.id === 'ceo' || c.id === 'pm' ? { ...c, engaged: c.id === 'pm' } : c)), makeContact('mgr', { reportsToId: 'ceo' }), makeContact('blk', { buyingRole: 'blocker', influence: 'high', department: 'Ops', reportsToId: 'mgr' })],
      [['blocker-unaddressed', ['blk']]],
    ],
    ['high-influence root blocker without a department', (b) => [...b, makeContact('blk', { buyingRole: 'blocker', influence: 'high' })], [['blocker-unaddressed', ['blk']]]],
    [
      'high-influence hidden influencers (end-user, influencer), none engaged',
      (b) => [...b, makeContact('lead', { buyingRole: 'end-user', influence: 'high' }), makeContact('adm', { buyingRole: 'influencer', influence: 'high' })],
      [['hidden-influencer', ['lead', 'adm']]],
    ],
  ])('%s', (_name, mutate, expected) => {
    expect(buildStakeholderMap(mutate(covered())).gaps.map((g) => [g.code, g.contactIds])).toEqual(expected);
  });

  it.each<[string, (base: StakeholderContact[]) => StakeholderContact[]]>([
    // The engaged CEO is two levels above the blocker.
    ['a blocker with an engaged contact anywhere above them', (b) => [...b, makeContact('mgr', { reportsToId: 'ceo' }), makeContact('blk', { buyingRole: 'blocker', influence: 'high', reportsToId: 'mgr' })]],
    // Department match ignores case and surrounding spaces; the champion need not be engaged.
    ['a blocker with a champion in the same department', (b) => [...b, makeContact('blk', { buyingRole: 'blocker', influence: 'high', department: ' it ' })]],
    ['a blocker of medium influence', (b) => [...b, makeContact('blk', { buyingRole: 'blocker', influence: 'medium' })]],
    ['hidden influencers of which one is engaged', (b) => [...b, makeContact('lead', { influence: 'high' }), makeContact('adm', { buyingRole: 'influencer', influence: 'high', engaged: true })]],
    ['exactly two engaged contacts, neither of them the decision maker', (b) => b.map((c) => ({ ...c, engaged: c.id !== 'ceo' }))],
  ])('no gap: %s', (_name, mutate) => {
    expect(gapCodes(mutate(covered()))).toEqual([]);
  });

  it('a blocker is unaddressed when the only champion sits in another department', () => {
    const contacts = [...covered(), makeContact('blk', { buyingRole: 'blocker', influence: 'high', department: 'Finance' })];
    expect(gapCodes(contacts)).toEqual(['blocker-unaddressed']);
  });

  it('blank departments never match', () => {
    const contacts = covered().map((c) => (c.id === 'pm' ? { ...c, department: ' ' } : c));
    expect(gapCodes([...contacts, makeContact('blk', { buyingRole: 'blocker', influence: 'high', department: ' ' })])).toEqual(['blocker-unaddressed']);
  });

  it('marks hidden influencers on the nodes, engaged or not, and only end-users and influencers of high influence', () => {
    const map = buildStakeholderMap([
      makeContact('dm', { buyingRole: 'decision-maker', influence: 'high' }),
      makeContact('eb', { buyingRole: 'economic-buyer', influence: 'high' }),
      makeContact('lead', { buyingRole: 'end-user', influence: 'high', engaged: true, reportsToId: 'dm' }),
      makeContact('adm', { buyingRole: 'influencer', influence: 'high', reportsToId: 'dm' }),
      makeContact('usr', { buyingRole: 'end-user', influence: 'medium', reportsToId: 'dm' }),
    ]);
    const flagged = (nodes: StakeholderNode[]): string[] => nodes.flatMap((n) => [...(n.hiddenInfluencer ? [n.id] : []), ...flagged(n.reports)]);
    expect(flagged(map.roots).sort()).toEqual(['adm', 'lead']);
    // lead is engaged, so the map shows them but raises no hidden-influencer gap.
    expect(map.gaps.map((g) => g.code)).not.toContain('hidden-influencer');
  });

  it('every gap has a message', () => {
    for (const gap of buildStakeholderMap([makeContact('blk', { buyingRole: 'blocker', influence: 'high', engaged: true }), makeContact('x', { influence: 'high' })]).gaps) {
      expect(gap.message).toMatch(/\w/);
    }
  });
});

describe('buildStakeholderMap — validation', () => {
  const ok = makeContact('ok');
  it.each<[string, unknown, AccountsErrorCode, string]>([
    ['contacts not an array', 'a', AccountsErrorCode.InvalidType, 'contacts'],
    ['a contact that is not an object', [ok, 3], AccountsErrorCode.InvalidType, 'contacts[1]'],
    ['a missing id', [{ ...ok, id: undefined }], AccountsErrorCode.InvalidType, 'contacts[0].id'],
    ['a duplicate id', [ok, makeContact('ok')], AccountsErrorCode.DuplicateId, 'contacts[1].id'],
    ['a name that is not a string', [{ ...ok, name: null }], AccountsErrorCode.InvalidType, 'contacts[0].name'],
    ['a title that is a number', [{ ...ok, title: 1 }], AccountsErrorCode.InvalidType, 'contacts[0].title'],
    ['a department missing', [{ ...ok, department: undefined }], AccountsErrorCode.InvalidType, 'contacts[0].department'],
    ['an unknown buying role', [{ ...ok, buyingRole: 'ceo' }], AccountsErrorCode.OutOfRange, 'contacts[0].buyingRole'],
    ['an unknown influence', [{ ...ok, influence: 'huge' }], AccountsErrorCode.OutOfRange, 'contacts[0].influence'],
    ['reportsToId undefined', [{ ...ok, reportsToId: undefined }], AccountsErrorCode.InvalidType, 'contacts[0].reportsToId'],
    ['engaged as a string', [{ ...ok, engaged: 'yes' }], AccountsErrorCode.InvalidType, 'contacts[0].engaged'],
  ])('refuses %s', (_name, contacts, code, field) => {
    expect(() => buildStakeholderMap(contacts as StakeholderContact[])).toThrow(expect.objectContaining({ name: 'DomainError', code, field }));
  });
});
