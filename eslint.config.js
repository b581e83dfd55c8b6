// ESLint for the TypeScript sources, tests, benchmarks and scripts (`npm run lint`, also run by .ci/run).
// Formatting is prettier's (`npm run format`); type errors are tsc's. These rules catch what neither does.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'test/fixtures/', 'examples/**/bin/', 'templates/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // tsc's noUnusedLocals/noUnusedParameters already report these, with `_` prefixes allowed.
      '@typescript-eslint/no-unused-vars': 'off',
      // Control characters in regular expressions are deliberate here (NUL checks in file reading, ANSI redraws).
      'no-control-regex': 'off',
    },
  },
  {
    // Tests read wire payloads (ARM, Kubernetes, registry JSON) whose shapes they assert field by field.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The dashboard's page script runs in the browser.
    files: ['ui/**/*.js'],
    languageOptions: { globals: { document: 'readonly', fetch: 'readonly', EventSource: 'readonly', setInterval: 'readonly', location: 'readonly' } },
  },
  {
    files: ['examples/**/*.js', 'bin/*.js', 'eslint.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
