// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layers from './eslint/layers.js';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'bench/out/**',
      'scratch/**',
      '**/*.generated.*',
      // Code of fictional services that impact's extractor reads: not ours to compile or lint.
      'test/fixtures/services/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `any` is allowed only with a comment saying why (CONTRIBUTING.md); the disable comment is that record.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The layers of src/ (eslint/layers.js; CONTRIBUTING.md, "Layers").
    files: ['src/**/*.ts'],
    plugins: { schemapilot: layers },
    rules: { 'schemapilot/layers': 'error' },
  },
  {
    // Typed rules for the bugs that bit async code here: a promise nobody awaits (its rejection
    // is lost, or the deploy moves on before the statement ended) and an async callback where
    // a sync one is expected (an event handler whose rejection nobody sees).
    files: ['src/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
);
