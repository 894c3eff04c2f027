import { randomUUID } from 'node:crypto';
import { ErrorCode, Subjects } from '@steward/contracts';
import type { RpcClient } from '@steward/messaging';
import { RPC_CLIENT } from '@steward/service-kit';
import { rpcClient } from '@steward/service-testing';
import { AccountsHarness, startAccountsHarness } from '../testing/accounts-harness';

let h: AccountsHarness;
beforeAll(async () => {
  h = await startAccountsHarness('signedcalls');
});
afterAll(async () => {
  await h?.close();
});

describe('service-to-service requests are signed by the kit', () => {
  it("a request through the kit's RPC client (RPC_CLIENT) is served; the same request unsigned is refused", async () => {
    const t = await h.tenant();
    const kitClient = h.runtime.app.get<RpcClient>(RPC_CLIENT);
    const page = await kitClient.request(Subjects.accounts.userList, { limit: 5 }, { context: t.admin });
    expect(page.items.map((u) => u.id)).toContain(t.adminId);
    await expect(rpcClient(h.nats, h.prefix).request(Subjects.accounts.userList, { limit: 5 }, { context: { ...t.admin, correlationId: randomUUID() } })).rejects.toMatchObject({
      code: ErrorCode.ContextRejected,
    });
  });
});
