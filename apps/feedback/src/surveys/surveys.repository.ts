import { Injectable } from '@nestjs/common';
import type { ListSurveysRequest, Page, SurveyDefinition, SurveyDto, SurveyKind, SurveyRules } from '@steward/contracts';
import { idCursor, toPage, Tx } from '@steward/persistence';

export interface SurveyRow {
  id: string;
  name: string;
  kind: SurveyKind;
  nature: SurveyDto['nature'];
  audience: SurveyDto['audience'];
  trigger: SurveyDto['trigger'];
  status: SurveyDto['status'];
  version: number;
  publishedVersion: number | null;
  rules: SurveyRules;
  definition: SurveyDefinition;
  createdAt: Date;
  updatedAt: Date;
  closedAt: Date | null;
}

const COLUMNS = `s.id, s.name, s.kind, s.nature, s.audience, s.trigger, s.status, s.version, s.published_version AS "publishedVersion", s.rules,
  v.definition, s.created_at AS "createdAt", s.updated_at AS "updatedAt", s.closed_at AS "closedAt"`;
const FROM = `feedback.surveys s JOIN feedback.survey_versions v ON v.survey_id = s.id AND v.version = s.version`;

export const toSurveyDto = (r: SurveyRow): SurveyDto => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  nature: r.nature,
  audience: r.audience,
  trigger: r.trigger,
  status: r.status,
  version: r.version,
  rules: r.rules,
  definition: r.definition,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  closedAt: r.closedAt?.toISOString() ?? null,
});

/** Named queries on `feedback.surveys` and `feedback.survey_versions`. */
@Injectable()
export class SurveysRepository {
  async insert(tx: Tx, s: Omit<SurveyRow, 'publishedVersion' | 'closedAt' | 'updatedAt' | 'definition' | 'version'>, definition: SurveyDefinition): Promise<void> {
    await tx.query(
      `INSERT INTO feedback.surveys (id, tenant_id, name, kind, nature, audience, trigger, status, version, rules, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $10)`,
      [s.id, tx.scope.tenantId, s.name, s.kind, s.nature, s.audience, s.trigger, s.status, JSON.stringify(s.rules), s.createdAt],
    );
    await this.putVersion(tx, s.id, 1, definition, s.createdAt);
  }

  async putVersion(tx: Tx, surveyId: string, version: number, definition: SurveyDefinition, at: Date): Promise<void> {
    await tx.query(
      `INSERT INTO feedback.survey_versions (survey_id, version, tenant_id, definition, created_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (survey_id, version) DO UPDATE SET definition = excluded.definition`,
      [surveyId, version, tx.scope.tenantId, JSON.stringify(definition), at],
    );
  }

  async find(tx: Tx, id: string, lock = false): Promise<SurveyRow | null> {
    const [row]: SurveyRow[] = await tx.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE s.id = $1 ${lock ? 'FOR UPDATE OF s' : ''}`, [id]);
    return row ?? null;
  }

  /** A version's definition (responses keep the version they answered). */
  async definition(tx: Tx, surveyId: string, version: number): Promise<SurveyDefinition | null> {
    const [row] = await tx.query(`SELECT definition FROM feedback.survey_versions WHERE survey_id = $1 AND version = $2`, [surveyId, version]);
    return (row?.definition as SurveyDefinition | undefined) ?? null;
  }

  async update(tx: Tx, id: string, set: { name?: string; rules?: SurveyRules; status?: string; version?: number; publishedVersion?: number; closedAt?: Date }, at: Date): Promise<void> {
    await tx.query(
      `UPDATE feedback.surveys SET name = coalesce($2, name), rules = coalesce($3::jsonb, rules), status = coalesce($4, status), version = coalesce($5, version),
         published_version = coalesce($6, published_version), closed_at = coalesce($7, closed_at), updated_at = $8 WHERE id = $1`,
      [id, set.name ?? null, set.rules ? JSON.stringify(set.rules) : null, set.status ?? null, set.version ?? null, set.publishedVersion ?? null, set.closedAt ?? null, at],
    );
  }

  async list(tx: Tx, q: ListSurveysRequest): Promise<Page<SurveyDto>> {
    const cursor = q.cursor ? idCursor.decode(q.cursor) : null;
    const rows: SurveyRow[] = await tx.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE ($2::uuid IS NULL OR s.id > $2) AND ($3::text IS NULL OR s.status = $3) AND ($4::text IS NULL OR s.kind = $4) ORDER BY s.id LIMIT $1`,
      [q.limit + 1, cursor, q.status ?? null, q.kind ?? null],
    );
    return toPage(rows, q.limit, toSurveyDto, (r) => idCursor.encode(r.id));
  }

  /** The active survey a ticket-resolved event invites to (the newest, if several). */
  async activeTriggered(tx: Tx, trigger: string): Promise<SurveyRow | null> {
    const [row]: SurveyRow[] = await tx.query(`SELECT ${COLUMNS} FROM ${FROM} WHERE s.trigger = $1 AND s.status = 'active' ORDER BY s.id DESC LIMIT 1`, [trigger]);
    return row ?? null;
  }
}
