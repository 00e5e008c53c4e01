// Only when the platform runs from its TypeScript sources (jest, the benchmarks): lets a hashing worker
// thread require hash-worker.ts, compiling each .ts file with SWC (a dev dependency) on require. The
// built platform (dist/) runs the compiled hash-worker.js and never loads this file.
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compile(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    jsc: { parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true }, target: 'es2022' },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
