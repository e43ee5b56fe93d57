import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'scripts/**', 'jest.config.js', 'bench/.tmp/**', 'templates/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    // Without .ts in extensions and parsers, no-cycle cannot follow TypeScript imports and never fires.
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name=/^(only|skip)$/]", message: 'No focused or skipped tests on main.' }],
      // No import cycles anywhere.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', {
        zones: [
          // The toolkit serves any model: nothing in src/toolkit may import from outside it
          // (the reference model, the CLI). One rule by folder, so it cannot drift as folders come.
          { target: './src/toolkit', from: './src', except: ['./toolkit', './engine/index.ts'], message: 'The toolkit must not import the reference model or the CLI (the engine only through its entry point).' },
          // The engine is a DynamoDB of its own: it knows nothing of ElectroDB, the toolkit, the model or the CLI.
          { target: './src/engine', from: './src', except: ['./engine'], message: 'The engine imports only its own files.' },
          // The reference model is built like a user's: from the toolkit's public entry points only.
          { target: ['./src/entities', './src/services', './src/access-patterns', './src/reference'], from: './src/toolkit', except: ['./index.ts', './testing/index.ts'], message: 'Use the toolkit through its public entry point (src/toolkit/index.ts), as a user would.' },
          // Nothing but the CLI imports the CLI.
          { target: ['./src/toolkit', './src/entities', './src/services', './src/access-patterns', './src/reference'], from: './src/cli', message: 'Only the CLI imports the CLI.' },
        ],
      }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['electrodb', 'electrodb/*', '@aws-sdk/*', '@smithy/*'], message: 'The engine knows nothing of ElectroDB and does not depend on the AWS SDK.' }] }],
    },
  },
);
