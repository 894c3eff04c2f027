import { assertArray, assertBoolean, assertNonBlank, assertNullableString, assertObject, assertOneOf, assertString, DomainError, fail } from '@steward/domain-kernel';
import { AccountsErrorCode as Code, CHECK_CODES } from './errors';

/** A contact's role in buying (DOMAIN.md §1, stakeholder map / decision chain). */
export const BUYING_ROLES = ['decision-maker', 'economic-buyer', 'influencer', 'champion', 'end-user', 'blocker'] as const;
export type BuyingRole = (typeof BUYING_ROLES)[number];

export const INFLUENCE_LEVELS = ['low', 'medium', 'high'] as const;
export type InfluenceLevel = (typeof INFLUENCE_LEVELS)[number];

export interface StakeholderContact {
  id: string;
  name: string;
  title: string | null;
  department: string | null;
  buyingRole: BuyingRole;
  influence: InfluenceLevel;
  /** The contact this one reports to; an id missing from the list makes this contact a root. */
  reportsToId: string | null;
  /** The vendor has an active relationship with this contact. */
  engaged: boolean;
}

export const STAKEHOLDER_GAP_CODES = ['no-decision-maker', 'single-threaded', 'no-champion', 'blocker-unaddressed', 'hidden-influencer'] as const;
export type StakeholderGapCode = (typeof STAKEHOLDER_GAP_CODES)[number];

export interface StakeholderGap {
  code: StakeholderGapCode;
  message: string;
  /** The contacts the gap is about (input order); empty for "nobody has role X". */
  contactIds: string[];
}

export interface StakeholderNode extends StakeholderContact {
  /** Direct reports: influence high → low, then name, then id. */
  reports: StakeholderNode[];
  /** 0 for a root. */
  depth: number;
  /** High influence without a buying title: an end-user or influencer the map must surface. */
  hiddenInfluencer: boolean;
}

export interface StakeholderMap {
  /** Contacts reporting to nobody in the list, sorted like `reports`. */
  roots: StakeholderNode[];
  /** In `STAKEHOLDER_GAP_CODES` order; absent codes do not apply. */
  gaps: StakeholderGap[];
  counts: Record<BuyingRole, number>;
  engagedContacts: number;
}

/** Validates `{ id, reportsToId }` pairs; returns id → reportsToId. */
function reportingLines(contacts: unknown[], idField: (i: number) => string): Map<string, string | null> {
  const parent = new Map<string, string | null>();
  const index = new Map<string, number>();
  contacts.forEach((c, i) => {
    assertObject(c, `contacts[${i}]`, CHECK_CODES);
    const id = c['id'];
    assertNonBlank(id, idField(i), CHECK_CODES);
    const first = index.get(id);
    if (first !== undefined) fail(Code.DuplicateId, idField(i), `duplicates contacts[${first}].id ${JSON.stringify(id)}`, { id, firstIndex: first });
    index.set(id, i);
    const reportsToId = c['reportsToId'];
    assertNullableString(reportsToId, `contacts[${i}].reportsToId`, CHECK_CODES);
    parent.set(id, reportsToId);
  });
  return parent;
}

/**
 * Returns the cycle as a list of ids (start … start) if setting `contactId.reportsTo = reportsToId`
 * would create one (incl. self-reference), else null. A loop that already exists elsewhere in the
 * list and does not pass through `contactId` is not this change's doing: null.
 */
export function findReportsToCycle(contacts: Array<Pick<StakeholderContact, 'id' | 'reportsToId'>>, contactId: string, reportsToId: string | null): string[] | null {
  assertArray(contacts, 'contacts', CHECK_CODES);
  const parent = reportingLines(contacts, (i) => `contacts[${i}].id`);
  assertNonBlank(contactId, 'contactId', CHECK_CODES);
  assertNullableString(reportsToId, 'reportsToId', CHECK_CODES);
  const path = [contactId];
  const visited = new Set<string>();
  for (let cur = reportsToId; cur !== null; cur = parent.get(cur) ?? null) {
    path.push(cur);
    if (cur === contactId) return path;
    if (visited.has(cur)) return null;
    visited.add(cur);
  }
  return null;
}

const INFLUENCE_RANK: Record<InfluenceLevel, number> = { high: 0, medium: 1, low: 2 };
const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function byInfluenceThenName(a: StakeholderNode, b: StakeholderNode): number {
  return INFLUENCE_RANK[a.influence] - INFLUENCE_RANK[b.influence] || collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1);
}

function parseContact(c: unknown, i: number): StakeholderContact {
  const f = `contacts[${i}]`;
  assertObject(c, f, CHECK_CODES);
  assertString(c['name'], `${f}.name`, CHECK_CODES);
  assertNullableString(c['title'], `${f}.title`, CHECK_CODES);
  assertNullableString(c['department'], `${f}.department`, CHECK_CODES);
  assertOneOf(c['buyingRole'], BUYING_ROLES, `${f}.buyingRole`, CHECK_CODES);
  assertOneOf(c['influence'], INFLUENCE_LEVELS, `${f}.influence`, CHECK_CODES);
  assertBoolean(c['engaged'], `${f}.engaged`, CHECK_CODES);
  return {
    id: c['id'] as string,
    name: c['name'],
    title: c['title'],
    department: c['department'],
    buyingRole: c['buyingRole'],
    influence: c['influence'],
    reportsToId: c['reportsToId'] as string | null,
    engaged: c['engaged'],
  };
}

const sameDepartment = (a: string | null, b: string | null): boolean =>
  a !== null && b !== null && a.trim() !== '' && a.trim().toLowerCase() === b.trim().toLowerCase();

function cycleError(nodes: Map<string, StakeholderNode>, index: Map<string, number>, start: string): DomainError {
  // `start` was not reached from any root, so walking up from it must loop.
  const seen: string[] = [];
  let cur = start;
  while (!seen.includes(cur)) {
    seen.push(cur);
    cur = nodes.get(cur)!.reportsToId!;
  }
  const cycle = [...seen.slice(seen.indexOf(cur)), cur];
  return new DomainError(Code.ReportsToCycle, `contacts[${index.get(cur)}].reportsToId`, `reporting lines loop: ${cycle.join(' → ')}`, { cycle });
}

/**
 * The account's decision chain as a reporting tree, with role counts and the gaps a CSM should
 * close (see README, "Stakeholder gaps"). Throws `DomainError` (`@steward/domain-kernel`) on
 * invalid input or when stored reporting lines loop (`ReportsToCycle`).
 */
export function buildStakeholderMap(contacts: StakeholderContact[]): StakeholderMap {
  assertArray(contacts, 'contacts', CHECK_CODES);
  reportingLines(contacts, (i) => `contacts[${i}].id`);
  const parsed = contacts.map(parseContact);
  const index = new Map(parsed.map((c, i) => [c.id, i]));
  const nodes = new Map<string, StakeholderNode>();
  for (const c of parsed) {
    const hiddenInfluencer = c.influence === 'high' && (c.buyingRole === 'end-user' || c.buyingRole === 'influencer');
    nodes.set(c.id, { ...c, reports: [], depth: 0, hiddenInfluencer });
  }

  const roots: StakeholderNode[] = [];
  for (const node of nodes.values()) {
    const boss = node.reportsToId === null ? undefined : nodes.get(node.reportsToId);
    if (boss) boss.reports.push(node);
    else roots.push(node);
  }
  // Breadth-first, no recursion: a 10,000-deep chain must not blow the stack.
  roots.sort(byInfluenceThenName);
  const queue = [...roots];
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q]!;
    node.reports.sort(byInfluenceThenName);
    for (const child of node.reports) {
      child.depth = node.depth + 1;
      queue.push(child);
    }
  }
  if (queue.length < nodes.size) {
    const reached = new Set(queue.map((n) => n.id));
    throw cycleError(nodes, index, parsed.find((c) => !reached.has(c.id))!.id);
  }

  const counts = Object.fromEntries(BUYING_ROLES.map((r) => [r, 0])) as Record<BuyingRole, number>;
  for (const c of parsed) counts[c.buyingRole]++;
  const engaged = parsed.filter((c) => c.engaged).map((c) => c.id);

  const gaps: StakeholderGap[] = [];
  if (counts['decision-maker'] === 0) {
    gaps.push({ code: 'no-decision-maker', message: 'No decision maker is known for this account.', contactIds: [] });
  }
  if (engaged.length <= 1) {
    const message =
      engaged.length === 0 ? 'No contact is engaged: the account has no thread at all.' : 'Only one contact is engaged: the relationship hangs on a single thread.';
    gaps.push({ code: 'single-threaded', message, contactIds: engaged });
  }
  if (counts.champion === 0) {
    gaps.push({ code: 'no-champion', message: 'No champion is known for this account.', contactIds: [] });
  }
  const champions = parsed.filter((c) => c.buyingRole === 'champion');
  const unaddressed = parsed.filter((c) => {
    if (c.buyingRole !== 'blocker' || c.influence !== 'high') return false;
    if (champions.some((ch) => sameDepartment(ch.department, c.department))) return false;
    for (let boss = nodes.get(c.reportsToId ?? ''); boss; boss = nodes.get(boss.reportsToId ?? '')) {
      if (boss.engaged) return false;
    }
    return true;
  });
  if (unaddressed.length > 0) {
    gaps.push({
      code: 'blocker-unaddressed',
      message: `${unaddressed.length} high-influence blocker(s) with no engaged contact above them and no champion in their department.`,
      contactIds: unaddressed.map((c) => c.id),
    });
  }
  const hidden = parsed.filter((c) => nodes.get(c.id)!.hiddenInfluencer);
  if (hidden.length > 0 && !hidden.some((c) => c.engaged)) {
    gaps.push({
      code: 'hidden-influencer',
      message: `${hidden.length} high-influence contact(s) without a buying title, none of them engaged.`,
      contactIds: hidden.map((c) => c.id),
    });
  }

  return { roots, gaps, counts, engagedContacts: engaged.length };
}
