/**
 * The fuzz suite's settings (the only place it reads the environment). `npm test` runs the
 * short version (100 requests per write endpoint); `npm run fuzz` sets FUZZ_PER_ENDPOINT=1000.
 */
export interface FuzzConfig {
  perEndpoint: number;
  seed: number;
  concurrency: number;
  /** Where the JSON report goes (relative to the repository root). */
  reportFile: string;
}

export function loadFuzzConfig(env: Readonly<Record<string, string | undefined>> = process.env): FuzzConfig {
  const int = (name: string, fallback: number, min: number, max: number) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    return n;
  };
  return {
    perEndpoint: int('FUZZ_PER_ENDPOINT', 100, 1, 100_000),
    seed: int('FUZZ_SEED', 20261202, 0, 2 ** 31 - 1),
    concurrency: int('FUZZ_CONCURRENCY', 8, 1, 64),
    reportFile: env.FUZZ_REPORT ?? 'tmp/fuzz-report.json',
  };
}
