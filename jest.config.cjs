// One Jest run covers every project: `unit` (pure, no I/O), `integration`
// (real PostgreSQL + NATS, one fresh database and NATS prefix per file) and
// `e2e` (the built services as real processes).
const { swcOptions } = require('./tools/swc-options.cjs');

// The dependencies tests load all ship CommonJS (ADR 0001): nothing in node_modules is compiled.
const common = {
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swcOptions(), swcrc: false }] },
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools'],
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};

module.exports = {
  // Known-slow suites first when Jest has no timings yet (tools/test/sequencer.cjs).
  testSequencer: '<rootDir>/tools/test/sequencer.cjs',
  projects: [
    { ...common, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    { ...common, displayName: 'integration', testMatch: ['**/*.int-spec.ts'], setupFilesAfterEnv: ['<rootDir>/tools/test/timeouts.cjs'] },
    { ...common, displayName: 'e2e', testMatch: ['**/*.e2e-spec.ts'], setupFilesAfterEnv: ['<rootDir>/tools/test/timeouts.cjs'] },
  ],
};
