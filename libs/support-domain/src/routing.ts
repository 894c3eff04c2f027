import {
  assertOneOf,
  DomainError,
  fail,
  PROJECT_KINDS,
  PROJECT_LEADS,
  PROJECT_SIZES,
  TIERS,
  type ProjectKind,
  type ProjectLead,
  type ProjectSize,
  type Tier,
} from '@steward/domain-kernel';
import { SupportDomainErrorCode } from './errors';
import {
  COMPLEXITIES,
  defaultSupportPolicy,
  SUPPORT_LEVELS,
  TICKET_CATEGORIES,
  validateSupportPolicy,
  type Complexity,
  type RuleConditions,
  type SupportLevel,
  type SupportPolicy,
  type SupportRule,
  type TicketCategory,
} from './support-policy';

/** The installed base item the ticket is about. */
export interface ProjectProfile {
  kind: ProjectKind;
  size: ProjectSize;
  /** Who led the sale/delivery. */
  lead: ProjectLead;
  region: string;
  complexity?: Complexity;
  /** Named delivery centre team (L1); `{deliveryTeam}` falls back to the region when absent. */
  deliveryTeam?: string;
}

export interface AccountProfile {
  tier: Tier;
  strategic: boolean;
}

/** What the account's catalog plan grants; absent or without level = nothing granted. */
export interface SupportEntitlement {
  supportLevel?: SupportLevel;
}

export interface RouteTicketInput {
  project: ProjectProfile;
  account: AccountProfile;
  entitlement?: SupportEntitlement | null;
  category: TicketCategory;
  /** Tenant policy; `defaultSupportPolicy` when absent. */
  policy?: SupportPolicy;
}

export interface RoutingDecision {
  level: SupportLevel;
  firstQueue: string;
  escalationChain: string[];
  rule: { id: string; explanation: string };
}

/**
 * Picks the support level, first queue and escalation chain for a ticket: the first rule
 * of the policy whose conditions all match wins; the explanation says why in words.
 */
export function routeTicket(input: RouteTicketInput): RoutingDecision {
  if (typeof input !== 'object' || input === null) return fail(SupportDomainErrorCode.Required, 'input', 'expected {project, account, entitlement, category, policy}');
  const policy = input.policy ?? defaultSupportPolicy;
  DomainError.throwIfAny(validateSupportPolicy(policy));
  const project = checkProject(input.project);
  const account = checkAccount(input.account);
  const entitled = checkEntitlement(input.entitlement);
  oneOf(input.category, TICKET_CATEGORIES, 'category');
  const facts: Facts = { ...project, ...account, entitlement: entitled ?? 'none', category: input.category };
  const index = policy.rules.findIndex((r) => matches(r.when, facts));
  // validateSupportPolicy guarantees a catch-all last rule, so a match always exists.
  const rule = policy.rules[index];
  const fill = (q: string): string => q.replaceAll('{region}', project.region).replaceAll('{deliveryTeam}', project.deliveryTeam ?? project.region);
  const firstQueue = fill(rule.firstQueue);
  const escalationChain = rule.escalationChain.map(fill);
  return { level: rule.level, firstQueue, escalationChain, rule: { id: rule.id, explanation: explain(rule, index, policy.rules.length, firstQueue, escalationChain) } };
}

type Facts = ProjectProfile & AccountProfile & { entitlement: SupportLevel | 'none'; category: TicketCategory };

function matches(when: RuleConditions, f: Facts): boolean {
  const inList = <T>(list: readonly T[] | undefined, v: T | undefined): boolean => list === undefined || (v !== undefined && list.includes(v));
  return (
    inList(when.kind, f.kind) &&
    inList(when.size, f.size) &&
    inList(when.lead, f.lead) &&
    inList(when.complexity, f.complexity) &&
    inList(when.region, f.region) &&
    inList(when.tier, f.tier) &&
    (when.strategic === undefined || when.strategic === f.strategic) &&
    inList(when.entitlement, f.entitlement) &&
    inList(when.category, f.category)
  );
}

const CONDITION_WORDS: Record<keyof RuleConditions, string> = {
  kind: 'project kind',
  size: 'size',
  lead: 'lead channel',
  complexity: 'complexity',
  region: 'region',
  tier: 'account tier',
  strategic: 'strategic account',
  entitlement: 'entitled level',
  category: 'category',
};

function explain(rule: SupportRule, index: number, count: number, firstQueue: string, chain: string[]): string {
  const conditions = Object.entries(rule.when).map(([key, value]) => {
    const words = CONDITION_WORDS[key as keyof RuleConditions];
    if (typeof value === 'boolean') return `${words} is ${value ? 'yes' : 'no'}`;
    const list = value as unknown[];
    return list.length === 1 ? `${words} is ${String(list[0])}` : `${words} is one of ${list.join(', ')}`;
  });
  const why = conditions.length === 0 ? 'no earlier rule matched (catch-all)' : conditions.join(' and ');
  const escalation = chain.length === 0 ? 'no further escalation' : `escalation ${chain.join(' → ')}`;
  const description = rule.description ? ` ${rule.description}` : '';
  return `Rule ${rule.id} (${index + 1} of ${count}): ${why} → ${rule.level}, first queue ${firstQueue}, ${escalation}.${description}`;
}

function oneOf<const T extends string | number>(value: unknown, allowed: readonly T[], field: string): T {
  assertOneOf(value, allowed, field, SupportDomainErrorCode.InvalidValue);
  return value;
}

function checkProject(p: unknown): ProjectProfile {
  if (typeof p !== 'object' || p === null) return fail(SupportDomainErrorCode.Required, 'project', 'expected {kind, size, lead, region, complexity?}');
  const project = p as Partial<ProjectProfile>;
  oneOf(project.kind, PROJECT_KINDS, 'project.kind');
  oneOf(project.size, PROJECT_SIZES, 'project.size');
  oneOf(project.lead, PROJECT_LEADS, 'project.lead');
  if (typeof project.region !== 'string' || project.region.trim() === '') fail(SupportDomainErrorCode.Required, 'project.region', 'expected a region name');
  if (project.complexity !== undefined) oneOf(project.complexity, COMPLEXITIES, 'project.complexity');
  if (project.deliveryTeam !== undefined && (typeof project.deliveryTeam !== 'string' || project.deliveryTeam.trim() === '')) {
    fail(SupportDomainErrorCode.InvalidValue, 'project.deliveryTeam', 'expected a team name');
  }
  return project as ProjectProfile;
}

function checkAccount(a: unknown): AccountProfile {
  if (typeof a !== 'object' || a === null) return fail(SupportDomainErrorCode.Required, 'account', 'expected {tier, strategic}');
  const account = a as Partial<AccountProfile>;
  oneOf(account.tier, TIERS, 'account.tier');
  if (typeof account.strategic !== 'boolean') fail(SupportDomainErrorCode.Required, 'account.strategic', 'expected true or false');
  return account as AccountProfile;
}

function checkEntitlement(e: unknown): SupportLevel | undefined {
  if (e === undefined || e === null) return undefined;
  if (typeof e !== 'object') return fail(SupportDomainErrorCode.InvalidValue, 'entitlement', 'expected {supportLevel?}');
  const level = (e as SupportEntitlement).supportLevel;
  return level === undefined ? undefined : oneOf(level, SUPPORT_LEVELS, 'entitlement.supportLevel');
}
