/** Jest runs TypeScript through SWC (fast, keeps decorator metadata for NestJS); `npm run typecheck` is the type gate. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // A guard against a hung test, not a performance budget: on a 2-core CI machine with a benchmark beside it
  // (issue 16's acceptance), a suite's start-up hook took over 60 s (http-pipeline: 6.8 s alone, 92 s at load 17).
  testTimeout: 180000,
  maxWorkers: 2,
};
