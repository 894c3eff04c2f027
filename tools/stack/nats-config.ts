/**
 * `node dist/tools/stack/nats-config.js <file>`: writes the nats-server configuration of a
 * deployment (docker-compose's one-shot `nats-config` service runs it from the image): one
 * user per Steward client (every service and the gateway) with its least-privilege
 * permissions (libs/messaging nats-permissions.ts), each password from the environment
 * (`<CLIENT>_NATS_PASSWORD`, e.g. ACCOUNTS_NATS_PASSWORD, GATEWAY_NATS_PASSWORD; no
 * defaults), subjects under STEWARD_NATS_PREFIX, JetStream into /data, monitoring on 8222
 * (the healthcheck). Generated from the code, so a new service or permission is never
 * missing from a hand-kept file.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { natsAccess } from '@steward/contracts';
import { normalisePrefix, platformNatsUsers, renderNatsServerConfig } from '@steward/messaging';

export type Env = Readonly<Record<string, string | undefined>>;

/** `accounts` → `ACCOUNTS_NATS_PASSWORD`. */
export const natsPasswordVariable = (client: string): string => `${client.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_NATS_PASSWORD`;

/** The configuration text; throws naming every password variable that is missing or shorter than 16 characters. */
export function deploymentNatsConfig(env: Env): string {
  const missing = Object.keys(natsAccess())
    .map(natsPasswordVariable)
    .filter((v) => (env[v]?.length ?? 0) < 16);
  if (missing.length) throw new Error(`set ${missing.join(', ')} (at least 16 characters each): every Steward client logs in to NATS with its own password`);
  const users = platformNatsUsers(normalisePrefix(env.STEWARD_NATS_PREFIX), (client) => env[natsPasswordVariable(client)]!);
  return renderNatsServerConfig({ port: 4222, httpPort: 8222, storeDir: '/data', users });
}

if (require.main === module) {
  const file = process.argv[2];
  try {
    if (!file) throw new Error('usage: node dist/tools/stack/nats-config.js <output file>');
    writeFileSync(file, deploymentNatsConfig(process.env), { mode: 0o600 });
    chmodSync(file, 0o600);
    console.log(`nats-config: wrote ${file} (users: ${Object.keys(natsAccess()).join(', ')})`);
  } catch (err) {
    console.error(`nats-config: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
