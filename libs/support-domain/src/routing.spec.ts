import { SupportDomainErrorCode } from './errors';
import { routeTicket, type AccountProfile, type ProjectProfile, type RouteTicketInput } from './routing';
import { defaultSupportPolicy, validateSupportPolicy, type SupportLevel, type SupportPolicy, type TicketCategory } from './support-policy';

const makeProject = (overrides: Partial<ProjectProfile> = {}): ProjectProfile => ({ kind: 'project', size: 'mid', lead: 'direct', region: 'north', ...overrides });
const tier3: AccountProfile = { tier: 3, strategic: false };

function route(project: Partial<ProjectProfile>, category: TicketCategory = 'incident', entitlement?: SupportLevel, extra: Partial<RouteTicketInput> = {}) {
  return routeTicket({ project: makeProject(project), account: tier3, entitlement: entitlement ? { supportLevel: entitlement } : undefined, category, ...extra });
}

describe('routeTicket with the default policy (DOMAIN.md §2)', () => {
  it.each<[string, Partial<ProjectProfile>, TicketCategory, SupportLevel | undefined, string, SupportLevel, string, string[]]>([
    ['vendor-led large → L1, named delivery centre team', { lead: 'vendor', size: 'large', deliveryTeam: 'dc-munich' }, 'incident', undefined, 'l1-vendor-large', 'L1', 'delivery-centre/dc-munich', ['product-line/north', 'branch-technical/north']],
    ['vendor-led large without a named team → the region’s delivery centre', { lead: 'vendor', size: 'large' }, 'repair', undefined, 'l1-vendor-large', 'L1', 'delivery-centre/north', ['product-line/north', 'branch-technical/north']],
    ['vendor-led large with an L3 plan is not lowered', { lead: 'vendor', size: 'large' }, 'question', 'L3', 'l1-vendor-large', 'L1', 'delivery-centre/north', ['product-line/north', 'branch-technical/north']],
    ['an L1 plan raises a direct customer to L1', { lead: 'direct', size: 'small' }, 'question', 'L1', 'l1-entitled', 'L1', 'delivery-centre/north', ['product-line/north', 'branch-technical/north']],
    ['an L1 plan raises a partner-led project to L1', { lead: 'partner', size: 'small' }, 'incident', 'L1', 'l1-entitled', 'L1', 'delivery-centre/north', ['product-line/north', 'branch-technical/north']],
    ['partner-led complex (even small) → L2 branch of the project’s region', { lead: 'partner', size: 'small', complexity: 'complex', region: 'south' }, 'incident', undefined, 'l2-partner-complex', 'L2', 'branch-technical/south', ['technical-experts', 'product-line/south']],
    ['partner-led large (even simple) → L2 branch', { lead: 'partner', size: 'large', complexity: 'simple' }, 'incident', undefined, 'l2-partner-large', 'L2', 'branch-technical/north', ['technical-experts', 'product-line/north']],
    ['partner-led small → L2 call centre', { lead: 'partner', size: 'small' }, 'question', undefined, 'l2-partner-small', 'L2', 'call-centre', ['branch-technical/north', 'technical-experts']],
    ['partner-led mid but simple → L2 call centre', { lead: 'partner', size: 'mid', complexity: 'simple' }, 'question', undefined, 'l2-partner-simple', 'L2', 'call-centre', ['branch-technical/north', 'technical-experts']],
    ['partner-led mid of standard complexity → L2 branch', { lead: 'partner', size: 'mid', complexity: 'standard' }, 'incident', undefined, 'l2-partner-mid', 'L2', 'branch-technical/north', ['technical-experts', 'product-line/north']],
    ['partner-led mid with unknown complexity → L2 branch', { lead: 'partner', size: 'mid' }, 'repair', undefined, 'l2-partner-mid', 'L2', 'branch-technical/north', ['technical-experts', 'product-line/north']],
    ['partner-led with an L2 plan stays on its partner rule', { lead: 'partner', size: 'small' }, 'question', 'L2', 'l2-partner-small', 'L2', 'call-centre', ['branch-technical/north', 'technical-experts']],
    ['vendor-led mid → L2 branch (DOMAIN leaves it open)', { lead: 'vendor', size: 'mid' }, 'incident', undefined, 'l2-vendor-mid-small', 'L2', 'branch-technical/north', ['technical-experts', 'product-line/north']],
    ['vendor-led small purchase → L2 branch', { lead: 'vendor', size: 'small', kind: 'purchase' }, 'question', undefined, 'l2-vendor-mid-small', 'L2', 'branch-technical/north', ['technical-experts', 'product-line/north']],
    ['an L2 plan raises a dealer customer to the branch', { lead: 'dealer', size: 'small' }, 'repair', 'L2', 'l2-entitled', 'L2', 'branch-technical/north', ['technical-experts', 'product-line/north']],
    ['direct install → L3 after-sales right after triage', { lead: 'direct' }, 'install', undefined, 'l3-field-service', 'L3', 'after-sales-field-service', ['technical-experts']],
    ['dealer repair → L3 after-sales', { lead: 'dealer' }, 'repair', undefined, 'l3-field-service', 'L3', 'after-sales-field-service', ['technical-experts']],
    ['direct return (RMA) → L3 after-sales', { lead: 'direct', kind: 'purchase' }, 'return', 'L3', 'l3-field-service', 'L3', 'after-sales-field-service', ['technical-experts']],
    ['direct question → L3 call centre → experts → after-sales', { lead: 'direct' }, 'question', undefined, 'l3-default', 'L3', 'call-centre', ['technical-experts', 'after-sales-field-service']],
    ['dealer incident → L3 call centre', { lead: 'dealer', size: 'large' }, 'incident', undefined, 'l3-default', 'L3', 'call-centre', ['technical-experts', 'after-sales-field-service']],
  ])('%s', (_name, project, category, entitlement, ruleId, level, firstQueue, chain) => {
    const decision = route(project, category, entitlement);
    expect(decision).toMatchObject({ level, firstQueue, escalationChain: chain, rule: { id: ruleId } });
  });

  it('explains the decision in words', () => {
    expect(route({ lead: 'partner', size: 'large', region: 'east' }).rule.explanation).toBe(
      'Rule l2-partner-large (4 of 11): lead channel is partner and size is large → L2, first queue branch-technical/east, escalation technical-experts → product-line/east. Large partner-led projects go to the branch technical team of their region.',
    );
    expect(route({ lead: 'direct' }, 'install').rule.explanation).toContain('category is one of install, repair, return → L3');
    expect(route({ lead: 'direct' }).rule.explanation).toContain('no earlier rule matched (catch-all)');
  });

  it('the default policy is valid', () => {
    expect(validateSupportPolicy(defaultSupportPolicy)).toEqual([]);
  });
});

describe('routeTicket with a tenant policy', () => {
  const tenantPolicy: SupportPolicy = {
    rules: [
      { id: 'strategic-tier1', when: { tier: [1], strategic: true }, level: 'L1', firstQueue: 'key-accounts', escalationChain: [] },
      { id: 'not-strategic-east', when: { strategic: false, region: ['east'] }, level: 'L2', firstQueue: 'east-desk', escalationChain: ['experts'] },
      { id: 'no-plan-purchases', when: { kind: ['purchase'], entitlement: ['none'] }, level: 'L3', firstQueue: 'self-service', escalationChain: ['call-centre'] },
      { id: 'everything-else', when: {}, level: 'L3', firstQueue: 'call-centre', escalationChain: ['experts', 'field-{region}'] },
    ],
  };
  it.each<[string, Partial<ProjectProfile>, AccountProfile, SupportLevel | undefined, string, string]>([
    ['strategic tier-1 account → key accounts', { lead: 'direct' }, { tier: 1, strategic: true }, undefined, 'strategic-tier1', 'key-accounts'],
    ['tier-1 but not strategic falls through', { lead: 'direct', region: 'west' }, { tier: 1, strategic: false }, undefined, 'everything-else', 'call-centre'],
    ['strategic flag is matched as false too', { region: 'east' }, { tier: 2, strategic: false }, undefined, 'not-strategic-east', 'east-desk'],
    ['purchase with no plan', { kind: 'purchase', region: 'west' }, tier3, undefined, 'no-plan-purchases', 'self-service'],
    ['purchase with a plan is not "none"', { kind: 'purchase', region: 'west' }, tier3, 'L3', 'everything-else', 'call-centre'],
  ])('%s', (_name, project, account, entitlement, ruleId, firstQueue) => {
    const d = routeTicket({ project: makeProject(project), account, entitlement: entitlement ? { supportLevel: entitlement } : null, category: 'question', policy: tenantPolicy });
    expect(d.rule.id).toBe(ruleId);
    expect(d.firstQueue).toBe(firstQueue);
  });

  it('fills {region} in the escalation chain and reports an empty chain in words', () => {
    expect(routeTicket({ project: makeProject({ region: 'west' }), account: tier3, category: 'question', policy: tenantPolicy, entitlement: {} }).escalationChain).toEqual(['experts', 'field-west']);
    expect(routeTicket({ project: makeProject(), account: { tier: 1, strategic: true }, category: 'question', policy: tenantPolicy }).rule.explanation).toBe(
      'Rule strategic-tier1 (1 of 4): account tier is 1 and strategic account is yes → L1, first queue key-accounts, no further escalation.',
    );
  });

  it('a complexity condition never matches a project without complexity', () => {
    const policy: SupportPolicy = {
      rules: [
        { id: 'simple', when: { complexity: ['simple', 'standard', 'complex'] }, level: 'L2', firstQueue: 'a', escalationChain: [] },
        { id: 'rest', when: {}, level: 'L3', firstQueue: 'b', escalationChain: [] },
      ],
    };
    expect(routeTicket({ project: makeProject(), account: tier3, category: 'question', policy }).rule.id).toBe('rest');
    expect(routeTicket({ project: makeProject({ complexity: 'standard' }), account: tier3, category: 'question', policy }).rule.id).toBe('simple');
  });
});

describe('validateSupportPolicy', () => {
  const rule = (over: Record<string, unknown> = {}) => ({ id: 'r', when: {}, level: 'L3', firstQueue: 'q', escalationChain: [], ...over });
  const withRules = (...rules: unknown[]) => ({ rules });
  it.each<[string, unknown, SupportDomainErrorCode, string]>([
    ['no rules field', {}, SupportDomainErrorCode.Required, 'policy.rules'],
    ['no rules', { rules: [] }, SupportDomainErrorCode.Required, 'policy.rules'],
    ['unknown policy field', { rules: [rule()], queues: {} }, SupportDomainErrorCode.UnknownField, 'policy.queues'],
    ['rule not an object', withRules('r1', rule()), SupportDomainErrorCode.Required, 'policy.rules[0]'],
    ['unknown rule field', withRules(rule({ priority: 1 })), SupportDomainErrorCode.UnknownField, 'policy.rules[0].priority'],
    ['empty id', withRules(rule({ id: ' ' })), SupportDomainErrorCode.Required, 'policy.rules[0].id'],
    ['duplicate id', withRules(rule({ when: { lead: ['direct'] } }), rule()), SupportDomainErrorCode.DuplicateId, 'policy.rules[1].id'],
    ['description not text', withRules(rule({ description: 5 })), SupportDomainErrorCode.InvalidValue, 'policy.rules[0].description'],
    ['bad level', withRules(rule({ level: 'L4' })), SupportDomainErrorCode.InvalidValue, 'policy.rules[0].level'],
    ['missing first queue', withRules(rule({ firstQueue: '' })), SupportDomainErrorCode.Required, 'policy.rules[0].firstQueue'],
    ['unknown placeholder', withRules(rule({ firstQueue: 'branch/{city}' })), SupportDomainErrorCode.InvalidValue, 'policy.rules[0].firstQueue'],
    ['chain not an array', withRules(rule({ escalationChain: 'experts' })), SupportDomainErrorCode.Required, 'policy.rules[0].escalationChain'],
    ['bad queue in the chain', withRules(rule({ escalationChain: ['experts', 7] })), SupportDomainErrorCode.Required, 'policy.rules[0].escalationChain[1]'],
    ['missing when', withRules(rule({ when: undefined })), SupportDomainErrorCode.Required, 'policy.rules[0].when'],
    ['unknown condition', withRules(rule({ id: 'a', when: { channel: ['web'] } }), rule()), SupportDomainErrorCode.UnknownField, 'policy.rules[0].when.channel'],
    ['empty condition list', withRules(rule({ id: 'a', when: { size: [] } }), rule()), SupportDomainErrorCode.InvalidValue, 'policy.rules[0].when.size'],
    ['bad size', withRules(rule({ id: 'a', when: { size: ['large', 'huge'] } }), rule()), SupportDomainErrorCode.InvalidValue, 'policy.rules[0].when.size[1]'],
    ['bad tier', withRules(rule({ id: 'a', when: { tier: ['1'] } }), rule()), SupportDomainErrorCode.InvalidValue, 'policy.rules[0].when.tier[0]'],
    ['bad region', withRules(rule({ id: 'a', when: { region: [''] } }), rule()), SupportDomainErrorCode.InvalidValue, 'policy.rules[0].when.region[0]'],
    ['strategic not boolean', withRules(rule({ id: 'a', when: { strategic: 'yes' } }), rule()), SupportDomainErrorCode.InvalidValue, 'policy.rules[0].when.strategic'],
    ['no catch-all at the end', withRules(rule({ when: { lead: ['direct'] } })), SupportDomainErrorCode.MissingCatchAll, 'policy.rules[0].when'],
    ['rule after the catch-all', withRules(rule({ id: 'all' }), rule({ id: 'late' })), SupportDomainErrorCode.UnreachableRule, 'policy.rules[1]'],
  ])('%s → %s at %s', (_name, policy, code, field) => {
    expect(validateSupportPolicy(policy)[0]).toMatchObject({ code, field });
    expect(() => routeTicket({ project: makeProject(), account: tier3, category: 'question', policy: policy as SupportPolicy })).toThrow(expect.objectContaining({ code, field }) as Error);
  });

  it('reports every problem of a policy at once', () => {
    const issues = validateSupportPolicy(withRules(rule({ id: '', level: 'L0', when: { lead: ['reseller'] } })));
    expect(issues.map((i) => i.field)).toEqual(['policy.rules[0].id', 'policy.rules[0].level', 'policy.rules[0].when.lead[0]', 'policy.rules[0].when']);
  });
});

describe('routeTicket input validation', () => {
  const ok: RouteTicketInput = { project: makeProject(), account: tier3, category: 'question' };
  it.each<[string, unknown, string]>([
    ['input missing', null, 'input'],
    ['project missing', { ...ok, project: undefined }, 'project'],
    ['bad project kind', { ...ok, project: makeProject({ kind: 'service' as never }) }, 'project.kind'],
    ['bad size', { ...ok, project: makeProject({ size: 'xl' as never }) }, 'project.size'],
    ['bad lead', { ...ok, project: makeProject({ lead: 'reseller' as never }) }, 'project.lead'],
    ['empty region', { ...ok, project: makeProject({ region: '' }) }, 'project.region'],
    ['bad complexity', { ...ok, project: makeProject({ complexity: 'hard' as never }) }, 'project.complexity'],
    ['blank delivery team', { ...ok, project: makeProject({ deliveryTeam: ' ' }) }, 'project.deliveryTeam'],
    ['account missing', { ...ok, account: null }, 'account'],
    ['tier 4', { ...ok, account: { tier: 4, strategic: false } }, 'account.tier'],
    ['strategic missing', { ...ok, account: { tier: 1 } }, 'account.strategic'],
    ['entitlement not an object', { ...ok, entitlement: 'L1' }, 'entitlement'],
    ['entitlement level L0', { ...ok, entitlement: { supportLevel: 'L0' } }, 'entitlement.supportLevel'],
    ['unknown category', { ...ok, category: 'billing' }, 'category'],
  ])('%s → error at %s', (_name, input, field) => {
    expect(() => routeTicket(input as RouteTicketInput)).toThrow(expect.objectContaining({ field }) as Error);
  });
});

describe('validateSupportPolicy on non-objects', () => {
  it.each([null, 'rules', []])('%p → REQUIRED at policy.rules', (policy) => {
    expect(validateSupportPolicy(policy)).toEqual([expect.objectContaining({ code: SupportDomainErrorCode.Required, field: 'policy.rules' })]);
  });
});
