import { assertKnownKeys, assertMinorUnits, assertObject, assertRange, assertSafeInteger, fail, fieldPath } from '@steward/domain-kernel';
import { ValueDomainErrorCode as Code, CHECK_CODES } from './errors';
import { add, applyRatio, fromInteger, mul, ratio, sub, toNumber, ZERO, type Money, type Ratio } from './money';

/** Topics a mention can be about. */
export type MentionTopic = 'product' | 'service';
export const MENTION_TOPICS: readonly MentionTopic[] = ['product', 'service'];

/** Mention counts per topic. */
export type Mentions = Record<MentionTopic, { positive: number; negative: number }>;

/** Tenant-tunable weights; a positive product mention is the unit (weight 1 × topic weight). */
export interface WordOfMouthWeights {
  /** How many positive mentions one negative mention cancels; DOMAIN.md allows 2–4. */
  negativeWeight: number;
  /** Relative weight of a mention by topic, each in (0, 10]. */
  topic: Record<MentionTopic, number>;
  /** Expected new customers per 100 net weighted mentions, in [0, 100]. */
  customersPer100Mentions: number;
}

/** Defaults: negative = 3× positive (middle of 2–4), service = 1.5× product, 4 customers per 100 mentions. */
export const DEFAULT_WORD_OF_MOUTH_WEIGHTS: WordOfMouthWeights = {
  negativeWeight: 3,
  topic: { product: 1, service: 1.5 },
  customersPer100Mentions: 4,
};

/** Inputs of {@link wordOfMouth}. */
export interface WordOfMouthInput {
  mentions: Mentions;
  /** Yearly revenue per customer, minor units. */
  revenuePerCustomer: Money;
  /** Overrides of the defaults; omitted parts keep the default. */
  weights?: Partial<Omit<WordOfMouthWeights, 'topic'>> & { topic?: Partial<Record<MentionTopic, number>> };
}

/** Result of {@link wordOfMouth}; negative customers/money mean customers lost to bad word of mouth. */
export interface WordOfMouth {
  weighted: Record<MentionTopic, { positive: number; negative: number; net: number }>;
  netWeightedMentions: number;
  /** net × customersPer100Mentions / 100; positive = won, negative = lost. */
  expectedCustomers: number;
  /** expectedCustomers × revenuePerCustomer, rounded once half to even (signed). */
  revenue: Money;
  weights: WordOfMouthWeights;
}

function resolveWeights(weights: unknown): WordOfMouthWeights {
  if (weights === undefined) return DEFAULT_WORD_OF_MOUTH_WEIGHTS;
  assertObject(weights, 'weights', CHECK_CODES);
  assertKnownKeys(weights, ['negativeWeight', 'topic', 'customersPer100Mentions'], 'weights', CHECK_CODES);
  const d = DEFAULT_WORD_OF_MOUTH_WEIGHTS;
  const negativeWeight = weights.negativeWeight ?? d.negativeWeight;
  assertRange(negativeWeight, 2, 4, 'weights.negativeWeight', CHECK_CODES);
  const customersPer100Mentions = weights.customersPer100Mentions ?? d.customersPer100Mentions;
  assertRange(customersPer100Mentions, 0, 100, 'weights.customersPer100Mentions', CHECK_CODES);
  const topicIn = weights.topic ?? {};
  assertObject(topicIn, 'weights.topic', CHECK_CODES);
  assertKnownKeys(topicIn, MENTION_TOPICS, 'weights.topic', CHECK_CODES);
  const topic = { ...d.topic };
  for (const t of MENTION_TOPICS) {
    const w = topicIn[t] ?? d.topic[t];
    assertRange(w, 0, 10, `weights.topic.${t}`, CHECK_CODES);
    if (w === 0) fail(Code.OutOfRange, `weights.topic.${t}`, 'must be greater than 0');
    topic[t] = w;
  }
  return { negativeWeight, topic, customersPer100Mentions };
}

/**
 * Word of mouth: net weighted mentions = Σ_topic w_topic·(positive − w_neg·negative);
 * expected customers = net × customersPer100Mentions / 100; money = customers × revenue per customer.
 */
export function wordOfMouth(input: WordOfMouthInput): WordOfMouth {
  assertObject(input, 'input', CHECK_CODES);
  assertKnownKeys(input, ['mentions', 'revenuePerCustomer', 'weights'], '', CHECK_CODES);
  assertObject(input.mentions, 'mentions', CHECK_CODES);
  assertKnownKeys(input.mentions, MENTION_TOPICS, 'mentions', CHECK_CODES);
  for (const t of MENTION_TOPICS) {
    const field = fieldPath('mentions', t);
    assertObject(input.mentions[t], field, CHECK_CODES);
    assertKnownKeys(input.mentions[t], ['positive', 'negative'], field, CHECK_CODES);
    assertSafeInteger(input.mentions[t].positive, fieldPath(field, 'positive'), CHECK_CODES, 0);
    assertSafeInteger(input.mentions[t].negative, fieldPath(field, 'negative'), CHECK_CODES, 0);
  }
  assertMinorUnits(input.revenuePerCustomer, 'revenuePerCustomer', CHECK_CODES, 0);
  const weights = resolveWeights(input.weights);

  const neg = ratio(weights.negativeWeight);
  let net: Ratio = ZERO;
  const weighted = {} as WordOfMouth['weighted'];
  for (const t of MENTION_TOPICS) {
    const w = ratio(weights.topic[t]);
    const pos = mul(w, fromInteger(input.mentions[t].positive));
    const negs = mul(mul(w, neg), fromInteger(input.mentions[t].negative));
    const topicNet = sub(pos, negs);
    weighted[t] = { positive: toNumber(pos), negative: toNumber(negs), net: toNumber(topicNet) };
    net = add(net, topicNet);
  }
  const per100 = ratio(weights.customersPer100Mentions);
  const customers = mul(net, { num: per100.num, den: per100.den * 100n });
  return {
    weighted,
    netWeightedMentions: toNumber(net),
    expectedCustomers: toNumber(customers),
    revenue: applyRatio(input.revenuePerCustomer, customers, 'revenuePerCustomer'),
    weights,
  };
}
