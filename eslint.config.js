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
