// Jest's order of test files. With timings from an earlier run (Jest's cache), Jest's own order
// stands: failed files first, then the longest first. Without any (CI's fresh clone), Jest
// orders by file size, which started the 25-line fault suite (two minutes) last, on one worker
// while the other stood idle. There the suites known to take minutes start first, in this
// order, then end-to-end, integration and unit files (each group by size, as Jest does).
const Sequencer = require('@jest/test-sequencer').default;
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const SLOW = [
  'tools/generate/generate-service.e2e-spec.ts',
  'apps/e2e/src/portal/pages.e2e-spec.ts',
  'apps/e2e/src/portal/journeys.e2e-spec.ts',
  'tools/faults/faults.e2e-spec.ts',
  'apps/e2e/src/fuzz.e2e-spec.ts',
];

function rank(file) {
  const slow = SLOW.indexOf(path.relative(root, file).split(path.sep).join('/'));
  if (slow >= 0) return 100 - slow;
  if (file.endsWith('.e2e-spec.ts')) return 3;
  if (file.endsWith('.int-spec.ts')) return 2;
  return 1;
}

class StewardSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.some((t) => t.duration != null)) return sorted;
    // Array.prototype.sort is stable: within a rank, Jest's order by size is kept.
    return [...sorted].sort((a, b) => rank(b.path) - rank(a.path));
  }
}

module.exports = StewardSequencer;
module.exports.rank = rank;
