import { Injectable } from '@nestjs/common';
import type { DeliveryDto, ListDeliveriesRequest, Page } from '@steward/contracts';
import { idCursor, insertRow, toPage, Tx, uuidv7 } from '@steward/persistence';
import type { OutboundMessage } from './delivery.port';

type Row = Omit<DeliveryDto, 'createdAt'> & { createdAt: Date };

/** Recorded deliveries (what the channels would send). */
@Injectable()
export class DeliveriesRepository {
  async insert(tx: Tx, m: OutboundMessage): Promise<void> {
    await insertRow(tx, 'feedback.deliveries', {
      id: uuidv7(),
      tenant_id: tx.scope.tenantId,
      invitation_id: m.invitationId,
      channel: m.channel,
      kind: m.kind,
      recipient: m.recipient,
      subject: m.subject,
      body: m.body,
      created_at: m.at,
    });
  }

  async list(tx: Tx, q: ListDeliveriesRequest): Promise<Page<DeliveryDto>> {
    const cursor = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: Row[] = await tx.query(
      `SELECT id, invitation_id AS "invitationId", channel, kind, recipient, subject, body, created_at AS "createdAt" FROM feedback.deliveries
       WHERE ($2::uuid IS NULL OR id > $2) AND ($3::uuid IS NULL OR invitation_id = $3) ORDER BY id LIMIT $1`,
      [q.limit + 1, cursor, q.invitationId ?? null],
    );
    return toPage(rows, q.limit, (r) => ({ ...r, createdAt: r.createdAt.toISOString() }), (r) => idCursor.encode(r.id));
  }
}
