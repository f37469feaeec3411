/**
 * Adds up what CI's test runners reported and prints one closing line, "ci: N passed, N failed, N skipped",
 * from their machine-readable reports: Jest's --json output, newman's JSON export (its assertions) and
 * schemathesis' JUnit XML (one case per operation). Usage: tsx scripts/ci-tally.ts REPORT...
 * Exits non-zero when a report is missing or unreadable, when any test failed, or when none ran.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

interface JestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
  numRuntimeErrorTestSuites?: number;
}

interface NewmanReport {
  run: { stats: { assertions: { total: number; failed: number } } };
}

function fromJest(report: JestReport): Tally {
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0),
    skipped: report.numPendingTests + (report.numTodoTests ?? 0),
  };
}

function fromNewman(report: NewmanReport): Tally {
  const { total, failed } = report.run.stats.assertions;
  return { passed: total - failed, failed, skipped: 0 };
}

function fromJunit(xml: string): Tally {
  const tally: Tally = { passed: 0, failed: 0, skipped: 0 };
  const suites = [...xml.matchAll(/<testsuite\s([^>]*)>/g)];
  if (suites.length === 0) throw new Error('no <testsuite> element');
  for (const [, attributes] of suites) {
    const count = (name: string): number =>
      Number(new RegExp(`\\b${name}="(\\d+)"`).exec(attributes)?.[1] ?? 0);
    const failed = count('failures') + count('errors');
    const skipped = count('skipped');
    tally.failed += failed;
    tally.skipped += skipped;
    tally.passed += count('tests') - failed - skipped;
  }
  return tally;
}

/** The tally of one report, told apart by its file name (.xml: JUnit) or its JSON shape (Jest or newman). */
export function tallyReport(fileName: string, text: string): Tally {
  if (fileName.endsWith('.xml')) return fromJunit(text);
  const report = JSON.parse(text) as JestReport | NewmanReport;
  if ('numPassedTests' in report) return fromJest(report);
  if ('run' in report) return fromNewman(report);
  throw new Error('neither a Jest nor a newman report');
}

function main(files: string[]): number {
  const total: Tally = { passed: 0, failed: 0, skipped: 0 };
  let unreadable = 0;
  for (const file of files) {
    const name = path.basename(file);
    try {
      const tally = tallyReport(file, fs.readFileSync(file, 'utf8'));
      total.passed += tally.passed;
      total.failed += tally.failed;
      total.skipped += tally.skipped;
      console.log(`  ${name}: ${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
    } catch (error) {
      unreadable += 1;
      console.log(`  ${name}: unreadable (${(error as Error).message})`);
    }
  }
  console.log(`ci: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return unreadable > 0 || total.failed > 0 || total.passed === 0 ? 1 : 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
