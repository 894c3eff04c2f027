import { Injectable } from '@nestjs/common';
import type { Answers, InvitationDto, ListInvitationsRequest, Page } from '@steward/contracts';
import { deferWrite, idCursor, returnedRows, toPage, Tx } from '@steward/persistence';

export interface InvitationRow {
  id: string;
  surveyId: string;
  version: number;
  channel: InvitationDto['channel'];
  language: InvitationDto['language'];
  contactId: string | null;
  userId: string | null;
  accountId: string | null;
  team: string | null;
  ticketId: string | null;
  status: 'pending' | 'started' | 'completed';
  answers: Answers;
  comment: string | null;
  expiresAt: Date;
  remindersSent: number;
  createdAt: Date;
  respondedAt: Date | null;
  tokenHash: Buffer;
}

export interface NewInvitation {
  id: string;
  surveyId: string;
  version: number;
  channel: string;
  language: string;
  contactId: string | null;
  userId: string | null;
  accountId: string | null;
  team: string | null;
  ticketId: string | null;
  tokenHash: Buffer;
  expiresAt: Date;
  createdAt: Date;
}

const COLUMNS = `id, survey_id AS "surveyId", version, channel, language, contact_id AS "contactId", user_id AS "userId", account_id AS "accountId", team,
  ticket_id AS "ticketId", status, answers, comment, expires_at AS "expiresAt", reminders_sent AS "remindersSent", created_at AS "createdAt",
  responded_at AS "respondedAt", token_hash AS "tokenHash"`;

/** The status a respondent sees: pending and started invitations past their expiry are expired. */
export function toInvitationDto(r: InvitationRow, now: Date): InvitationDto {
  return {
    id: r.id,
    surveyId: r.surveyId,
    version: r.version,
    channel: r.channel,
    language: r.language,
    contactId: r.contactId,
    userId: r.userId,
    accountId: r.accountId,
    team: r.team,
    ticketId: r.ticketId,
    status: r.status !== 'completed' && r.expiresAt <= now ? 'expired' : r.status,
    expiresAt: r.expiresAt.toISOString(),
    remindersSent: r.remindersSent,
    createdAt: r.createdAt.toISOString(),
    respondedAt: r.respondedAt?.toISOString() ?? null,
  };
}

/** Named queries on invitations, touches (the frequency rule) and invitation counts. */
@Injectable()
export class InvitationsRepository {
  /**
   * Claims the respondents that may be invited now: those never invited, or last invited
   * before `cutoff`; their last invitation becomes `at`. One statement, so two concurrent
   * invitations of the same person cannot both pass the rule.
   */
  async touch(tx: Tx, respondents: string[], cutoff: Date, at: Date): Promise<Set<string>> {
    if (respondents.length === 0) return new Set();
    const rows = returnedRows<{ respondent: string }>(
      await tx.query(
        `INSERT INTO feedback.touches (tenant_id, respondent, last_invited_at) SELECT $1, r, $3 FROM unnest($2::text[]) AS r
         ON CONFLICT (tenant_id, respondent) DO UPDATE SET last_invited_at = excluded.last_invited_at WHERE feedback.touches.last_invited_at <= $4
         RETURNING respondent`,
        [tx.scope.tenantId, respondents, at, cutoff],
      ),
    );
    return new Set(rows.map((r) => r.respondent));
  }

  /** Inserts invitations; with a ticket id, one per (survey, ticket): returns the ids inserted. */
  async insertMany(tx: Tx, list: NewInvitation[]): Promise<Set<string>> {
    if (list.length === 0) return new Set();
    const col = <K extends keyof NewInvitation>(k: K) => list.map((i) => i[k]);
    const rows = returnedRows<{ id: string }>(
      await tx.query(
        `INSERT INTO feedback.invitations (id, tenant_id, survey_id, version, channel, language, contact_id, user_id, account_id, team, ticket_id, token_hash, status, expires_at, created_at)
         SELECT u.id, $1, u.survey_id, u.version, u.channel, u.language, u.contact_id, u.user_id, u.account_id, u.team, u.ticket_id, u.token_hash, 'pending', u.expires_at, u.created_at
         FROM unnest($2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::text[], $7::uuid[], $8::uuid[], $9::uuid[], $10::text[], $11::text[], $12::bytea[], $13::timestamptz[], $14::timestamptz[])
           AS u(id, survey_id, version, channel, language, contact_id, user_id, account_id, team, ticket_id, token_hash, expires_at, created_at)
         ON CONFLICT DO NOTHING RETURNING id`,
        [
          tx.scope.tenantId,
          col('id'),
          col('surveyId'),
          col('version'),
          col('channel'),
          col('language'),
          col('contactId'),
          col('userId'),
          col('accountId'),
          col('team'),
          col('ticketId'),
          col('tokenHash'),
          col('expiresAt'),
          col('createdAt'),
        ],
      ),
    );
    return new Set(rows.map((r) => r.id));
  }

  async addInvited(tx: Tx, surveyId: string, month: string, invited: number): Promise<void> {
    await tx.query(
      `INSERT INTO feedback.survey_stats (tenant_id, survey_id, month, invited) VALUES ($1, $2, $3::date, $4)
       ON CONFLICT (tenant_id, survey_id, month) DO UPDATE SET invited = feedback.survey_stats.invited + excluded.invited`,
      [tx.scope.tenantId, surveyId, `${month}-01`, invited],
    );
  }

  async find(tx: Tx, id: string, lock = false): Promise<InvitationRow | null> {
    const [row]: InvitationRow[] = await tx.query(`SELECT ${COLUMNS} FROM feedback.invitations WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [id]);
    return row ?? null;
  }

  async findMany(tx: Tx, ids: string[]): Promise<InvitationRow[]> {
    return tx.query(`SELECT ${COLUMNS} FROM feedback.invitations WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids]);
  }

  async saveAnswers(tx: Tx, id: string, answers: Answers, comment: string | null, language: string, at: Date): Promise<void> {
    await tx.query(`UPDATE feedback.invitations SET answers = $2, comment = $3, language = $4, status = 'started', started_at = coalesce(started_at, $5) WHERE id = $1`, [
      id,
      JSON.stringify(answers),
      comment,
      language,
      at,
    ]);
  }

  async complete(tx: Tx, id: string, responseId: string, answers: Answers, comment: string | null, at: Date): Promise<void> {
    // Deferred: travels with the COMMIT (the invitation was locked and checked open before).
    await deferWrite(tx, `UPDATE feedback.invitations SET status = 'completed', answers = $3, comment = $4, responded_at = $5, response_id = $2 WHERE id = $1`, [
      id,
      responseId,
      JSON.stringify(answers),
      comment,
      at,
    ]);
  }

  async rotateToken(tx: Tx, id: string, hash: Buffer): Promise<void> {
    await tx.query(`UPDATE feedback.invitations SET token_hash = $2 WHERE id = $1`, [id, hash]);
  }

  async reminded(tx: Tx, ids: string[]): Promise<void> {
    await tx.query(`UPDATE feedback.invitations SET reminders_sent = reminders_sent + 1 WHERE id = ANY($1::uuid[])`, [ids]);
  }

  async list(tx: Tx, q: ListInvitationsRequest, now: Date): Promise<Page<InvitationDto>> {
    const cursor = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: InvitationRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM feedback.invitations WHERE ($2::uuid IS NULL OR id > $2) AND ($5::uuid IS NULL OR survey_id = $5)
         AND CASE $3::text WHEN 'expired' THEN status <> 'completed' AND expires_at <= $4::timestamptz
           WHEN 'completed' THEN status = 'completed'
           ELSE ($3::text IS NULL OR (status = $3::text AND expires_at > $4::timestamptz)) END
       ORDER BY id LIMIT $1`,
      [q.limit + 1, cursor, q.status ?? null, now, q.surveyId ?? null],
    );
    return toPage(rows, q.limit, (r) => toInvitationDto(r, now), (r) => idCursor.encode(r.id));
  }
}
