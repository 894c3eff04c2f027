/**
 * Raw baseline of the feedback benchmark: a plain `node:http` server (no Nest, no NATS, no
 * auth, no validation, no tagging, no events) doing the platform's core writes through `pg`
 * (Pool max 10, role steward_feedback so row-level security applies):
 *
 *   POST /import        { surveyId, rows: [{ externalId, answeredAt, score, answers, weight }] }
 *                       one transaction: set_config; INSERT … SELECT FROM unnest(…) ON CONFLICT
 *                       (tenant, external id) DO NOTHING RETURNING id; INSERT the rollup-queue
 *                       rows of the inserted ones (marked `raw`: the bench deletes them); COMMIT → { imported }
 *   POST /respond/<invitation id>.<secret hex>   { answers: { recommend, … } }
 *                       one transaction: set_config; SELECT the invitation FOR UPDATE; SHA-256
 *                       of the secret against its hash; 409 when answered; INSERT the response;
 *                       UPDATE the invitation; INSERT its rollup-queue row; COMMIT → { status }
 *
 *   node dist/tools/bench/feedback-raw.js
 * Environment: DATABASE_URL, BENCH_TENANT_ID, PORT, DB_POOL_MAX (default 10).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Pool, type PoolClient } from 'pg';

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`feedback-raw: ${name} is required`);
  return v;
}

/** Same id scheme as the platform (UUIDv7), so index behaviour matches. */
function uuidv7(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

interface ImportRow {
  externalId: string;
  answeredAt: string;
  score: number;
  answers: Record<string, unknown>;
  weight?: number;
}

async function main(): Promise<void> {
  const tenantId = required('BENCH_TENANT_ID');
  const port = Number(required('PORT'));
  const pool = new Pool({ connectionString: required('DATABASE_URL'), max: Number(process.env.DB_POOL_MAX ?? 10), options: '-c role=steward_feedback' });

  const inTenant = async <T>(fn: (c: PoolClient) => Promise<T>): Promise<T> => {
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      try {
        await c.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
        const out = await fn(c);
        await c.query('COMMIT');
        return out;
      } catch (err) {
        await c.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      c.release();
    }
  };

  const queue = (c: PoolClient, ids: string[], months: string[], scores: number[], surveyId: string) =>
    c.query(
      `INSERT INTO feedback.rollup_queue (response_id, tenant_id, month, dims, contributions)
       SELECT u.id, $1, u.month::date, jsonb_build_object('survey', $5::text, 'raw', '1'), jsonb_build_array(jsonb_build_object('kind', 'nps', 'score', u.score))
       FROM unnest($2::uuid[], $3::text[], $4::int[]) AS u(id, month, score)`,
      [tenantId, ids, months, scores, surveyId],
    );

  const importRows = (surveyId: string, rows: ImportRow[]) =>
    inTenant(async (c) => {
      const ids = rows.map(() => uuidv7());
      const now = new Date();
      const inserted = await c.query<{ id: string; month: string; score: number }>(
        `INSERT INTO feedback.responses (id, tenant_id, survey_id, kind, version, external_id, channel, answered_at, weight, score, answers, recorded_at)
         SELECT u.id, $1, $2, 'nps', 1, u.external_id, 'crm-import', u.answered_at, u.weight, u.score, u.answers, $8
         FROM unnest($3::uuid[], $4::text[], $5::timestamptz[], $6::float8[], $7::int[], $9::jsonb[]) AS u(id, external_id, answered_at, weight, score, answers)
         ON CONFLICT (tenant_id, external_id) WHERE external_id IS NOT NULL DO NOTHING
         RETURNING id, to_char(answered_at, 'YYYY-MM-01') AS month, score`,
        [tenantId, surveyId, ids, rows.map((r) => r.externalId), rows.map((r) => r.answeredAt), rows.map((r) => r.weight ?? 1), rows.map((r) => r.score), now, rows.map((r) => JSON.stringify(r.answers))],
      );
      await queue(
        c,
        inserted.rows.map((r) => r.id),
        inserted.rows.map((r) => r.month),
        inserted.rows.map((r) => r.score),
        surveyId,
      );
      return { imported: inserted.rowCount ?? 0 };
    });

  const respond = (invitationId: string, secret: Buffer, answers: Record<string, unknown>) =>
    inTenant(async (c) => {
      const [inv] = (await c.query<{ survey_id: string; token_hash: Buffer; status: string; version: number }>(`SELECT survey_id, token_hash, status, version FROM feedback.invitations WHERE id = $1 FOR UPDATE`, [invitationId])).rows;
      const digest = createHash('sha256').update(secret).digest();
      if (!inv || inv.token_hash.length !== digest.length || !timingSafeEqual(inv.token_hash, digest)) return { status: 404, body: { code: 'INVITATION_NOT_FOUND' } };
      if (inv.status === 'completed') return { status: 409, body: { code: 'INVITATION_USED' } };
      const id = uuidv7();
      const now = new Date();
      const score = Number(answers.recommend);
      await c.query(
        `INSERT INTO feedback.responses (id, tenant_id, survey_id, kind, version, invitation_id, channel, answered_at, score, answers, recorded_at)
         VALUES ($1, $2, $3, 'nps', $4, $5, 'email', $6, $7, $8, $6)`,
        [id, tenantId, inv.survey_id, inv.version, invitationId, now, score, JSON.stringify(answers)],
      );
      await c.query(`UPDATE feedback.invitations SET status = 'completed', answers = $2, responded_at = $3, response_id = $4 WHERE id = $1`, [invitationId, JSON.stringify(answers), now, id]);
      await queue(c, [id], [`${now.toISOString().slice(0, 7)}-01`], [score], inv.survey_id);
      return { status: 200, body: { status: 'completed', responseId: id } };
    });

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (d: Buffer) => chunks.push(d));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });
  const send = (res: ServerResponse, status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/readyz') return send(res, 200, { status: 'ok' });
    if (req.method !== 'POST') return send(res, 404, {});
    void readBody(req)
      .then(async (text) => {
        const body = JSON.parse(text) as { surveyId?: string; rows?: ImportRow[]; answers?: Record<string, unknown> };
        if (url.pathname === '/import') return send(res, 200, await importRows(body.surveyId!, body.rows!));
        const m = /^\/respond\/([0-9a-f-]{36})\.([0-9a-f]{64})$/.exec(url.pathname);
        if (!m) return send(res, 404, {});
        const r = await respond(m[1]!, Buffer.from(m[2]!, 'hex'), body.answers ?? {});
        return send(res, r.status, r.body);
      })
      .catch((err: unknown) => send(res, 500, { error: String(err) }));
  });
  server.keepAliveTimeout = 60_000;
  server.listen(port, '127.0.0.1');
  const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
