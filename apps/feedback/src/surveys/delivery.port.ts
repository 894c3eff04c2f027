import { Injectable } from '@nestjs/common';
import type { FeedbackLanguage } from '@steward/contracts';
import type { Tx } from '@steward/persistence';
import { DeliveriesRepository } from './deliveries.repository';

/** A message a channel would send: e-mail and SMS carry the link, intercept and in-app a prompt. */
export interface OutboundMessage {
  invitationId: string;
  channel: 'email' | 'sms' | 'web-intercept' | 'in-app';
  kind: 'invitation' | 'reminder';
  recipient: string | null;
  subject: string;
  body: string;
  at: Date;
}

/**
 * The outbound delivery port. Invitations and reminders are handed to it inside the
 * transaction that creates them; the default adapter records each message (exposed through
 * `delivery.list.v1`). A real e-mail or SMS provider plugs in behind this interface (e.g. an
 * adapter that records and enqueues a durable send job), so nothing is sent for a rolled-back
 * invitation.
 */
export interface DeliveryPort {
  deliver(tx: Tx, message: OutboundMessage): Promise<void>;
}

export const DELIVERY = Symbol('DeliveryPort');

/** The default: records what would be sent. */
@Injectable()
export class RecordingDelivery implements DeliveryPort {
  constructor(private readonly repo: DeliveriesRepository) {}

  deliver(tx: Tx, m: OutboundMessage): Promise<void> {
    return this.repo.insert(tx, m);
  }
}

const TEXTS: Record<FeedbackLanguage, { invite: string; remind: string; body: (title: string, link: string, days: number) => string; prompt: (title: string) => string }> = {
  en: {
    invite: 'We would value your feedback',
    remind: 'Reminder: we would value your feedback',
    body: (title, link, days) => `${title}\n\nIt takes two minutes: ${link}\nThe link works once and expires in ${days} days.`,
    prompt: (title) => `${title}: would you answer two minutes of questions?`,
  },
  'zh-CN': {
    invite: '诚邀您提供反馈',
    remind: '提醒：诚邀您提供反馈',
    body: (title, link, days) => `${title}\n\n只需两分钟：${link}\n此链接仅可使用一次，${days} 天后失效。`,
    prompt: (title) => `${title}：能否花两分钟回答几个问题？`,
  },
};

/** The message of an invitation or reminder in the invitation's language. */
export function composeMessage(o: { language: FeedbackLanguage; channel: OutboundMessage['channel']; kind: OutboundMessage['kind']; title: string; link: string; expiresInDays: number }): { subject: string; body: string } {
  const t = TEXTS[o.language];
  const subject = o.kind === 'invitation' ? t.invite : t.remind;
  if (o.channel === 'web-intercept' || o.channel === 'in-app') return { subject, body: `${t.prompt(o.title)} ${o.link}` };
  return { subject, body: t.body(o.title, o.link, o.expiresInDays) };
}
