/** A team member as the queue sees them when it assigns. */
export interface Candidate {
  userId: string;
  skills: readonly string[];
  capacity: number;
  active: boolean;
  /** Open tickets assigned to them (across teams). */
  open: number;
  lastAssignedAt: string | null;
}

export type AssignmentStrategy = 'round-robin' | 'least-loaded' | 'manual';

/**
 * Picks who gets a ticket in a queue: only active members with every required skill and
 * room under their capacity. Round robin: whoever was assigned longest ago (never first);
 * least loaded: the lowest open/capacity share, then longest ago. Ties break on the user id,
 * so the choice is deterministic. Null: nobody qualifies (the ticket waits in the queue).
 */
export function pickAssignee(candidates: readonly Candidate[], strategy: AssignmentStrategy, requiredSkills: readonly string[]): Candidate | null {
  if (strategy === 'manual') return null;
  const eligible = candidates.filter((c) => c.active && c.open < c.capacity && requiredSkills.every((s) => c.skills.includes(s)));
  if (eligible.length === 0) return null;
  const last = (c: Candidate) => (c.lastAssignedAt === null ? -Infinity : Date.parse(c.lastAssignedAt));
  const byTurn = (a: Candidate, b: Candidate) => last(a) - last(b) || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
  const sorted = [...eligible].sort(strategy === 'least-loaded' ? (a, b) => a.open / a.capacity - b.open / b.capacity || byTurn(a, b) : byTurn);
  return sorted[0];
}

/** Recovery rules (libs/support-domain `RecoveryRule`) a trigger matches, in policy order. */
export interface RecoveryFacts {
  on: 'breach' | 'complaint';
  level: string;
  tier: number | null;
  priority: string;
  /** The breached clock's kind (breach only). */
  clock?: string;
}

export function matchingRecoveryRules<R extends { id: string; on: string; when?: { levels?: string[]; tiers?: number[]; priorities?: string[]; clocks?: string[] } }>(rules: readonly R[], f: RecoveryFacts): R[] {
  const inList = <T>(list: readonly T[] | undefined, v: T | null | undefined) => list === undefined || (v !== null && v !== undefined && list.includes(v));
  return rules.filter((r) => r.on === f.on && inList(r.when?.levels, f.level) && inList(r.when?.tiers, f.tier) && inList(r.when?.priorities, f.priority) && inList(r.when?.clocks, f.clock));
}
