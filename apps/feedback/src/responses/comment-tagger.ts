import { Inject, Injectable, Optional } from '@nestjs/common';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { type CommentTopic, type Sentiment, type SentimentModel, ruleSentiment, tagComment } from '../domain/comment-tags';

/** Where a sentiment model plugs in (the rule-based default unless another is bound). */
export const SENTIMENT_MODEL = Symbol('SentimentModel');

let jieba: Jieba | undefined;
/** jieba's dictionary loads once per process (~0.2 s), on the first Chinese comment. */
const segment = (text: string): string[] => (jieba ??= Jieba.withDict(dict)).cutForSearch(text, true);

/** Tags comments by keyword rules in zh-CN and en (jieba segmentation for Chinese) and asks the sentiment model. */
@Injectable()
export class CommentTagger {
  constructor(@Optional() @Inject(SENTIMENT_MODEL) private readonly model: SentimentModel = ruleSentiment) {}

  tag(comment: string | null | undefined): { tags: CommentTopic[]; sentiment: Sentiment | null } {
    return comment ? tagComment(comment, segment, this.model) : { tags: [], sentiment: null };
  }
}
