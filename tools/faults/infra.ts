/**
 * The fault suite's own infrastructure, which it may kill and restart at will (the machine's
 * shared PostgreSQL and NATS are never touched): nats-server processes (one, or a 3-node
 * JetStream cluster) with their own stores, and an embedded PostgreSQL.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findNatsServer } from '../stack/nats';
import { freePort, waitForPort } from '../stack/net';
import { EmbeddedPostgresHandle, ensureDatabase, startEmbeddedPostgres } from '../stack/postgres';
import { spawnManaged, stopAll, type ManagedProcess } from '../stack/processes';

export interface NatsNode {
  name: string;
  port: number;
  clusterPort: number;
  storeDir: string;
  proc?: ManagedProcess;
}

/** A scratch folder other users can enter (the embedded PostgreSQL runs as `postgres` under root). */
export function scratchDir(label: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `steward-faults-${label}-`));
  chmodSync(dir, 0o755);
  return dir;
}

export class NatsNodes {
  readonly nodes: NatsNode[] = [];
  private readonly binary: string;

  private constructor(private readonly dir: string) {
    const binary = findNatsServer(process.env.PATH ?? '');
    if (!binary) throw new Error('the fault suite needs a nats-server binary on PATH or in /usr/sbin (apt-get install nats-server)');
    this.binary = binary;
  }

  /** `size` nodes (1, or 3 for a JetStream cluster), started. */
  static async start(dir: string, size: 1 | 3): Promise<NatsNodes> {
    const n = new NatsNodes(dir);
    for (let i = 0; i < size; i++) n.nodes.push({ name: `n${i + 1}`, port: await freePort(), clusterPort: await freePort(), storeDir: path.join(dir, `nats-${i + 1}`) });
    for (const node of n.nodes) n.spawn(node);
    await Promise.all(n.nodes.map((node) => n.waitUp(node)));
    if (size > 1) await new Promise((r) => setTimeout(r, 1_500)); // let the cluster elect a meta leader
    return n;
  }

  get url(): string {
    return this.nodes.map((node) => `nats://127.0.0.1:${node.port}`).join(',');
  }

  private spawn(node: NatsNode): void {
    mkdirSync(node.storeDir, { recursive: true });
    const args = ['-a', '127.0.0.1', '-p', String(node.port), '-js', '-sd', node.storeDir, '--server_name', node.name];
    if (this.nodes.length > 1) {
      const routes = this.nodes.filter((x) => x !== node).map((x) => `nats://127.0.0.1:${x.clusterPort}`);
      args.push('--cluster_name', 'steward-faults', '--cluster', `nats://127.0.0.1:${node.clusterPort}`, '--routes', routes.join(','));
    }
    node.proc = spawnManaged(`nats-${node.name}`, this.binary, args, { cwd: this.dir, env: { PATH: process.env.PATH ?? '' } });
  }

  private async waitUp(node: NatsNode): Promise<void> {
    if (!(await waitForPort('127.0.0.1', node.port, 15_000))) throw new Error(`nats-server ${node.name} did not listen on ${node.port}: ${node.proc?.recent.last(5).join(' | ')}`);
  }

  async kill(name: string): Promise<void> {
    const node = this.nodes.find((x) => x.name === name)!;
    if (node.proc && !node.proc.exitInfo) {
      process.kill(node.proc.pid, 'SIGKILL');
      await node.proc.exited;
    }
  }

  /** Starts a killed node again on the same ports; `wipe` deletes its JetStream store first. */
  async restart(name: string, wipe = false): Promise<void> {
    const node = this.nodes.find((x) => x.name === name)!;
    if (wipe) rmSync(node.storeDir, { recursive: true, force: true });
    this.spawn(node);
    await this.waitUp(node);
  }

  async stop(): Promise<void> {
    await stopAll(this.nodes.flatMap((x) => (x.proc ? [x.proc] : [])), 5_000);
  }
}

/** An embedded PostgreSQL the suite can restart, with one database `steward`. */
export class Postgres {
  private handle?: EmbeddedPostgresHandle;
  url = '';

  constructor(
    private readonly dataDir: string,
    private readonly port: number,
  ) {}

  static async start(dir: string): Promise<Postgres> {
    const pg = new Postgres(path.join(dir, 'postgres'), await freePort());
    await pg.up();
    await ensureDatabase(pg.handle!.urlFor('postgres'), 'steward');
    pg.url = pg.handle!.urlFor('steward');
    return pg;
  }

  async up(): Promise<void> {
    this.handle = await startEmbeddedPostgres({ dataDir: this.dataDir, port: this.port });
  }

  async down(): Promise<void> {
    await this.handle?.stop();
    this.handle = undefined;
  }
}
