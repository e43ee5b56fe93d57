/** One embedded engine for the run (or DYNAMODB_ENDPOINT); each test file makes its own table. */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  globalSetup: 'single-table-kit/testing/global-setup',
  globalTeardown: 'single-table-kit/testing/global-teardown',
  testTimeout: 60000,
};
