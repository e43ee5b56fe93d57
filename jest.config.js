/** One engine per run, served on 127.0.0.1 by globalSetup (DYNAMODB_ENDPOINT overrides it); each test file makes its own table. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/src/toolkit/testing/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};
