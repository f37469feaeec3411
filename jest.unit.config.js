/**
 * The fast loop, `npm run test:unit`: pure logic and activities with fakes. No global setup (it finds the
 * Temporal binaries and bundles the workflow code, which no unit test needs).
 */
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = { ...base, globalSetup: undefined, testMatch: ['<rootDir>/test/unit/**/*.test.ts'] };
