// The accounts list's state (filters, sort, page size, cursor stack) as URL search params and back,
// so that a reload or a shared link shows the same list. Pure: unit-tested in list-state.spec.ts.
import type { operations } from '@steward/api-client';

export type ListAccountsQuery = NonNullable<operations['listAccounts']['parameters']['query']>;
export type ExportAccountsQuery = NonNullable<operations['exportAccounts']['parameters']['query']>;

export const TIERS = ['1', '2', '3'] as const;
export const LIFECYCLES = ['prospect', 'onboarding', 'active', 'at-risk', 'churned'] as const;
export const LEAD_CHANNELS = ['direct', 'partner', 'dealer'] as const;
export const SORTS = ['name', '-name', 'createdAt', '-createdAt', 'revenue12m', '-revenue12m'] as const;
export const PAGE_SIZES = [10, 25, 50, 100, 200] as const;
export const DEFAULT_SORT: Sort = 'name';
export const DEFAULT_PAGE_SIZE = 25;

export type Tier = (typeof TIERS)[number];
export type Lifecycle = (typeof LIFECYCLES)[number];
export type LeadChannel = (typeof LEAD_CHANNELS)[number];
export type Sort = (typeof SORTS)[number];
export type Flag = 'true' | 'false';
export type SortField = 'name' | 'createdAt' | 'revenue12m';

export interface ListFilters {
  /** Name prefix (the API's namePrefix). */
  q?: string;
  tier?: Tier;
  lifecycle?: Lifecycle;
  leadChannel?: LeadChannel;
  region?: string;
  industry?: string;
  ownerId?: string;
  csmId?: string;
  leadPartnerId?: string;
  strategic?: Flag;
  highPotential?: Flag;
  includeDeleted?: boolean;
}

export interface ListState extends ListFilters {
  sort: Sort;
  pageSize: number;
  /** The cursors of the pages before and of this one: the last is this page's (empty: the first page). */
  cursors: string[];
}

/** The URL parameter of each filter. */
const PARAM = {
  q: 'q',
  tier: 'tier',
  lifecycle: 'lifecycle',
  leadChannel: 'channel',
  region: 'region',
  industry: 'industry',
  ownerId: 'owner',
  csmId: 'csm',
  leadPartnerId: 'partner',
  strategic: 'strategic',
  highPotential: 'highPotential',
  includeDeleted: 'deleted',
  sort: 'sort',
  pageSize: 'size',
  cursor: 'c',
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TEXT = { q: 200, region: 100, industry: 100 } as const;
const MAX_CURSOR = 1024;
const MAX_CURSORS = 100;

const oneOf = <T extends string>(values: readonly T[], value: string | null): T | undefined => (value !== null && (values as readonly string[]).includes(value) ? (value as T) : undefined);
const text = (value: string | null, max: number): string | undefined => {
  const v = value?.trim();
  return v ? v.slice(0, max) : undefined;
};
const uuid = (value: string | null): string | undefined => (value && UUID.test(value) ? value.toLowerCase() : undefined);

export const EMPTY_STATE: ListState = { sort: DEFAULT_SORT, pageSize: DEFAULT_PAGE_SIZE, cursors: [] };

/** The list state a URL describes; anything unknown or malformed is ignored (defaults instead). */
export function parseListState(params: URLSearchParams): ListState {
  const size = Number(params.get(PARAM.pageSize));
  const state: ListState = {
    q: text(params.get(PARAM.q), MAX_TEXT.q),
    tier: oneOf(TIERS, params.get(PARAM.tier)),
    lifecycle: oneOf(LIFECYCLES, params.get(PARAM.lifecycle)),
    leadChannel: oneOf(LEAD_CHANNELS, params.get(PARAM.leadChannel)),
    region: text(params.get(PARAM.region), MAX_TEXT.region),
    industry: text(params.get(PARAM.industry), MAX_TEXT.industry),
    ownerId: uuid(params.get(PARAM.ownerId)),
    csmId: uuid(params.get(PARAM.csmId)),
    leadPartnerId: uuid(params.get(PARAM.leadPartnerId)),
    strategic: oneOf(['true', 'false'] as const, params.get(PARAM.strategic)),
    highPotential: oneOf(['true', 'false'] as const, params.get(PARAM.highPotential)),
    includeDeleted: params.get(PARAM.includeDeleted) === 'true' ? true : undefined,
    sort: oneOf(SORTS, params.get(PARAM.sort)) ?? DEFAULT_SORT,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_PAGE_SIZE,
    cursors: params
      .getAll(PARAM.cursor)
      .filter((c) => c.length > 0 && c.length <= MAX_CURSOR)
      .slice(-MAX_CURSORS),
  };
  return compact(state);
}

/** The URL of a list state (defaults and empty filters left out, so the plain list is a plain URL). */
export function toSearchParams(state: ListState): URLSearchParams {
  const params = new URLSearchParams();
  const set = (name: string, value: string | undefined) => {
    if (value !== undefined && value !== '') params.set(name, value);
  };
  set(PARAM.q, state.q?.trim());
  set(PARAM.tier, state.tier);
  set(PARAM.lifecycle, state.lifecycle);
  set(PARAM.leadChannel, state.leadChannel);
  set(PARAM.region, state.region?.trim());
  set(PARAM.industry, state.industry?.trim());
  set(PARAM.ownerId, state.ownerId);
  set(PARAM.csmId, state.csmId);
  set(PARAM.leadPartnerId, state.leadPartnerId);
  set(PARAM.strategic, state.strategic);
  set(PARAM.highPotential, state.highPotential);
  if (state.includeDeleted) params.set(PARAM.includeDeleted, 'true');
  if (state.sort !== DEFAULT_SORT) params.set(PARAM.sort, state.sort);
  if (state.pageSize !== DEFAULT_PAGE_SIZE) params.set(PARAM.pageSize, String(state.pageSize));
  for (const c of state.cursors) params.append(PARAM.cursor, c);
  return params;
}

/** The filters of the export (no paging): the same list as on screen, every page of it. */
export function toExportQuery(state: ListState): ExportAccountsQuery {
  const query: ExportAccountsQuery = { sort: state.sort };
  if (state.q?.trim()) query.namePrefix = state.q.trim();
  if (state.tier) query.tier = state.tier;
  if (state.lifecycle) query.lifecycle = state.lifecycle;
  if (state.leadChannel) query.leadChannel = state.leadChannel;
  if (state.region?.trim()) query.region = state.region.trim();
  if (state.industry?.trim()) query.industry = state.industry.trim();
  if (state.ownerId) query.ownerId = state.ownerId;
  if (state.csmId) query.csmId = state.csmId;
  if (state.leadPartnerId) query.leadPartnerId = state.leadPartnerId;
  if (state.strategic) query.strategic = state.strategic;
  if (state.highPotential) query.highPotential = state.highPotential;
  if (state.includeDeleted) query.includeDeleted = 'true';
  return query;
}

/** The listAccounts query of the page on screen. */
export function toListQuery(state: ListState): ListAccountsQuery {
  const query: ListAccountsQuery = { ...toExportQuery(state), limit: state.pageSize };
  const cursor = state.cursors.at(-1);
  if (cursor) query.cursor = cursor;
  return query;
}

/** Changes filters (or the sort, or the page size): back to the first page. */
export function withFilters(state: ListState, patch: Partial<Omit<ListState, 'cursors'>>): ListState {
  return compact({ ...state, ...patch, cursors: [] });
}

/** Forgets every filter, keeping the sort and the page size. */
export function clearFilters(state: ListState): ListState {
  return { sort: state.sort, pageSize: state.pageSize, cursors: [] };
}

export function nextPage(state: ListState, nextCursor: string): ListState {
  return { ...state, cursors: [...state.cursors, nextCursor].slice(-MAX_CURSORS) };
}

export function previousPage(state: ListState): ListState {
  return { ...state, cursors: state.cursors.slice(0, -1) };
}

/** The number of the page on screen (1 for the first). */
export const pageNumber = (state: ListState): number => state.cursors.length + 1;

/** How many filters narrow the list (for a "clear filters" affordance). */
export function activeFilterCount(state: ListState): number {
  const keys: (keyof ListFilters)[] = ['q', 'tier', 'lifecycle', 'leadChannel', 'region', 'industry', 'ownerId', 'csmId', 'leadPartnerId', 'strategic', 'highPotential', 'includeDeleted'];
  return keys.filter((k) => state[k] !== undefined && state[k] !== '' && state[k] !== false).length;
}

/** The table's sort order of a column under the list's sort. */
export function columnSortOrder(sort: Sort, field: SortField): 'ascend' | 'descend' | null {
  if (sort === field) return 'ascend';
  if (sort === `-${field}`) return 'descend';
  return null;
}

/** The list's sort after a click on a column header (no order: back to the default). */
export function sortFromTable(field: unknown, order: unknown): Sort {
  if (field !== 'name' && field !== 'createdAt' && field !== 'revenue12m') return DEFAULT_SORT;
  if (order === 'ascend') return field;
  if (order === 'descend') return `-${field}`;
  return DEFAULT_SORT;
}

/** Drops undefined, empty and false filters, so equal states compare (and serialise) equal. */
function compact(state: ListState): ListState {
  const out = { ...state } as Record<string, unknown>;
  for (const [k, v] of Object.entries(out)) if (v === undefined || v === '' || v === false) delete out[k];
  return out as unknown as ListState;
}
