// Flat config: typescript-eslint recommended rules, plus the layering rule of DESIGN.md (imports point inward).
const tseslint = require('typescript-eslint');
module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', '.ci/**', 'coverage/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The CommonJS files (this config, the SWC require hooks, the offline verifier that runs on Node alone) load with require().
    files: ['**/*.js', '**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: ['../../application/*', '../../infrastructure/*', '../../projections/*', '@nestjs/*', 'better-sqlite3', 'node:fs', 'fs'] }],
    },
  },
  {
    files: ['application/**/*.ts', 'projections/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: ['**/infrastructure/*', '**/infrastructure/**'] }] },
  },
);
