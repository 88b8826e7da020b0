import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'test-results/**', '*.js', '*.mjs', 'bench/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['warn', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'warn',
      'no-console': ['warn', { allow: ['error'] }],
    },
  },
  {
    // The pages' own scripts run in browsers, as plain ES5-style scripts.
    files: ['src/templates/static/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: {
        window: 'readonly', document: 'readonly', fetch: 'readonly', setTimeout: 'readonly',
        ResizeObserver: 'readonly', Intl: 'readonly', URL: 'readonly',
      },
    },
  },
  {
    files: ['test/**/*.ts', '**/*.spec.ts', 'src/cli.ts'],
    rules: { 'no-console': 'off' },
  },
);
