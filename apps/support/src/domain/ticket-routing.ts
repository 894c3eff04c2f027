import { routeTicket, type ProjectProfile, type SupportPolicyDocument, type TicketCategory } from '@steward/support-domain';
import type { ProjectKind, ProjectLead, ProjectSize, SupportLevel } from '@steward/domain-kernel';

export interface RoutingAccount {
  name: string;
  region: string | null;
  tier: 1 | 2 | 3;
  strategic: boolean;
  leadChannel: string;
}
export interface RoutingProject {
  kind: string;
  size: string;
  lead: string;
  region: string | null;
}

export interface RoutedTicket {
  level: SupportLevel;
  ruleId: string;
  explanation: string;
  /** The queue of each step, placeholders filled: `[firstQueue, ...escalationChain]`. */
  steps: string[];
  /** The same as the rule writes them (hand-off targets are keyed by these). */
  templates: string[];
  facts: { lead: string; size: string; kind: string; region: string; tier: number; strategic: boolean; entitlement: string };
  region: string;
}

/** A ticket without a project is about a plain purchase, led the way the account came (direct, partner or dealer). */
const LEAD_OF_CHANNEL: Record<string, ProjectLead> = { direct: 'direct', partner: 'partner', dealer: 'dealer' };
export const UNKNOWN_REGION = 'unknown';

/**
 * Routes a ticket with the policy's rules (libs/support-domain `routeTicket`): the project's
 * kind, size, lead and region (else the account's region), the account's tier and strategic
 * flag, the entitlement the plan grants, the category. The account's named delivery-centre
 * team is the account itself (`delivery-centre/<account name>`).
 */
export function routeFor(doc: SupportPolicyDocument, account: RoutingAccount, project: RoutingProject | null, entitlement: string | null, category: TicketCategory): RoutedTicket {
  const region = project?.region ?? account.region ?? UNKNOWN_REGION;
  const profile: ProjectProfile = project
    ? { kind: project.kind as ProjectKind, size: project.size as ProjectSize, lead: project.lead as ProjectLead, region, deliveryTeam: account.name }
    : { kind: 'purchase', size: 'small', lead: LEAD_OF_CHANNEL[account.leadChannel] ?? 'direct', region, deliveryTeam: account.name };
  const decision = routeTicket({
    project: profile,
    account: { tier: account.tier, strategic: account.strategic },
    entitlement: entitlement ? { supportLevel: entitlement as SupportLevel } : null,
    category,
    policy: { rules: doc.rules },
  });
  const rule = doc.rules.find((r) => r.id === decision.rule.id)!;
  return {
    level: decision.level,
    ruleId: decision.rule.id,
    explanation: decision.rule.explanation,
    steps: [decision.firstQueue, ...decision.escalationChain],
    templates: [rule.firstQueue, ...rule.escalationChain],
    facts: { lead: profile.lead, size: profile.size, kind: profile.kind, region, tier: account.tier, strategic: account.strategic, entitlement: entitlement ?? 'none' },
    region,
  };
}
