// One Jest run covers every project: `unit` (pure, no I/O), `integration`
// (real PostgreSQL + NATS, one fresh database and NATS prefix per file) and
// `e2e` (the built services as real processes).
const { swcOptions } = require('./tools/swc-options.cjs');

// A few runtime dependencies ship ESM only; Jest (CJS on Node 20) needs them compiled.
const esmOnly = ['content-disposition'];
const transform = {
  '^.+\\.ts$': ['@swc/jest', { ...swcOptions(), swcrc: false }],
  [`node_modules/(${esmOnly.join('|')})/.+\\.js$`]: ['@swc/jest', { module: { type: 'commonjs' }, swcrc: false }],
};
const common = {
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
};

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['**/*.int-spec.ts'], testTimeout: 60000 },
    { ...common, displayName: 'e2e', testMatch: ['**/*.e2e-spec.ts'], testTimeout: 120000 },
  ],
};
