import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { natsAccess } from '@steward/contracts';
import { findRepoRoot } from './config';
import { findNatsServer } from './nats';
import { deploymentNatsConfig, natsPasswordVariable } from './nats-config';

const clients = Object.keys(natsAccess());
const passwords = Object.fromEntries(clients.map((c) => [natsPasswordVariable(c), `${c}-password-0123456789`]));

describe('deployment NATS configuration (docker-compose nats-config)', () => {
  it('has one user per client with its password, JetStream into /data and monitoring on 8222', () => {
    const text = deploymentNatsConfig(passwords);
    for (const c of clients) expect(text).toContain(`user: "${c}"\n      password: "${c}-password-0123456789"`);
    expect(text).toContain('jetstream { store_dir: "/data" }');
    expect(text).toContain('http_port: 8222');
  });

  it('refuses to write a configuration with a missing or short password, naming the variables', () => {
    expect(() => deploymentNatsConfig({ ...passwords, ACCOUNTS_NATS_PASSWORD: undefined, GATEWAY_NATS_PASSWORD: 'short' })).toThrow(/ACCOUNTS_NATS_PASSWORD, GATEWAY_NATS_PASSWORD/);
  });

  it('docker-compose.yml gives nats-config every password and each client its own user', () => {
    const compose = readFileSync(path.join(findRepoRoot(__dirname), 'docker-compose.yml'), 'utf8');
    const natsConfig = compose.slice(compose.indexOf('  nats-config:'), compose.indexOf('\n  nats:'));
    for (const c of clients) {
      const v = natsPasswordVariable(c);
      expect(natsConfig).toContain(`${v}: \${${v}:?`);
      const block = compose.slice(compose.indexOf(`\n  ${c}:\n`));
      expect(block.slice(0, block.indexOf('healthcheck:'))).toContain(`NATS_USER: ${c}\n      NATS_PASSWORD: \${${v}:?`);
    }
  });

  const binary = findNatsServer(process.env.PATH ?? '');
  (binary ? it : it.skip)('is accepted by nats-server (-t: test the configuration)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'steward-nats-conf-'));
    try {
      const file = path.join(dir, 'nats.conf');
      writeFileSync(file, deploymentNatsConfig({ ...passwords, STEWARD_NATS_PREFIX: 'p1' }).replace('"/data"', JSON.stringify(path.join(dir, 'data'))));
      expect(() => execFileSync(binary!, ['-c', file, '-t'], { stdio: 'pipe' })).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
