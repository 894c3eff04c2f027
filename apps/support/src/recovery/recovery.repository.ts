import { Injectable } from '@nestjs/common';
import type { ComplaintDto, ListComplaintsRequest, ListVouchersRequest, VoucherDto } from '@steward/contracts';
import { idCursor, returnedRows, Tx } from '@steward/persistence';

const COMPLAINT = `id, ticket_id AS "ticketId", account_id AS "accountId", source, reason, status, outcome, registered_at AS "registeredAt", registered_by AS "registeredBy", resolved_at AS "resolvedAt"`;
const VOUCHER = `id, account_id AS "accountId", ticket_id AS "ticketId", complaint_id AS "complaintId", kind, face_value AS "faceValue", currency, status, reason, rule_id AS "ruleId",
  issued_at AS "issuedAt", issued_by AS "issuedBy", expires_at AS "expiresAt", redeemed_at AS "redeemedAt", order_ref AS "orderRef", order_amount AS "orderAmount", order_currency AS "orderCurrency"`;

type Dates<T, K extends keyof T> = Omit<T, K> & { [P in K]: Date | null };
type ComplaintRow = Dates<ComplaintDto, 'registeredAt' | 'resolvedAt'>;
type VoucherRow = Dates<Omit<VoucherDto, 'redemption'>, 'issuedAt' | 'expiresAt' | 'redeemedAt'> & { faceValue: string | number; orderRef: string | null; orderAmount: string | number | null; orderCurrency: string | null };

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
const toComplaint = (r: ComplaintRow): ComplaintDto => ({ ...r, registeredAt: iso(r.registeredAt)!, resolvedAt: iso(r.resolvedAt) });
const toVoucher = ({ orderRef, orderAmount, orderCurrency, ...r }: VoucherRow): VoucherDto => ({
  ...r,
  faceValue: Number(r.faceValue),
  issuedAt: iso(r.issuedAt)!,
  expiresAt: iso(r.expiresAt)!,
  redeemedAt: iso(r.redeemedAt),
  redemption: orderRef ? { orderRef, orderAmount: Number(orderAmount), currency: orderCurrency ?? r.currency } : null,
});

/** The complaint register and service-recovery vouchers. */
@Injectable()
export class RecoveryRepository {
  /** Registers a ticket's complaint once: a second registration returns the first (created false). */
  async insertComplaint(
    tx: Tx,
    c: { id: string; ticketId: string; accountId: string; source: string; reason: string; level: string; tier: number | null; at: Date; by: string },
  ): Promise<{ complaint: ComplaintDto; created: boolean }> {
    const rows: ComplaintRow[] = await tx.query(
      `INSERT INTO support.complaints (id, tenant_id, ticket_id, account_id, source, reason, level, tier, status, registered_at, registered_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10)
       ON CONFLICT (tenant_id, ticket_id) DO NOTHING RETURNING ${COMPLAINT}`,
      [c.id, tx.scope.tenantId, c.ticketId, c.accountId, c.source, c.reason, c.level, c.tier, c.at, c.by],
    );
    if (rows[0]) return { complaint: toComplaint(rows[0]), created: true };
    const [existing]: ComplaintRow[] = await tx.query(`SELECT ${COMPLAINT} FROM support.complaints WHERE ticket_id = $1`, [c.ticketId]);
    return { complaint: toComplaint(existing), created: false };
  }

  /** The level and tier the complaint was registered under (for its events). */
  async complaintFacts(tx: Tx, id: string): Promise<{ level: string; tier: number | null }> {
    const [row]: Array<{ level: string; tier: number | null }> = await tx.query(`SELECT level, tier FROM support.complaints WHERE id = $1`, [id]);
    return { level: row?.level ?? '', tier: row?.tier === null || row?.tier === undefined ? null : Number(row.tier) };
  }

  async complaint(tx: Tx, id: string, lock = false): Promise<ComplaintDto | null> {
    const [row]: ComplaintRow[] = await tx.query(`SELECT ${COMPLAINT} FROM support.complaints WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return row ? toComplaint(row) : null;
  }

  async resolveComplaint(tx: Tx, id: string, outcome: string, at: Date): Promise<ComplaintDto> {
    const [row] = returnedRows<ComplaintRow>(await tx.query(`UPDATE support.complaints SET status = 'resolved', outcome = $2, resolved_at = $3 WHERE id = $1 RETURNING ${COMPLAINT}`, [id, outcome, at]));
    return toComplaint(row);
  }

  async listComplaints(tx: Tx, q: ListComplaintsRequest): Promise<ComplaintDto[]> {
    const cursor = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: ComplaintRow[] = await tx.query(
      `SELECT ${COMPLAINT} FROM support.complaints WHERE ($2::uuid IS NULL OR id < $2) AND ($3::uuid IS NULL OR account_id = $3) AND ($4::text IS NULL OR status = $4)
       ORDER BY id DESC LIMIT $1`,
      [q.limit + 1, cursor, q.accountId ?? null, q.status ?? null],
    );
    return rows.map(toComplaint);
  }

  /** Issues a voucher; a rule issues at most one per ticket (null when it already did). */
  async insertVoucher(
    tx: Tx,
    v: { id: string; accountId: string; ticketId: string | null; complaintId: string | null; kind: string; faceValue: number; currency: string; reason: string; ruleId: string | null; at: Date; by: string; expiresAt: Date },
  ): Promise<VoucherDto | null> {
    const rows: VoucherRow[] = await tx.query(
      `INSERT INTO support.vouchers (id, tenant_id, account_id, ticket_id, complaint_id, kind, face_value, currency, status, reason, rule_id, issued_at, issued_by, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'issued', $9, $10, $11, $12, $13)
       ON CONFLICT (tenant_id, ticket_id, rule_id) WHERE rule_id IS NOT NULL DO NOTHING RETURNING ${VOUCHER}`,
      [v.id, tx.scope.tenantId, v.accountId, v.ticketId, v.complaintId, v.kind, v.faceValue, v.currency, v.reason, v.ruleId, v.at, v.by, v.expiresAt],
    );
    return rows[0] ? toVoucher(rows[0]) : null;
  }

  async voucher(tx: Tx, id: string, lock = false): Promise<VoucherDto | null> {
    const [row]: VoucherRow[] = await tx.query(`SELECT ${VOUCHER} FROM support.vouchers WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
    return row ? toVoucher(row) : null;
  }

  async redeem(tx: Tx, id: string, r: { at: Date; orderRef: string; orderAmount: number; currency: string }): Promise<VoucherDto> {
    const [row] = returnedRows<VoucherRow>(
      await tx.query(`UPDATE support.vouchers SET status = 'redeemed', redeemed_at = $2, order_ref = $3, order_amount = $4, order_currency = $5 WHERE id = $1 RETURNING ${VOUCHER}`, [
        id,
        r.at,
        r.orderRef,
        r.orderAmount,
        r.currency,
      ]),
    );
    return toVoucher(row);
  }

  /** Marks an issued voucher expired; null when it is not issued any more (redeemed) or not yet due. */
  async expire(tx: Tx, id: string, now: Date): Promise<VoucherDto | null> {
    const [row] = returnedRows<VoucherRow>(await tx.query(`UPDATE support.vouchers SET status = 'expired' WHERE id = $1 AND status = 'issued' AND expires_at <= $2 RETURNING ${VOUCHER}`, [id, now]));
    return row ? toVoucher(row) : null;
  }

  async listVouchers(tx: Tx, q: ListVouchersRequest): Promise<VoucherDto[]> {
    const cursor = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: VoucherRow[] = await tx.query(
      `SELECT ${VOUCHER} FROM support.vouchers WHERE ($2::uuid IS NULL OR id < $2) AND ($3::uuid IS NULL OR account_id = $3) AND ($4::text IS NULL OR status = $4)
       ORDER BY id DESC LIMIT $1`,
      [q.limit + 1, cursor, q.accountId ?? null, q.status ?? null],
    );
    return rows.map(toVoucher);
  }
}
