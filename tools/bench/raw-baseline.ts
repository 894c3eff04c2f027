/**
 * Raw baseline of the write-path benchmark, in plain Node (no Nest, no TypeORM, no
 * validation, no auth). Spawned by write-path.bench.ts as two processes, mirroring the
 * platform's gateway + accounts topology:
 *
 *   node dist/tools/bench/raw-baseline.js responder   NATS queue subscriber + pg Pool (max 10,
 *                                                     role steward_accounts, so RLS applies)
 *   node dist/tools/bench/raw-baseline.js http        node:http server: parse JSON, one NATS
 *                                                     request to the responder, 201 + reply
 *
 * Per request the responder runs, in ONE transaction: set_config('app.tenant_id'), INSERT
 * accounts.partners, INSERT accounts.audit_log, INSERT accounts.outbox, COMMIT.
 * Environment: DATABASE_URL, NATS_URL, STEWARD_NATS_PREFIX, BENCH_TENANT_ID, PORT (http),
 * DB_POOL_MAX (responder, default 10), DB_ROLE (responder, default steward_accounts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { connect, type Msg, type NatsConnection } from 'nats';
import { Pool } from 'pg';

const SUBJECT = 'bench.raw.partners.create';
const QUEUE = 'bench-raw';
const OUTBOX_SUBJECT = 'accounts.events.partner.created.v1';

const enc = new TextEncoder();
const dec = new TextDecoder();

function required(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`raw-baseline: ${name} is required`);
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

interface CreatePartner {
  tenantId: string;
  name: string;
  kind: string;
  region?: string | null;
  contactEmail?: string | null;
}

async function responder(): Promise<() => Promise<void>> {
  const prefix = process.env.STEWARD_NATS_PREFIX ?? '';
  const role = process.env.DB_ROLE ?? 'steward_accounts';
  const pool = new Pool({ connectionString: required('DATABASE_URL'), max: Number(process.env.DB_POOL_MAX ?? 10), options: `-c role=${role}` });
  const nc = await connect({ servers: required('NATS_URL'), name: 'bench-raw-responder' });

  const handle = async (msg: Msg): Promise<void> => {
    let reply: unknown;
    const client = await pool.connect();
    try {
      const req = JSON.parse(dec.decode(msg.data)) as CreatePartner;
      const id = uuidv7();
      const partner = { id, name: req.name, kind: req.kind, region: req.region ?? null, contactEmail: req.contactEmail ?? null, createdAt: new Date().toISOString() };
      await client.query('BEGIN');
      try {
        await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [req.tenantId]);
        await client.query(`INSERT INTO accounts.partners (id, tenant_id, name, kind, region, contact_email) VALUES ($1, $2, $3, $4, $5, $6)`, [
          id,
          req.tenantId,
          partner.name,
          partner.kind,
          partner.region,
          partner.contactEmail,
        ]);
        await client.query(
          `INSERT INTO accounts.audit_log (id, tenant_id, actor, action, entity_type, entity_id, before, after, correlation_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [uuidv7(), req.tenantId, 'user:bench', 'partner.created', 'partner', id, null, JSON.stringify(partner), randomUUID()],
        );
        await client.query(`INSERT INTO accounts.outbox (id, tenant_id, subject, payload, headers) VALUES ($1, $2, $3, $4, $5)`, [
          randomUUID(),
          req.tenantId,
          OUTBOX_SUBJECT,
          JSON.stringify({ partner }),
          JSON.stringify({ 'Steward-Tenant-Id': req.tenantId }),
        ]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
      reply = { ok: true, data: partner };
    } catch (err) {
      reply = { ok: false, error: { code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) } };
    } finally {
      client.release();
    }
    msg.respond(enc.encode(JSON.stringify(reply)));
  };

  const sub = nc.subscribe(prefix + SUBJECT, { queue: QUEUE, callback: (err, msg) => (err ? console.error(err) : void handle(msg)) });
  await nc.flush();
  console.log(JSON.stringify({ level: 30, msg: 'raw responder ready', subject: prefix + SUBJECT }));
  return async () => {
    sub.unsubscribe();
    await nc.drain();
    await pool.end();
  };
}

async function httpFront(): Promise<() => Promise<void>> {
  const prefix = process.env.STEWARD_NATS_PREFIX ?? '';
  const tenantId = required('BENCH_TENANT_ID');
  const port = Number(required('PORT'));
  const nc: NatsConnection = await connect({ servers: required('NATS_URL'), name: 'bench-raw-http' });

  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/readyz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<CreatePartner, 'tenantId'>;
          const msg = await nc.request(prefix + SUBJECT, enc.encode(JSON.stringify({ ...body, tenantId })), { timeout: 5000 });
          const reply = JSON.parse(dec.decode(msg.data)) as { ok: boolean; data?: unknown; error?: unknown };
          const status = reply.ok ? 201 : 500;
          res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply.ok ? reply.data : reply.error));
        } catch (err) {
          res.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ message: err instanceof Error ? err.message : String(err) }));
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  console.log(JSON.stringify({ level: 30, msg: 'raw http ready', port }));
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await nc.drain();
  };
}

async function main(mode: string | undefined): Promise<void> {
  let stop: () => Promise<void>;
  if (mode === 'responder') stop = await responder();
  else if (mode === 'http') stop = await httpFront();
  else throw new Error(`usage: raw-baseline.js responder|http (got ${String(mode)})`);
  const shutdown = () => {
    stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
    setTimeout(() => process.exit(0), 2_000).unref();
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

if (require.main === module) {
  main(process.argv[2]).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
