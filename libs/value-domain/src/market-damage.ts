import { assertKnownKeys, assertMinorUnits, assertObject, assertRange, assertSafeInteger, fail, fieldPath } from '@steward/domain-kernel';
import { ValueDomainErrorCode as Code, CHECK_CODES } from './errors';
import { add, apportion, fromInteger, mul, ONE, ratio, sub, toNumber, ZERO, type Money, type Ratio } from './money';

/** How complaints end, as shares of complainers: fully satisfied, mollified, or dissatisfied with the handling. */
export interface ResolutionMix {
  satisfied: number;
  mollified: number;
  dissatisfied: number;
}

/** Inputs of {@link marketDamage}. All rates are in [0, 1]. */
export interface MarketDamageInput {
  /** Customers in the base (count). */
  customers: number;
  /** Share of customers that meet a problem in the period. */
  problemRate: number;
  /** Share of those with a problem who complain. */
  complaintRate: number;
  /** Outcome of complaint handling; must sum to 1 (±1e-9). */
  resolutionMix: ResolutionMix;
  /** Share of each complainer outcome that buys again. */
  repurchaseRate: ResolutionMix;
  /** Share of silent sufferers (problem, no complaint) that leave. */
  silentLossRate: number;
  /** Share of customers without a problem that leave anyway; default 0. */
  noProblemLossRate?: number;
  /** Yearly revenue per customer, minor units. */
  revenuePerCustomer: Money;
}

/** One branch of the damage tree: how many customers are in it, how many leave, what they take with them. */
export interface DamageBranch {
  customers: number;
  lost: number;
  revenueAtRisk: Money;
}

/** Result of {@link marketDamage}. Customer figures are expected values (may be fractional). */
export interface MarketDamage {
  complainers: { satisfied: DamageBranch; mollified: DamageBranch; dissatisfied: DamageBranch };
  silentSufferers: DamageBranch;
  noProblem: DamageBranch;
  customersLost: number;
  /** customersLost × revenuePerCustomer, rounded once half to even; branches add up to it exactly. */
  revenueAtRisk: Money;
}

const KEYS = [
  'customers',
  'problemRate',
  'complaintRate',
  'resolutionMix',
  'repurchaseRate',
  'silentLossRate',
  'noProblemLossRate',
  'revenuePerCustomer',
] as const;
const OUTCOMES = ['satisfied', 'mollified', 'dissatisfied'] as const;
const MIX_TOLERANCE = 1e-9;

function validateMix(value: unknown, field: string, mustSumToOne: boolean): void {
  assertObject(value, field, CHECK_CODES);
  assertKnownKeys(value, OUTCOMES, field, CHECK_CODES);
  let sum = 0;
  for (const k of OUTCOMES) {
    assertRange(value[k], 0, 1, fieldPath(field, k), CHECK_CODES);
    sum += value[k];
  }
  if (mustSumToOne && Math.abs(sum - 1) > MIX_TOLERANCE) {
    fail(Code.NotNormalised, field, `must sum to 1 (±${MIX_TOLERANCE}), got ${sum}`);
  }
}

// Validates the fields present; `partial` lets the what-if change carry only some of them.
function validate(input: unknown, prefix: string, partial: boolean): asserts input is MarketDamageInput {
  assertObject(input, prefix === '' ? 'input' : prefix, CHECK_CODES);
  assertKnownKeys(input, KEYS, prefix, CHECK_CODES);
  const has = (k: string) => !partial || input[k] !== undefined;
  if (has('customers')) assertSafeInteger(input.customers, fieldPath(prefix, 'customers'), CHECK_CODES, 0);
  for (const k of ['problemRate', 'complaintRate', 'silentLossRate'] as const) if (has(k)) assertRange(input[k], 0, 1, fieldPath(prefix, k), CHECK_CODES);
  if (input.noProblemLossRate !== undefined) assertRange(input.noProblemLossRate, 0, 1, fieldPath(prefix, 'noProblemLossRate'), CHECK_CODES);
  if (has('resolutionMix')) validateMix(input.resolutionMix, fieldPath(prefix, 'resolutionMix'), true);
  if (has('repurchaseRate')) validateMix(input.repurchaseRate, fieldPath(prefix, 'repurchaseRate'), false);
  if (has('revenuePerCustomer')) assertMinorUnits(input.revenuePerCustomer, fieldPath(prefix, 'revenuePerCustomer'), CHECK_CODES, 0);
}

function compute(input: MarketDamageInput): MarketDamage {
  const n = fromInteger(input.customers);
  const problem = ratio(input.problemRate);
  const withProblem = mul(n, problem);
  const complainers = mul(withProblem, ratio(input.complaintRate));
  const silent = sub(withProblem, complainers);
  const noProblem = sub(n, withProblem);

  // Each branch as (customers in it, customers lost from it), exact.
  const branches: Array<[Ratio, Ratio]> = OUTCOMES.map((k) => {
    const inBranch = mul(complainers, ratio(input.resolutionMix[k]));
    return [inBranch, mul(inBranch, sub(ONE, ratio(input.repurchaseRate[k])))];
  });
  branches.push([silent, mul(silent, ratio(input.silentLossRate))]);
  branches.push([noProblem, mul(noProblem, ratio(input.noProblemLossRate ?? 0))]);

  const { total, parts } = apportion(
    input.revenuePerCustomer,
    branches.map(([, lost]) => lost),
    'revenuePerCustomer',
  );
  const out = branches.map(([inBranch, lost], i): DamageBranch => ({
    customers: toNumber(inBranch),
    lost: toNumber(lost),
    revenueAtRisk: parts[i],
  }));
  return {
    complainers: { satisfied: out[0], mollified: out[1], dissatisfied: out[2] },
    silentSufferers: out[3],
    noProblem: out[4],
    customersLost: toNumber(branches.reduce((s, [, lost]) => add(s, lost), ZERO)),
    revenueAtRisk: total,
  };
}

/**
 * Revenue at risk by the market damage model: customers with a problem either complain
 * (and end satisfied, mollified or dissatisfied, each with its own repurchase rate) or
 * suffer silently (own loss rate); customers without a problem may still leave.
 * Lost customers × revenue per customer = revenue at risk.
 */
export function marketDamage(input: MarketDamageInput): MarketDamage {
  validate(input, '', false);
  return compute(input);
}

/** What may change in a what-if: any rate of the model, not the customer base or revenue. */
export type MarketDamageChange = Partial<
  Pick<MarketDamageInput, 'problemRate' | 'complaintRate' | 'resolutionMix' | 'repurchaseRate' | 'silentLossRate' | 'noProblemLossRate'>
>;

/** Base vs scenario and what the change is worth. Negative differences are improvements. */
export interface MarketDamageWhatIf {
  base: MarketDamage;
  scenario: MarketDamage;
  difference: {
    /** scenario − base customers lost (negative = customers kept). */
    customersLost: number;
    /** scenario − base revenue at risk, minor units (negative = money kept). */
    revenueAtRisk: Money;
  };
}

const CHANGE_KEYS = ['problemRate', 'complaintRate', 'resolutionMix', 'repurchaseRate', 'silentLossRate', 'noProblemLossRate'] as const;

/**
 * What improving the complaint rate, the resolution mix (or any other rate) is worth:
 * the base and the changed scenario, and their difference in customers and money.
 */
export function marketDamageWhatIf(base: MarketDamageInput, change: MarketDamageChange): MarketDamageWhatIf {
  validate(base, '', false);
  assertObject(change, 'change', CHECK_CODES);
  assertKnownKeys(change, CHANGE_KEYS, 'change', CHECK_CODES);
  validate(change, 'change', true);
  const b = compute(base);
  // An explicit `undefined` in the change means "unchanged", not "remove".
  const defined = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
  const s = compute({ ...base, ...defined });
  return {
    base: b,
    scenario: s,
    difference: { customersLost: s.customersLost - b.customersLost, revenueAtRisk: s.revenueAtRisk - b.revenueAtRisk },
  };
}
