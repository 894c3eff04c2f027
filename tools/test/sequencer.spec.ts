import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { rank } = require('./sequencer.cjs') as { rank: (file: string) => number };
const root = path.resolve(__dirname, '..', '..');
const at = (file: string) => path.join(root, file);

describe('test order without timings (tools/test/sequencer.cjs)', () => {
  it('starts the known-slow suites first, in their order, then end-to-end, integration and unit files', () => {
    const files = ['libs/persistence/src/ids.spec.ts', 'libs/messaging/src/inbox.int-spec.ts', 'apps/e2e/src/gateway.e2e-spec.ts', 'tools/faults/faults.e2e-spec.ts', 'tools/generate/generate-service.e2e-spec.ts'];
    expect([...files].sort((a, b) => rank(at(b)) - rank(at(a)))).toEqual([
      'tools/generate/generate-service.e2e-spec.ts',
      'tools/faults/faults.e2e-spec.ts',
      'apps/e2e/src/gateway.e2e-spec.ts',
      'libs/messaging/src/inbox.int-spec.ts',
      'libs/persistence/src/ids.spec.ts',
    ]);
  });

  it('names only suites that exist (a renamed slow suite would silently lose its place)', () => {
    const source = readFileSync(path.join(__dirname, 'sequencer.cjs'), 'utf8');
    const listed = [...source.matchAll(/'([\w/.-]+\.e2e-spec\.ts)'/g)].map((m) => m[1]!);
    expect(listed.length).toBeGreaterThanOrEqual(5);
    for (const file of listed) expect(existsSync(at(file))).toBe(true);
  });
});
