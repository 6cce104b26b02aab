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
// The web app runs in the browser: of src/ it may use the pure core only (standards, policy, errors).
const NOT_FOR_THE_BROWSER = [
  '**/src/db/**',
  '**/src/server/**',
  '**/src/cli/**',
  '**/src/accounts/**',
  '**/src/register/**',
  // The commands' field rules depend on zod alone and are shared with the forms.
  '!**/src/register/command-fields',
  '**/src/services/**',
  '**/src/documents/**',
  '**/src/audit/**',
];
const BROWSER_GLOBALS = Object.fromEntries(
  ['window', 'document', 'navigator', 'localStorage', 'fetch', 'console', 'URL', 'URLSearchParams'].map(
    (name) => [name, 'readonly'],
  ),
);

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'src/db/migrations/',
      '.huji-data/',
      // The compiled CLI (npm install's prepare step: scripts/build-cli.ts).
      '.huji-build/',
      '.huji-test/',
      'coverage/',
      'e2e/screenshots/',
      'web/dist/',
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
    files: ['web/**/*.ts', 'web/**/*.tsx'],
    languageOptions: { globals: BROWSER_GLOBALS },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: IO_MODULES,
              message: 'The web app runs in the browser: no Node, server or database packages.',
            },
            {
              group: NOT_FOR_THE_BROWSER,
              message:
                'The web app may import the pure core only (src/policy, src/standards, src/errors, src/register/command-fields).',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests and scripts may do anything; type-aware rules that fight test idioms are relaxed.
    files: ['**/*.test.ts', 'test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts', 'e2e/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      'no-restricted-imports': 'off',
    },
  },
);
