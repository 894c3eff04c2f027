import { isRecord, PROJECT_KINDS, PROJECT_LEADS, PROJECT_SIZES, SUPPORT_LEVELS, TICKET_CATEGORIES, TIERS, type DomainIssue, type ProjectKind, type ProjectLead, type ProjectSize, type SupportLevel, type TicketCategory, type Tier } from '@steward/domain-kernel';
import { SupportDomainErrorCode } from './errors';

/** L1 = vendor-led large projects (delivery centre), L2 = partner-led, L3 = direct/dealer customers (the kernel's vocabulary). */
export { SUPPORT_LEVELS, type SupportLevel };

// Project kinds, sizes and leads and the account tier are shared vocabulary (the kernel's);
// re-exported so a caller builds a routing input from this library alone.
export { PROJECT_KINDS, PROJECT_LEADS, PROJECT_SIZES, TIERS, type ProjectKind, type ProjectLead, type ProjectSize, type Tier };
export const COMPLEXITIES = ['simple', 'standard', 'complex'] as const;
/** Ticket categories (the kernel's vocabulary); `complaint` was added after the first five. */
export { TICKET_CATEGORIES, type TicketCategory };
/** What an entitlement grants: a support level, or `none` when no plan grants one. */
export const ENTITLEMENT_VALUES = ['L1', 'L2', 'L3', 'none'] as const;

export type Complexity = (typeof COMPLEXITIES)[number];
export type EntitlementValue = (typeof ENTITLEMENT_VALUES)[number];

/**
 * Conditions of a rule: every listed field must match (AND); a list matches any of its
 * values (OR). An empty `when` is a catch-all. A project without `complexity` never
 * matches a `complexity` condition.
 */
export interface RuleConditions {
  kind?: ProjectKind[];
  size?: ProjectSize[];
  lead?: ProjectLead[];
  complexity?: Complexity[];
  region?: string[];
  tier?: Tier[];
  strategic?: boolean;
  entitlement?: EntitlementValue[];
  category?: TicketCategory[];
}

/**
 * One routing rule. Queue names may hold `{region}` (the project's region) and
 * `{deliveryTeam}` (the project's named delivery centre team, or its region when unnamed).
 */
export interface SupportRule {
  id: string;
  /** Why the rule exists, in words; shown in the routing explanation. */
  description?: string;
  when: RuleConditions;
  level: SupportLevel;
  firstQueue: string;
  /** Queues to escalate to after `firstQueue`, in order. */
  escalationChain: string[];
}

/** A tenant's routing policy: rules evaluated in order, first match wins, last rule a catch-all. */
export interface SupportPolicy {
  rules: SupportRule[];
}

export const QUEUE_PLACEHOLDERS = ['region', 'deliveryTeam'] as const;

const DELIVERY_CENTRE = 'delivery-centre/{deliveryTeam}';
const BRANCH = 'branch-technical/{region}';
const CALL_CENTRE = 'call-centre';
const EXPERTS = 'technical-experts';
const PRODUCT_LINE = 'product-line/{region}';
const AFTER_SALES = 'after-sales-field-service';

/**
 * DOMAIN.md §2 as data. Entitlements raise the level through rule order: an L1 or L2
 * grant is checked before the rules of the lower levels, so it never lowers one. For
 * partner-led projects "complex or large" (branch) is checked before "small or simple"
 * (call centre), so a conflicting large-but-simple project gets the stronger team.
 */
export const defaultSupportPolicy: SupportPolicy = {
  rules: [
    {
      id: 'l1-vendor-large',
      description: 'Vendor-led large projects get one-stop service from their named delivery centre team.',
      when: { lead: ['vendor'], size: ['large'] },
      level: 'L1',
      firstQueue: DELIVERY_CENTRE,
      escalationChain: [PRODUCT_LINE, BRANCH],
    },
    {
      id: 'l1-entitled',
      description: 'A catalog plan granting L1 raises any project to the delivery centre.',
      when: { entitlement: ['L1'] },
      level: 'L1',
      firstQueue: DELIVERY_CENTRE,
      escalationChain: [PRODUCT_LINE, BRANCH],
    },
    {
      id: 'l2-partner-complex',
      description: 'Complex partner-led projects go to the branch technical team of their region.',
      when: { lead: ['partner'], complexity: ['complex'] },
      level: 'L2',
      firstQueue: BRANCH,
      escalationChain: [EXPERTS, PRODUCT_LINE],
    },
    {
      id: 'l2-partner-large',
      description: 'Large partner-led projects go to the branch technical team of their region.',
      when: { lead: ['partner'], size: ['large'] },
      level: 'L2',
      firstQueue: BRANCH,
      escalationChain: [EXPERTS, PRODUCT_LINE],
    },
    {
      id: 'l2-partner-small',
      description: 'Small partner-led projects go to the call centre.',
      when: { lead: ['partner'], size: ['small'] },
      level: 'L2',
      firstQueue: CALL_CENTRE,
      escalationChain: [BRANCH, EXPERTS],
    },
    {
      id: 'l2-partner-simple',
      description: 'Partner-led projects flagged simple go to the call centre.',
      when: { lead: ['partner'], complexity: ['simple'] },
      level: 'L2',
      firstQueue: CALL_CENTRE,
      escalationChain: [BRANCH, EXPERTS],
    },
    {
      id: 'l2-partner-mid',
      description: 'Mid-size partner-led projects of standard or unknown complexity go to the branch technical team.',
      when: { lead: ['partner'] },
      level: 'L2',
      firstQueue: BRANCH,
      escalationChain: [EXPERTS, PRODUCT_LINE],
    },
    {
      id: 'l2-vendor-mid-small',
      description: 'Vendor-led projects below large size (DOMAIN.md leaves them open) go to the branch of their region.',
      when: { lead: ['vendor'] },
      level: 'L2',
      firstQueue: BRANCH,
      escalationChain: [EXPERTS, PRODUCT_LINE],
    },
    {
      id: 'l2-entitled',
      description: 'A catalog plan granting L2 raises direct and dealer customers to the branch technical team.',
      when: { entitlement: ['L2'] },
      level: 'L2',
      firstQueue: BRANCH,
      escalationChain: [EXPERTS, PRODUCT_LINE],
    },
    {
      id: 'l3-field-service',
      description: 'Installation, repair and returns (RMA) go straight to after-sales field service after triage.',
      when: { category: ['install', 'repair', 'return'] },
      level: 'L3',
      firstQueue: AFTER_SALES,
      escalationChain: [EXPERTS],
    },
    {
      id: 'l3-default',
      description: 'Direct and dealer customers (and anything else): call centre, then technical experts, then after-sales.',
      when: {},
      level: 'L3',
      firstQueue: CALL_CENTRE,
      escalationChain: [EXPERTS, AFTER_SALES],
    },
  ],
};

const CONDITION_VALUES: Record<Exclude<keyof RuleConditions, 'strategic' | 'region'>, readonly unknown[]> = {
  kind: PROJECT_KINDS,
  size: PROJECT_SIZES,
  lead: PROJECT_LEADS,
  complexity: COMPLEXITIES,
  tier: TIERS,
  entitlement: ENTITLEMENT_VALUES,
  category: TICKET_CATEGORIES,
};
const RULE_KEYS = new Set(['id', 'description', 'when', 'level', 'firstQueue', 'escalationChain']);
const PLACEHOLDER = /\{([^}]*)\}/g;

/**
 * Checks a tenant policy and returns every problem with the path of the bad field
 * (e.g. `rules[2].when.size[0]`); an empty list means valid.
 */
export function validateSupportPolicy(policy: unknown, field = 'policy'): DomainIssue[] {
  const issues: DomainIssue[] = [];
  const add = (code: SupportDomainErrorCode, f: string, message: string): void => {
    issues.push({ code, field: f, message });
  };
  if (!isRecord(policy) || !Array.isArray(policy.rules) || policy.rules.length === 0) {
    add(SupportDomainErrorCode.Required, `${field}.rules`, 'expected a non-empty array of rules');
    return issues;
  }
  for (const key of Object.keys(policy)) if (key !== 'rules') add(SupportDomainErrorCode.UnknownField, `${field}.${key}`, 'unknown policy field');
  const ids = new Set<string>();
  const rules: unknown[] = policy.rules;
  rules.forEach((rule, i) => {
    const f = `${field}.rules[${i}]`;
    if (!isRecord(rule)) {
      add(SupportDomainErrorCode.Required, f, 'expected a rule object');
      return;
    }
    for (const key of Object.keys(rule)) if (!RULE_KEYS.has(key)) add(SupportDomainErrorCode.UnknownField, `${f}.${key}`, 'unknown rule field');
    if (typeof rule.id !== 'string' || rule.id.trim() === '') add(SupportDomainErrorCode.Required, `${f}.id`, 'expected a non-empty id');
    else if (ids.has(rule.id)) add(SupportDomainErrorCode.DuplicateId, `${f}.id`, `id ${rule.id} is used twice`);
    else ids.add(rule.id);
    if (rule.description !== undefined && typeof rule.description !== 'string') add(SupportDomainErrorCode.InvalidValue, `${f}.description`, 'expected text');
    if (!(SUPPORT_LEVELS as readonly unknown[]).includes(rule.level)) add(SupportDomainErrorCode.InvalidValue, `${f}.level`, `expected L1, L2 or L3, got ${JSON.stringify(rule.level)}`);
    checkQueue(rule.firstQueue, `${f}.firstQueue`, add);
    if (!Array.isArray(rule.escalationChain)) add(SupportDomainErrorCode.Required, `${f}.escalationChain`, 'expected an array of queue names (may be empty)');
    else rule.escalationChain.forEach((q: unknown, k) => checkQueue(q, `${f}.escalationChain[${k}]`, add));
    if (!isRecord(rule.when)) {
      add(SupportDomainErrorCode.Required, `${f}.when`, 'expected conditions ({} for a catch-all)');
      return;
    }
    const when = rule.when;
    for (const [key, value] of Object.entries(when)) {
      const wf = `${f}.when.${key}`;
      if (key === 'strategic') {
        if (typeof value !== 'boolean') add(SupportDomainErrorCode.InvalidValue, wf, 'expected true or false');
        continue;
      }
      if (!(key in CONDITION_VALUES) && key !== 'region') {
        add(SupportDomainErrorCode.UnknownField, wf, `unknown condition; expected one of ${[...Object.keys(CONDITION_VALUES), 'region', 'strategic'].join(', ')}`);
        continue;
      }
      if (!Array.isArray(value) || value.length === 0) {
        add(SupportDomainErrorCode.InvalidValue, wf, 'expected a non-empty list of values');
        continue;
      }
      const allowed = key === 'region' ? null : CONDITION_VALUES[key as keyof typeof CONDITION_VALUES];
      value.forEach((v: unknown, k) => {
        const ok = allowed === null ? typeof v === 'string' && v !== '' : allowed.includes(v);
        if (!ok) add(SupportDomainErrorCode.InvalidValue, `${wf}[${k}]`, `got ${JSON.stringify(v)}${allowed ? `; expected one of ${allowed.join(', ')}` : ''}`);
      });
    }
    const catchAll = Object.keys(when).length === 0;
    if (catchAll && i < rules.length - 1) add(SupportDomainErrorCode.UnreachableRule, `${field}.rules[${i + 1}]`, `rule follows the catch-all ${String(rule.id)} and can never match`);
    if (!catchAll && i === rules.length - 1) add(SupportDomainErrorCode.MissingCatchAll, `${f}.when`, 'the last rule must be a catch-all (when: {}) so every ticket is routed');
  });
  return issues;
}

function checkQueue(q: unknown, f: string, add: (code: SupportDomainErrorCode, f: string, message: string) => void): void {
  if (typeof q !== 'string' || q.trim() === '') {
    add(SupportDomainErrorCode.Required, f, 'expected a queue name');
    return;
  }
  for (const m of q.matchAll(PLACEHOLDER)) {
    if (!(QUEUE_PLACEHOLDERS as readonly string[]).includes(m[1])) add(SupportDomainErrorCode.InvalidValue, f, `unknown placeholder {${m[1]}}; use {region} or {deliveryTeam}`);
  }
}
