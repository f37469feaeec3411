/** One Jest run: unit, integration, workflow and end-to-end projects share the same transform. */
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  // Two cores: more workers would starve the JVM test server's 5 s start window.
  maxWorkers: 2,
  testTimeout: 60_000,
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
