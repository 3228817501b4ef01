// Only the checks the type checker can not make (docs/decisions/0021): a promise nobody awaits, and a
// promise where a value or a plain callback is expected. Every domain function is async since the
// PostgreSQL seam; a forgotten `await` on a Promise<void> type-checks and runs out of order.
import tseslint from 'typescript-eslint'

export default tseslint.config(
  // The built bundle carries its libraries' own eslint comments: never ours to lint.
  { ignores: ['dist/**', '.tap/**', 'coverage/**'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'test-pg/**/*.ts', 'bench/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
)
