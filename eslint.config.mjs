import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'scripts/**', 'jest.config.js', 'bench/.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name=/^(only|skip)$/]", message: 'No focused or skipped tests on main.' }],
    },
  },
  {
    // Generic toolkit parts serve any model: they must never import the reference model.
    files: ['src/table/**', 'src/recorder/**', 'src/local/**', 'src/catalog/**', 'src/cost/**', 'src/metrics/**', 'src/faults/**', 'src/batch/**', 'src/capacity/**', 'src/hot-partitions/**', 'src/cursor/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/entities/**', '**/services/**', '**/access-patterns/**', '../entities', '../services', '../access-patterns'], message: 'Generic toolkit parts must not import the reference model.' }] }],
    },
  },
);
