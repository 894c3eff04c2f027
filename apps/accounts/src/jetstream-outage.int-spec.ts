import { spawn, ChildProcess } from 'node:child_process';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { Events, Subjects } from '@steward/contracts';
import { ServiceHarness, startServiceHarness } from '@steward/service-testing';
import { expectEventually, freePort, makeTenantRequest } from '@steward/testing';
import type { AccountsSettings } from './config';
import { accountsService } from './service';
import { TEST_ACCOUNTS_SETTINGS } from './testing/accounts-harness';

// A service must start and serve requests while JetStream cannot take streams (no quorum on
// a cluster; here: a NATS without JetStream at all): it sets its stream up in the background,
// and reports event publishing as failing beside request readiness.
let nats: ChildProcess;
let h: ServiceHarness<AccountsSettings>;

beforeAll(async () => {
  const port = await freePort();
  nats = spawn(process.env.NATS_SERVER_BIN ?? 'nats-server', ['-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', env: { PATH: `${process.env.PATH ?? ''}:/usr/sbin` } });
  await expectEventually(async () => {
    const net = await import('node:net');
    await new Promise<void>((resolve, reject) => net.connect(port, '127.0.0.1').once('connect', function (this: import('node:net').Socket) { this.destroy(); resolve(); }).once('error', reject));
  });
  const started = Date.now();
  h = await startServiceHarness(accountsService, 'jsoutage', { settings: TEST_ACCOUNTS_SETTINGS, natsUrl: `nats://127.0.0.1:${port}`, ops: true });
  expect(Date.now() - started).toBeLessThan(15_000);
});
afterAll(async () => {
  await h?.close();
  nats?.kill('SIGKILL');
});

describe('a service whose JetStream is not available', () => {
  it('serves requests, reports publishing as failing without failing request readiness, and keeps its events', async () => {
    const operator = { actor: { kind: 'operator' as const, id: 'operator' as const }, correlationId: 'js-outage' };
    const created = await h.client.request(Subjects.accounts.tenantCreate, makeTenantRequest(), { context: operator });
    expect(created.tenant.id).toBeDefined();

    const ops = `http://127.0.0.1:${(h.runtime.ops!.address() as AddressInfo).port}`;
    await expectEventually(async () => {
      const ready = await fetch(`${ops}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', publishing: { ok: false } });
      expect((await fetch(`${ops}/readyz/publishing`)).status).toBe(503);
    }, { timeoutMs: 15_000 });
    const metrics = await (await fetch(`${ops}/metrics`)).text();
    expect(metrics).toMatch(/steward_outbox_publishing\S* 0/);
    // The events wait in the outbox, nothing is lost.
    const admin = new Client({ connectionString: h.db.url });
    await admin.connect();
    try {
      const { rows } = await admin.query(`SELECT subject FROM accounts.outbox WHERE sent_at IS NULL ORDER BY seq`);
      expect(rows.map((r: { subject: string }) => r.subject)).toEqual([Events.accounts.tenantCreated, Events.accounts.userCreated]);
    } finally {
      await admin.end();
    }
    // The stream set-up is still pending, retried in the background.
    const settled = await Promise.race([h.runtime.ready.then(() => 'ready'), new Promise((r) => setTimeout(() => r('pending'), 500))]);
    expect(settled).toBe('pending');
  }, 40_000);
});
