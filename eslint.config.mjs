import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import nx from '@nx/eslint-plugin';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';

const testOnlyImports = ['@steward/testing', '@steward/service-testing'].map((name) => ({ name, message: `Only tests import ${name}.` }));
const domainBans = ['@nestjs/*', 'typeorm', 'typeorm/*', 'nats', 'pg', '@steward/messaging', '@steward/persistence', '@steward/telemetry'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.steward/**', '**/*.cjs', '**/*.mjs', 'tmp/**', 'libs/api-client/src/schema.ts', 'libs/api-client/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', 'apps/portal/**/*.tsx'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@nx': nx, 'import-x': importX },
    settings: { 'import-x/resolver-next': [importX.createNodeResolver()] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            // The portal (browser) depends on the typed API client only (see the portal block below).
            { sourceTag: 'type:web', onlyDependOnLibsWithTags: ['type:contracts'] },
            { sourceTag: 'scope:portal', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:domain', 'type:testing', 'type:kernel'] },
            { sourceTag: 'type:platform', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:kernel'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:contracts', 'type:testing', 'type:kernel', 'type:tooling'] },
            // The local stack, benchmarks and generators run the built apps as processes; they import only libraries.
            { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:contracts', 'type:kernel', 'type:domain', 'type:platform', 'type:testing'] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:kernel', 'type:testing'] },
            { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:kernel'] },
            { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', 'type:kernel'] },
            // The domain kernel (one error type, its checks, shared vocabularies) depends on nothing.
            { sourceTag: 'type:kernel', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:gateway', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:accounts', onlyDependOnLibsWithTags: ['scope:shared', 'scope:accounts'] },
            { sourceTag: 'scope:support', onlyDependOnLibsWithTags: ['scope:shared', 'scope:support'] },
            { sourceTag: 'scope:feedback', onlyDependOnLibsWithTags: ['scope:shared', 'scope:feedback'] },
            { sourceTag: 'scope:value', onlyDependOnLibsWithTags: ['scope:shared', 'scope:value'] },
            { sourceTag: 'scope:support', onlyDependOnLibsWithTags: ['scope:shared', 'scope:support'] },
            // Outcome contracts are settled by value-domain's rule (one rule, one place): the catalog may use that library.
            { sourceTag: 'scope:catalog', onlyDependOnLibsWithTags: ['scope:shared', 'scope:catalog', 'scope:value'] },
            { sourceTag: 'scope:feedback', onlyDependOnLibsWithTags: ['scope:shared', 'scope:feedback'] },
            // generate:service adds new services' scope constraints above this line
          ],
        },
      ],
      // Configuration is read once, in each app's config.ts; everything else receives a typed object.
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration in config.ts only.' }],
    },
  },
  {
    // Test code may only import the testing library from test files.
    files: ['apps/*/src/**/*.ts', 'libs/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'libs/testing/**', 'libs/service-testing/**', 'apps/*/src/testing/**', 'apps/e2e/**'],
    rules: { 'no-restricted-imports': ['error', { paths: testOnlyImports }] },
  },
  {
    // Domain libraries and their kernel are plain functions over plain data: no framework, ORM, broker or driver.
    // (Listed after the testing rule: a later block replaces a rule's options, it does not merge them.)
    files: ['libs/*-domain/**/*.ts', 'libs/domain-kernel/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: testOnlyImports,
          patterns: domainBans.map((group) => ({ group: [group], message: 'Domain libraries stay free of I/O and frameworks.' })),
        },
      ],
    },
  },
  {
    // Database access lives in the feature's repository, every method taking the scope
    // (docs/adr/0005-persistence.md); a feature reaches another only through its service.
    files: ['apps/*/src/**/*.ts'],
    ignores: ['**/*.repository.ts', '**/migrations/**', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', 'apps/*/src/testing/**', 'apps/e2e/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='query']", message: 'Database access belongs in the feature repository (<feature>.repository.ts).' },
        { selector: "ImportDeclaration[source.value=/^\\.\\.\\/[^/]+\\/[^/]+\\.repository$/]", message: "Use the other feature's service, not its repository." },
      ],
    },
  },
  {
    files: ['**/config.ts', 'tools/**/*.ts', 'libs/testing/**/*.ts', 'libs/service-testing/**/*.ts', 'apps/e2e/**/*.ts', '**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
  {
    // The portal runs in browsers: React's hook rules; only the typed API client from the libraries
    // (the others are server code); configuration comes from the page, not from process.env.
    files: ['apps/portal/**/*.ts', 'apps/portal/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': ['error', { patterns: [{ regex: '^@steward/(?!api-client$)', message: 'The portal uses only @steward/api-client (the other libraries are server code).' }] }],
    },
  },
);
