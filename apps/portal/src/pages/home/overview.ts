// Pure logic of the overview: bounded concurrency, date windows, the shape of the tier movement,
// stakeholder gaps and projects going live. No React (unit-tested).

/** A gate that runs at most `limit` tasks at once, the others waiting their turn (first come, first served). */
export function createLimiter(limit: number): <R>(task: () => Promise<R>) => Promise<R> {
  let active = 0;
  const waiting: Array<() => void> = [];
  const next = () => {
    active--;
    waiting.shift()?.();
  };
  return <R>(task: () => Promise<R>) =>
    new Promise<R>((resolve, reject) => {
      const start = () => {
        active++;
        task().then(resolve, reject).finally(next);
      };
      if (active < Math.max(1, limit)) start();
      else waiting.push(start);
    });
}

/** Maps every item through `fn`, at most `limit` at a time (or through a shared gate); results in the items' order. */
export function mapLimit<T, R>(items: readonly T[], limit: number | (<X>(task: () => Promise<X>) => Promise<X>), fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const run = typeof limit === 'number' ? createLimiter(limit) : limit;
  return Promise.all(items.map((item, i) => run(() => fn(item, i))));
}

/** The first moment of last month, in the reader's time zone, as an ISO instant (`since` of the tier movement). */
export function firstDayOfLastMonth(now: Date): string {
  return new Date(now.getFullYear(), now.getMonth() - 1, 1, 0, 0, 0, 0).toISOString();
}

/** A local date as `YYYY-MM-DD`. */
export function isoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** From today to `days` days ahead (both included), as dates. */
export function dateWindow(now: Date, days: number): { from: string; to: string } {
  const to = new Date(now.getFullYear(), now.getMonth(), now.getDate() + days);
  return { from: isoDate(now), to: isoDate(to) };
}

type Tier = 1 | 2 | 3;

export interface MovementInput {
  moves: ReadonlyArray<{ fromTier: Tier; toTier: Tier; accounts: number }>;
  upgraded: number;
  downgraded: number;
  accounts: ReadonlyArray<{ accountId: string; name: string; fromTier: Tier; toTier: Tier; changedAt: string; reason: string }>;
  recordedSince: string | null;
}

export interface MovementView {
  upgraded: number;
  downgraded: number;
  /** Upgrades first (to the better tier), then by count. */
  moves: Array<{ fromTier: Tier; toTier: Tier; accounts: number; direction: 'up' | 'down' }>;
  latest: Array<{ accountId: string; name: string; fromTier: Tier; toTier: Tier; changedAt: string; reason: string; direction: 'up' | 'down' }>;
  /** Nothing moved in the period. */
  empty: boolean;
}

export function shapeMovement(m: MovementInput, latest = 8): MovementView {
  const direction = (from: Tier, to: Tier): 'up' | 'down' => (to < from ? 'up' : 'down');
  const moves = m.moves
    .filter((x) => x.accounts > 0 && x.fromTier !== x.toTier)
    .map((x) => ({ ...x, direction: direction(x.fromTier, x.toTier) }))
    .sort((a, b) => (a.direction === b.direction ? 0 : a.direction === 'up' ? -1 : 1) || b.accounts - a.accounts || a.fromTier - b.fromTier || a.toTier - b.toTier);
  const accounts = [...m.accounts]
    .filter((a) => a.fromTier !== a.toTier)
    .sort((a, b) => b.changedAt.localeCompare(a.changedAt))
    .slice(0, latest)
    .map((a) => ({ ...a, direction: direction(a.fromTier, a.toTier) }));
  return { upgraded: m.upgraded, downgraded: m.downgraded, moves, latest: accounts, empty: moves.length === 0 && m.upgraded === 0 && m.downgraded === 0 };
}

/** The stakeholder gaps the overview reports: no decision maker, no champion. */
export const KEY_GAPS = ['no-decision-maker', 'no-champion'] as const;
export type KeyGap = (typeof KEY_GAPS)[number];

export interface GapRow {
  accountId: string;
  name: string;
  tier: Tier;
  missing: KeyGap[];
}

/** The accounts (in the given order) missing a decision maker or a champion, with what is missing. */
export function keyGaps(maps: ReadonlyArray<{ account: { id: string; name: string; tier: Tier }; gaps: ReadonlyArray<{ code: string }> }>): GapRow[] {
  return maps.flatMap(({ account, gaps }) => {
    const missing = KEY_GAPS.filter((code) => gaps.some((g) => g.code === code));
    return missing.length ? [{ accountId: account.id, name: account.name, tier: account.tier, missing }] : [];
  });
}

export interface GoLiveRow {
  projectId: string;
  project: string;
  accountId: string;
  account: string;
  goLiveDate: string;
  status: string;
  kind: string;
}

/** Projects not retired with a go-live date within the window (dates included), soonest first. */
export function goingLive(
  byAccount: ReadonlyArray<{ account: { id: string; name: string }; projects: ReadonlyArray<{ id: string; name: string; goLiveDate: string | null; status: string; kind: string }> }>,
  window: { from: string; to: string },
): GoLiveRow[] {
  return byAccount
    .flatMap(({ account, projects }) =>
      projects
        .filter((p) => p.goLiveDate && p.status !== 'retired' && p.goLiveDate >= window.from && p.goLiveDate <= window.to)
        .map((p) => ({ projectId: p.id, project: p.name, accountId: account.id, account: account.name, goLiveDate: p.goLiveDate!, status: p.status, kind: p.kind })),
    )
    .sort((a, b) => a.goLiveDate.localeCompare(b.goLiveDate) || a.account.localeCompare(b.account) || a.project.localeCompare(b.project));
}
