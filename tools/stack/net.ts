import { createConnection, createServer } from 'node:net';

/** True when something accepts TCP connections on host:port within `timeoutMs`. */
export function tcpProbe(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Waits until host:port accepts connections; false after `timeoutMs`. `abort` stops early (e.g. the server exited). */
export async function waitForPort(host: string, port: number, timeoutMs: number, abort?: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (abort?.()) return false;
    if (await tcpProbe(host, port, 500)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Ports this process handed out already: never twice, even once they are free again. */
const handedOut = new Set<number>();

/**
 * A TCP port free on 127.0.0.1 right now (for tests and `STEWARD_OPS_PORTS=free`). Picked at
 * random below the kernel's ephemeral range (32768 and up on Linux), where outgoing
 * connections (to PostgreSQL, NATS...) take their source ports: a port taken from that range
 * can be grabbed by a client socket between this call and the server's listen (EADDRINUSE).
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (handedOut.has(port) || !(await canListen(port))) continue;
    handedOut.add(port);
    return port;
  }
  const port = await listenOnce(0);
  handedOut.add(port);
  return port;
}

async function canListen(port: number): Promise<boolean> {
  try {
    await listenOnce(port);
    return true;
  } catch {
    return false;
  }
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}
