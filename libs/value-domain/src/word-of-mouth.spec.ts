import fc from 'fast-check';
import { ValueDomainErrorCode as Code } from './errors';
import { DEFAULT_WORD_OF_MOUTH_WEIGHTS, wordOfMouth, type Mentions, type WordOfMouthInput } from './word-of-mouth';

const mentions = (pp: number, pn: number, sp: number, sn: number): Mentions => ({
  product: { positive: pp, negative: pn },
  service: { positive: sp, negative: sn },
});

describe('wordOfMouth', () => {
  it.each<[string, Mentions, WordOfMouthInput['weights'], number, number, number]>([
    // 100 positive product mentions × 4 / 100 = 4 customers × 1,000,000.
    ['100 positive product mentions win 4 customers (DOMAIN.md)', mentions(100, 0, 0, 0), undefined, 100, 4, 4_000_000],
    // Service weighs 1.5×: 100 × 1.5 = 150 → 6 customers.
    ['100 positive service mentions count 150 → 6 customers', mentions(0, 0, 100, 0), undefined, 150, 6, 6_000_000],
    // product 1 × (50 − 3 × 10) = 20; service 1.5 × (40 − 3 × 20) = −30; net −10 → −0.4 customers → −400,000.
    ['mixed: product +20, service −30 → net −10 → −0.4 customers', mentions(50, 10, 40, 20), undefined, -10, -0.4, -400_000],
    // One negative cancels three positives by default: 3 − 3 × 1 = 0.
    ['3 positives and 1 negative on product cancel out', mentions(3, 1, 0, 0), undefined, 0, 0, 0],
    // Tenant weights: negative 2×, service 2×, 5 per 100: service 2 × (10 − 2 × 5) = 0; product 1 × 20 = 20 → 1 customer.
    ['tenant weights: neg 2×, service 2×, 5 per 100', mentions(20, 0, 10, 5), { negativeWeight: 2, topic: { service: 2 }, customersPer100Mentions: 5 }, 20, 1, 1_000_000],
  ])('%s', (_name, m, weights, net, customers, revenue) => {
    const r = wordOfMouth({ mentions: m, revenuePerCustomer: 1_000_000, weights });
    expect(r.netWeightedMentions).toBeCloseTo(net, 12);
    expect(r.expectedCustomers).toBeCloseTo(customers, 12);
    expect(r.revenue).toBe(revenue);
  });

  it('reports weighted mentions per topic: service 1.5 × 40 = 60 positive, 1.5 × 3 × 20 = 90 negative', () => {
    const r = wordOfMouth({ mentions: mentions(50, 10, 40, 20), revenuePerCustomer: 0 });
    expect(r.weighted).toEqual({ product: { positive: 50, negative: 30, net: 20 }, service: { positive: 60, negative: 90, net: -30 } });
    expect(r.weights).toEqual(DEFAULT_WORD_OF_MOUTH_WEIGHTS);
  });

  it('rounds money once: 1 positive product mention × 0.04 × 37 = 1.48 → 1', () => {
    expect(wordOfMouth({ mentions: mentions(1, 0, 0, 0), revenuePerCustomer: 37 }).revenue).toBe(1);
  });

  it.each<[string, unknown, Code, string]>([
    ['negative weight 5 (DOMAIN.md allows 2–4)', { weights: { negativeWeight: 5 } }, Code.OutOfRange, 'weights.negativeWeight'],
    ['negative weight 1.9', { weights: { negativeWeight: 1.9 } }, Code.OutOfRange, 'weights.negativeWeight'],
    ['a zero topic weight', { weights: { topic: { service: 0 } } }, Code.OutOfRange, 'weights.topic.service'],
    ['a topic weight above 10', { weights: { topic: { product: 11 } } }, Code.OutOfRange, 'weights.topic.product'],
    ['an unknown topic weight', { weights: { topic: { price: 1 } } }, Code.UnknownField, 'weights.topic.price'],
    ['conversion above 100 per 100', { weights: { customersPer100Mentions: 101 } }, Code.OutOfRange, 'weights.customersPer100Mentions'],
    ['an unknown weight', { weights: { positiveWeight: 1 } }, Code.UnknownField, 'weights.positiveWeight'],
    ['weights that are not an object', { weights: 3 }, Code.InvalidType, 'weights'],
    ['a negative count', { mentions: mentions(-1, 0, 0, 0) }, Code.OutOfRange, 'mentions.product.positive'],
    ['a fractional count', { mentions: mentions(0, 0, 0, 1.5) }, Code.NotSafeInteger, 'mentions.service.negative'],
    ['a missing topic', { mentions: { product: { positive: 1, negative: 0 } } }, Code.InvalidType, 'mentions.service'],
    ['an unknown topic', { mentions: { ...mentions(0, 0, 0, 0), price: { positive: 1, negative: 0 } } }, Code.UnknownField, 'mentions.price'],
    ['negative revenue', { revenuePerCustomer: -1 }, Code.OutOfRange, 'revenuePerCustomer'],
  ])('rejects %s', (_name, override, code, field) => {
    const input = { mentions: mentions(1, 1, 1, 1), revenuePerCustomer: 100, ...(override as object) };
    expect(() => wordOfMouth(input as WordOfMouthInput)).toThrow(expect.objectContaining({ code, field }));
  });

  const count = fc.integer({ min: 0, max: 100_000 });
  it('law: one more positive mention never lowers expected customers or money', () => {
    fc.assert(
      fc.property(count, count, count, count, fc.constantFrom('product', 'service'), (pp, pn, sp, sn, topic) => {
        const before = wordOfMouth({ mentions: mentions(pp, pn, sp, sn), revenuePerCustomer: 1_000 });
        const m = mentions(pp, pn, sp, sn);
        m[topic as 'product' | 'service'].positive += 1;
        const after = wordOfMouth({ mentions: m, revenuePerCustomer: 1_000 });
        expect(after.expectedCustomers).toBeGreaterThan(before.expectedCustomers);
        expect(after.revenue).toBeGreaterThanOrEqual(before.revenue);
      }),
    );
  });

  it('law: with an integer negative weight k, k positives plus one negative on a topic change nothing', () => {
    fc.assert(
      fc.property(count, count, fc.constantFrom(2, 3, 4), (pp, sn, k) => {
        const weights = { negativeWeight: k };
        const before = wordOfMouth({ mentions: mentions(pp, 0, 0, sn), revenuePerCustomer: 1_000, weights });
        const after = wordOfMouth({ mentions: mentions(pp + k, 1, 0, sn), revenuePerCustomer: 1_000, weights });
        expect(after.revenue).toBe(before.revenue);
      }),
    );
  });
});
