/**
 * Faults the platform must ride out with nothing lost, doubled or stuck. Each runs while a
 * bounded idempotent write load is going on (load.ts); `short` ones also run in `npm test`.
 */
import { connect } from 'nats';
import { RPC_TIMEOUT_MS, type FaultPlatform } from './cluster';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Scenario {
  name: string;
  /** Part of the short suite in `npm test`. */
  short: boolean;
  natsNodes: 1 | 3;
  replicas?: 1 | 2;
  /** Injects the fault and undoes it; resolves with when it ended (recovery is measured from there). */
  inject(p: FaultPlatform, o: { full: boolean; log: (m: string) => void }): Promise<number>;
}

async function restart(p: FaultPlatform, name: string, sig: 'SIGKILL' | 'SIGTERM'): Promise<number> {
  await p.signal(name, sig);
  const ended = Date.now();
  await p.spawn(p.serviceOf(name), name);
  return ended;
}

/** The server name of the current leader of the accounts stream. */
async function streamLeader(p: FaultPlatform): Promise<string> {
  const nc = await connect({ servers: p.nats.url.split(',') });
  try {
    const info = await (await nc.jetstreamManager()).streams.info('STEWARD_ACCOUNTS');
    // STEWARD_STREAM_REPLICAS=3 reached the stream: without it there would be no leader to lose.
    if (info.config.num_replicas !== 3) throw new Error(`the accounts stream has ${info.config.num_replicas} replica(s), not 3`);
    const leader = info.cluster?.leader;
    if (!leader) throw new Error('the accounts stream has no leader');
    return leader;
  } finally {
    await nc.close();
  }
}

export const SCENARIOS: Scenario[] = [
  { name: 'accounts killed (SIGKILL) and restarted', short: true, natsNodes: 1, inject: (p) => restart(p, 'accounts', 'SIGKILL') },
  { name: 'gateway killed with requests in flight', short: true, natsNodes: 1, inject: (p) => restart(p, 'gateway', 'SIGKILL') },
  {
    name: `accounts paused past the RPC timeout (${RPC_TIMEOUT_MS} ms)`,
    short: true,
    natsNodes: 1,
    inject: async (p) => {
      await p.signal('accounts', 'SIGSTOP');
      await sleep(RPC_TIMEOUT_MS * 2 + 1_000);
      await p.signal('accounts', 'SIGCONT');
      return Date.now();
    },
  },
  {
    name: 'each service stopped gracefully (SIGTERM) and started again',
    short: false,
    natsNodes: 1,
    inject: async (p) => {
      let ended = 0;
      for (const name of ['accounts', 'gateway']) ended = await restart(p, name, 'SIGTERM');
      return ended;
    },
  },
  {
    name: 'NATS down (30 s; 5 s in the short suite)',
    short: true,
    natsNodes: 1,
    inject: async (p, o) => {
      await p.nats.kill('n1');
      await sleep(o.full ? 30_000 : 5_000);
      await p.nats.restart('n1');
      return Date.now();
    },
  },
  {
    name: 'NATS restarts without its JetStream store',
    short: true,
    natsNodes: 1,
    inject: async (p) => {
      await p.nats.kill('n1');
      await p.nats.restart('n1', true);
      return Date.now();
    },
  },
  {
    name: 'PostgreSQL restarts',
    short: true,
    natsNodes: 1,
    inject: async (p) => {
      await p.pg.down();
      await sleep(2_000);
      await p.pg.up();
      return Date.now();
    },
  },
  {
    name: 'stream leader killed (3-node NATS cluster, streams with 3 replicas, 2 replicas of each service)',
    short: false,
    natsNodes: 3,
    replicas: 2,
    inject: async (p, o) => {
      const leader = await streamLeader(p);
      o.log(`killing the stream leader ${leader}`);
      await p.nats.kill(leader);
      await sleep(5_000);
      await p.nats.restart(leader);
      return Date.now();
    },
  },
];
