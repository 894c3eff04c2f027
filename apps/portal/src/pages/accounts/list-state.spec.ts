import {
  activeFilterCount,
  clearFilters,
  columnSortOrder,
  DEFAULT_PAGE_SIZE,
  EMPTY_STATE,
  nextPage,
  pageNumber,
  parseListState,
  previousPage,
  sortFromTable,
  toExportQuery,
  toListQuery,
  toSearchParams,
  withFilters,
  type ListState,
} from './list-state';

const OWNER = '3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e';
const PARTNER = '0a1b2c3d-4e5f-4a6b-9c8d-7e6f5a4b3c2d';

describe('the accounts list state in the URL', () => {
  it('is the default list for an empty URL, and an empty URL for the default list', () => {
    expect(parseListState(new URLSearchParams())).toEqual(EMPTY_STATE);
    expect(toSearchParams(EMPTY_STATE).toString()).toBe('');
  });

  it('round-trips every filter, the sort, the page size and the cursor stack', () => {
    const state: ListState = {
      q: 'Acme',
      tier: '1',
      lifecycle: 'at-risk',
      leadChannel: 'partner',
      region: 'EMEA',
      industry: 'Manufacturing',
      ownerId: OWNER,
      csmId: OWNER,
      leadPartnerId: PARTNER,
      strategic: 'true',
      highPotential: 'false',
      includeDeleted: true,
      sort: '-revenue12m',
      pageSize: 100,
      cursors: ['c1', 'c2'],
    };
    const url = toSearchParams(state);
    expect(url.getAll('c')).toEqual(['c1', 'c2']);
    expect(parseListState(new URLSearchParams(url.toString()))).toEqual(state);
  });

  it('ignores what is unknown or malformed', () => {
    const state = parseListState(new URLSearchParams('tier=4&lifecycle=dead&channel=x&owner=not-a-uuid&strategic=maybe&sort=size&size=7&deleted=yes&q=%20%20&c='));
    expect(state).toEqual(EMPTY_STATE);
  });

  it('trims and caps text filters, and lower-cases ids', () => {
    const state = parseListState(new URLSearchParams(`q=${'x'.repeat(300)}&region=%20APAC%20&owner=${OWNER.toUpperCase()}`));
    expect(state.q).toHaveLength(200);
    expect(state.region).toBe('APAC');
    expect(state.ownerId).toBe(OWNER);
  });
});

describe('the API queries of a list state', () => {
  it('lists the page on screen with every filter', () => {
    const state = parseListState(new URLSearchParams(`q=Ac&tier=2&lifecycle=active&channel=dealer&region=EU&industry=Retail&owner=${OWNER}&csm=${OWNER}&partner=${PARTNER}&strategic=false&highPotential=true&deleted=true&sort=-name&size=10&c=a&c=b`));
    expect(toListQuery(state)).toEqual({
      namePrefix: 'Ac',
      tier: '2',
      lifecycle: 'active',
      leadChannel: 'dealer',
      region: 'EU',
      industry: 'Retail',
      ownerId: OWNER,
      csmId: OWNER,
      leadPartnerId: PARTNER,
      strategic: 'false',
      highPotential: 'true',
      includeDeleted: 'true',
      sort: '-name',
      limit: 10,
      cursor: 'b',
    });
  });

  it('exports the same filters without paging', () => {
    const state = parseListState(new URLSearchParams('tier=3&size=10&c=a&sort=createdAt'));
    expect(toExportQuery(state)).toEqual({ tier: '3', sort: 'createdAt' });
  });

  it('asks for the first page without a cursor', () => {
    expect(toListQuery(EMPTY_STATE)).toEqual({ sort: 'name', limit: DEFAULT_PAGE_SIZE });
  });
});

describe('paging and filtering', () => {
  it('pushes and pops cursors', () => {
    const p2 = nextPage(EMPTY_STATE, 'n1');
    const p3 = nextPage(p2, 'n2');
    expect(pageNumber(p3)).toBe(3);
    expect(toListQuery(p3).cursor).toBe('n2');
    expect(previousPage(p3)).toEqual(p2);
    expect(previousPage(p2)).toEqual(EMPTY_STATE);
    expect(pageNumber(EMPTY_STATE)).toBe(1);
  });

  it('a filter change goes back to the first page; cleared filters keep sort and size', () => {
    const deep = nextPage(nextPage({ ...EMPTY_STATE, sort: '-createdAt', pageSize: 50 }, 'a'), 'b');
    const filtered = withFilters(deep, { tier: '1', q: '' });
    expect(filtered).toEqual({ sort: '-createdAt', pageSize: 50, cursors: [], tier: '1' });
    expect(activeFilterCount(filtered)).toBe(1);
    expect(clearFilters({ ...filtered, includeDeleted: true, region: 'X' })).toEqual({ sort: '-createdAt', pageSize: 50, cursors: [] });
    expect(withFilters(filtered, { tier: undefined })).toEqual({ sort: '-createdAt', pageSize: 50, cursors: [] });
  });
});

describe('sorting from the table', () => {
  it('maps column orders to the API sort and back', () => {
    expect(sortFromTable('revenue12m', 'descend')).toBe('-revenue12m');
    expect(sortFromTable('createdAt', 'ascend')).toBe('createdAt');
    expect(sortFromTable('name', undefined)).toBe('name');
    expect(sortFromTable('tier', 'ascend')).toBe('name');
    expect(columnSortOrder('-revenue12m', 'revenue12m')).toBe('descend');
    expect(columnSortOrder('-revenue12m', 'name')).toBeNull();
    expect(columnSortOrder('name', 'name')).toBe('ascend');
  });
});
