// One swc configuration for the build (tools/build.mjs) and for Jest (@swc/jest),
// so tests run exactly the code that ships. Path aliases come from tsconfig.base.json
// and are rewritten to relative requires at compile time.
const path = require('node:path');
const root = path.resolve(__dirname, '..');
const { compilerOptions } = require('../tsconfig.base.json');

function swcOptions({ sourceMaps = true } = {}) {
  return {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2022',
      keepClassNames: true,
      baseUrl: root,
      paths: compilerOptions.paths,
    },
    module: { type: 'commonjs', strictMode: true },
    sourceMaps,
  };
}

module.exports = { swcOptions, root };
