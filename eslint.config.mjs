import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'var/**', '.tools/**', 'coverage/**', '*.js', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='process'][property.name='env']",
          message: 'Read configuration through src/config.ts.',
        },
      ],
    },
  },
  {
    // Entry points, config, the tools resolver and tests may read the environment.
    files: ['src/config.ts', 'src/temporal/tools.ts', 'test/**', 'scripts/**', 'bench/**'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    // Workflow code is replayed in a sandbox: only the workflow API, pure shared modules and type imports.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(?!@temporalio/workflow$|\\./[^/]+$|\\.\\./src/temporal/contract$|\\.\\./src/time(/[^/]+)?$)',
              allowTypeImports: true,
              message: 'Workflows import only @temporalio/workflow, pure shared modules and types.',
            },
          ],
        },
      ],
    },
  },
  prettier,
);
