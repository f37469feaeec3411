import { tallyReport } from '../../scripts/ci-tally';

describe('CI closing tally', () => {
  it('reads a Jest --json report, counting suites that failed to run as failures', () => {
    const jest = {
      numPassedTests: 560,
      numFailedTests: 1,
      numPendingTests: 2,
      numTodoTests: 1,
      numRuntimeErrorTestSuites: 1,
    };
    expect(tallyReport('jest-embedded.json', JSON.stringify(jest))).toEqual({
      passed: 560,
      failed: 2,
      skipped: 3,
    });
  });

  it("reads newman's JSON export by its assertions", () => {
    const newman = {
      run: { stats: { assertions: { total: 104, failed: 3 }, requests: { total: 55, failed: 0 } } },
    };
    expect(tallyReport('newman.json', JSON.stringify(newman))).toEqual({
      passed: 101,
      failed: 3,
      skipped: 0,
    });
  });

  it('reads every <testsuite> of a JUnit report (failures and errors fail; skipped apart)', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<testsuites disabled="0" errors="0" failures="1" tests="40" time="9.1">
  <testsuite name="schemathesis" errors="1" failures="1" skipped="3" tests="30" time="8.0"><testcase name="GET /a"/></testsuite>
  <testsuite name="more" tests="10" failures="0"><testcase name="GET /b"/></testsuite>
</testsuites>`;
    expect(tallyReport('schemathesis-main.xml', xml)).toEqual({ passed: 35, failed: 2, skipped: 3 });
  });

  it('refuses a report it cannot read rather than counting it as zero', () => {
    expect(() => tallyReport('x.xml', '<testsuites/>')).toThrow('no <testsuite>');
    expect(() => tallyReport('x.json', '{"summary":1}')).toThrow('neither');
    expect(() => tallyReport('x.json', 'not json')).toThrow();
  });
});
