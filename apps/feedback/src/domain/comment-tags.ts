import type { COMMENT_TOPICS, SENTIMENTS } from '@steward/contracts';

export type CommentTopic = (typeof COMMENT_TOPICS)[number];
export type Sentiment = (typeof SENTIMENTS)[number];

/**
 * Keyword rules per topic, in English and Simplified Chinese. English words match whole
 * words (lower-cased, simple plural/verb endings stripped); Chinese keywords match whole
 * segments of the jieba search segmentation (so 价格 matches 价格太贵 but 工单 does not
 * match a stray 工). A topic is tagged when any of its keywords is present.
 *
 * `product` and `service` separate what the comment is about: the word-of-mouth model
 * (DOMAIN.md §5) weighs service mentions above product ones.
 */
export const TOPIC_KEYWORDS: Readonly<Record<CommentTopic, { en: readonly string[]; zh: readonly string[] }>> = {
  speed: { en: ['slow', 'fast', 'quick', 'quickly', 'wait', 'delay', 'late', 'response time', 'responsive', 'speed', 'took', 'days', 'hours'], zh: ['慢', '太慢', '快', '及时', '等待', '等', '延迟', '拖延', '速度', '响应', '效率'] },
  quality: { en: ['quality', 'broken', 'defect', 'bug', 'reliable', 'unreliable', 'fault', 'failure', 'crash', 'fixed', 'fix'], zh: ['质量', '故障', '坏', '缺陷', '问题', '稳定', '不稳定', '可靠', '修好', '维修'] },
  staff: { en: ['staff', 'engineer', 'agent', 'technician', 'rude', 'friendly', 'polite', 'helpful', 'attitude', 'professional', 'team', 'csm'], zh: ['工程师', '客服', '人员', '态度', '专业', '热情', '耐心', '技术员', '服务人员', '团队'] },
  price: { en: ['price', 'expensive', 'cheap', 'cost', 'costly', 'fee', 'invoice', 'value for money', 'overpriced', 'discount'], zh: ['价格', '太贵', '贵', '便宜', '费用', '收费', '性价比', '成本', '报价'] },
  product: { en: ['product', 'machine', 'device', 'software', 'feature', 'hardware', 'system', 'spare part', 'parts'], zh: ['产品', '设备', '机器', '软件', '功能', '硬件', '系统', '备件', '配件'] },
  service: { en: ['service', 'support', 'help', 'ticket', 'hotline', 'call centre', 'call center', 'maintenance', 'repair', 'onsite', 'visit'], zh: ['服务', '售后', '售后服务', '支持', '工单', '热线', '呼叫中心', '维护', '上门', '客服'] },
  complaint: {
    en: ['complain', 'complaint', 'unacceptable', 'terrible', 'worst', 'angry', 'disappointed', 'refund', 'escalate', 'never again', 'cancel', 'lawyer'],
    zh: ['投诉', '不满', '不满意', '失望', '差劲', '太差', '糟糕', '退款', '愤怒', '无法接受', '生气', '退货'],
  },
  praise: { en: ['great', 'excellent', 'thank', 'thanks', 'perfect', 'love', 'amazing', 'satisfied', 'happy', 'recommend'], zh: ['满意', '非常好', '很好', '感谢', '谢谢', '优秀', '完美', '推荐', '棒', '好评'] },
};

const NEGATIVE = { en: ['slow', 'broken', 'rude', 'expensive', 'bad', 'poor', 'late', 'unreliable', 'crash', 'never', 'not', 'no'], zh: ['慢', '太慢', '差', '坏', '贵', '太贵', '不', '没有', '故障'] };

/** Splits Chinese text into words (the service plugs in jieba; tests may pass a simple splitter). */
export type Segmenter = (text: string) => string[];

/** Where a sentiment model plugs in: the rule-based default below, or a model behind the same signature. */
export interface SentimentModel {
  sentiment(text: string, tokens: ReadonlySet<string>, topics: ReadonlySet<CommentTopic>): Sentiment;
}

/** The default: praise without complaint is positive; complaint or several negative words negative; else neutral. */
export const ruleSentiment: SentimentModel = {
  sentiment(_text, tokens, topics) {
    if (topics.has('complaint')) return 'negative';
    const negatives = [...NEGATIVE.en, ...NEGATIVE.zh].filter((w) => tokens.has(w)).length;
    if (topics.has('praise') && negatives === 0) return 'positive';
    if (negatives >= 2) return 'negative';
    return topics.has('praise') ? 'positive' : 'neutral';
  },
};

const HAN = /\p{Script=Han}/u;

/** The word tokens of a comment: lower-cased English words (plain and stemmed) and Chinese segments. */
export function tokensOf(text: string, segment: Segmenter): Set<string> {
  const tokens = new Set<string>();
  const lower = text.toLowerCase();
  for (const w of lower.match(/[a-z]+/g) ?? []) {
    tokens.add(w);
    tokens.add(w.replace(/(ing|ed|es|s)$/, ''));
  }
  if (HAN.test(text)) for (const w of segment(text)) if (HAN.test(w)) tokens.add(w);
  return tokens;
}

/**
 * Tags a comment with topics by keyword and gives it a sentiment. Phrases of several
 * English words ("value for money") match on the lower-cased text.
 */
export function tagComment(text: string, segment: Segmenter, model: SentimentModel = ruleSentiment): { tags: CommentTopic[]; sentiment: Sentiment | null } {
  const trimmed = text.trim();
  if (!trimmed) return { tags: [], sentiment: null };
  const tokens = tokensOf(trimmed, segment);
  const lower = ` ${trimmed.toLowerCase().replace(/[^a-z]+/g, ' ')} `;
  const topics = new Set<CommentTopic>();
  for (const [topic, words] of Object.entries(TOPIC_KEYWORDS) as Array<[CommentTopic, { en: readonly string[]; zh: readonly string[] }]>) {
    const hit = words.en.some((w) => (w.includes(' ') ? lower.includes(` ${w} `) : tokens.has(w))) || words.zh.some((w) => tokens.has(w));
    if (hit) topics.add(topic);
  }
  return { tags: [...topics].sort(), sentiment: model.sentiment(trimmed, tokens, topics) };
}
