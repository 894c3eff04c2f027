// Jest reads `testTimeout` only from the global config, not per project: integration and
// end-to-end tests (which start real services) get their longer default here.
jest.setTimeout(expect.getState().testPath?.includes('.e2e-spec.') ? 120_000 : 60_000);
