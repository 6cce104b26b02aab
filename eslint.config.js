// Lint rules that matter (style.md): exhaustive switches, no floating promises, type-only imports and
// a pure core: standards/ and policy/ import no I/O, framework or database code. Import cycles are
// checked by dependency-cruiser (.dependency-cruiser.cjs), which also guards the core's boundary.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const IO_MODULES = [
  'fastify',
  'fastify-*',
  '@fastify/*',
  'drizzle-orm',
  'drizzle-orm/*',
  'pg',
  'pg-*',
  '@electric-sql/*',
  'node:*',
  'fs',
  'fs/*',
  'path',
  'child_process',
  'net',
  'http',
  'https',
  'pino',
  'prom-client',
  'commander',
];
const SHELL_FOLDERS = ['**/db/**', '**/server/**', '**/cli/**', '**/web/**'];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'src/db/migrations/',
      '.huji-data/',
      '.huji-test/',
      'coverage/',
      'e2e/screenshots/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'bin/*.js', '.dependency-cruiser.cjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Fastify handlers are async by contract even when they compute synchronously.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['bin/*.js', '*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    files: ['*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    files: ['src/standards/**/*.ts', 'src/policy/**/*.ts', 'src/errors/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: IO_MODULES,
              message: 'The core is pure: no I/O, framework or database imports (ADR 0002).',
            },
            { group: SHELL_FOLDERS, message: 'The core may not import the shell (db, server, cli, web).' },
          ],
        },
      ],
    },
  },
  {
    // Tests and scripts may do anything; type-aware rules that fight test idioms are relaxed.
    files: ['**/*.test.ts', 'test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      'no-restricted-imports': 'off',
    },
  },
);
