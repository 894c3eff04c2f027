import { logger } from '@steward/telemetry';

/**
 * Set-up steps a service must not wait for to serve requests (its JetStream stream and
 * consumers: a cluster can lose quorum): each runs until it succeeds, at once and then with
 * back-off (1 s, 2 s … 30 s), logging the first failure and one line a minute, never a stack
 * trace per attempt. `stop` (shutdown) cancels what is still pending.
 */
export class BackgroundSetUp {
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  retry<T>(what: string, setUp: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve) => {
      let attempt = 0;
      let lastLog = 0;
      const run = () => {
        if (this.stopped) return;
        setUp().then(
          (value) => {
            if (attempt > 0) logger().info({ attempts: attempt + 1 }, `${what} is set up`);
            resolve(value);
          },
          (err: unknown) => {
            attempt += 1;
            if (attempt === 1 || Date.now() - lastLog > 60_000) {
              lastLog = Date.now();
              logger().warn({ error: err instanceof Error ? err.message : String(err), attempts: attempt }, `cannot set up ${what} yet; retrying in the background`);
            }
            if (this.stopped) return;
            const t = setTimeout(() => {
              this.timers.delete(t);
              run();
            }, Math.min(30_000, 1000 * 2 ** Math.min(attempt - 1, 5)));
            t.unref();
            this.timers.add(t);
          },
        );
      };
      run();
    });
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
