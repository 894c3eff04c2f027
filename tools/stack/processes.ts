/**
 * Child processes of the launcher: spawned with piped output, stopped by PID
 * (SIGTERM, grace period, SIGKILL), and killed anyway if the launcher itself dies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { LineBuffer, lineSplitter } from './log-format';

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  name: string;
  pid: number;
  child: ChildProcess;
  /** Last lines of output, raw. */
  recent: LineBuffer;
  /** Resolves when the process has exited (never rejects). */
  exited: Promise<ExitInfo>;
  exitInfo?: ExitInfo;
}

export interface SpawnOptions {
  env: Record<string, string>;
  cwd: string;
  /** Called with every output line (stdout and stderr). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
}

const live = new Set<ManagedProcess>();
let exitHookInstalled = false;

/** Last resort: if the launcher exits without stopping its children, SIGKILL them. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const p of live) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
}

export function describeExit(info: ExitInfo): string {
  return info.signal ? `killed by ${info.signal}` : `exit code ${String(info.code)}`;
}

export function spawnManaged(name: string, command: string, args: readonly string[], opts: SpawnOptions): ManagedProcess {
  installExitHook();
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const recent = new LineBuffer(40);
  const splitters = (['stdout', 'stderr'] as const).map((stream) => {
    const splitter = lineSplitter((line) => {
      recent.push(line);
      opts.onLine?.(line, stream);
    });
    child[stream]?.on('data', splitter.write);
    return splitter;
  });
  let spawnError: Error | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('error', (err) => {
      spawnError = err;
      recent.push(`failed to start ${command}: ${err.message}`);
      resolve({ code: null, signal: null });
    });
    child.once('close', (code, signal) => resolve({ code, signal }));
  });
  if (child.pid === undefined) {
    // spawn failed synchronously-ish (ENOENT is reported through 'error'); keep the shape.
    recent.push(`failed to start ${command}`);
  }
  const managed: ManagedProcess = { name, pid: child.pid ?? -1, child, recent, exited };
  live.add(managed);
  void exited.then((info) => {
    for (const s of splitters) s.flush();
    managed.exitInfo = spawnError ? { code: null, signal: null } : info;
    live.delete(managed);
  });
  return managed;
}

function signal(p: ManagedProcess, sig: NodeJS.Signals): void {
  if (p.exitInfo || p.pid <= 0) return;
  try {
    process.kill(p.pid, sig);
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

/** SIGTERM to every process by PID, wait up to `graceMs`, then SIGKILL the rest. */
export async function stopAll(processes: readonly ManagedProcess[], graceMs = 10_000): Promise<string[]> {
  const running = processes.filter((p) => !p.exitInfo);
  for (const p of running) signal(p, 'SIGTERM');
  const allDone = Promise.all(running.map((p) => p.exited)).then(() => true);
  const inTime = await Promise.race([allDone, sleep(graceMs).then(() => false)]);
  const killed: string[] = [];
  if (!inTime) {
    for (const p of running) {
      if (!p.exitInfo) {
        killed.push(p.name);
        signal(p, 'SIGKILL');
      }
    }
    await Promise.race([allDone, sleep(2_000)]);
  }
  return killed;
}

export class ReadinessError extends Error {}

/**
 * Polls `url` until it answers 200. Fails early if `proc` exits, and after `timeoutMs`
 * with the service name and its last log lines.
 */
export async function waitForReady(proc: ManagedProcess, url: string, timeoutMs = 60_000, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (proc.exitInfo) {
      throw new ReadinessError(`${proc.name} exited before it was ready (${describeExit(proc.exitInfo)})`);
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer().catch(() => undefined);
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
    }
    await Promise.race([sleep(intervalMs), proc.exited]);
  }
  throw new ReadinessError(`${proc.name} was not ready after ${Math.round(timeoutMs / 1000)} s (${url}: ${last})`);
}
