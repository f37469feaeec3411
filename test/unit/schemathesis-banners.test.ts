import { execFileSync } from 'node:child_process';
import path from 'node:path';

const script = path.resolve(__dirname, '../../scripts/schemathesis-banners.sed');
const plain = (text: string): string[] =>
  execFileSync('sed', ['-E', '-f', script], { input: text, encoding: 'utf8' }).trimEnd().split('\n');

/** How pytest closes a run ("=== 3 passed, 1 warning in 2.1s ==="): what CI's reader looks for. */
const pytestClosing = /^=+ .* in [\d.]+s =+$/;

describe("schemathesis' pytest-style banners in CI output", () => {
  // Lines as schemathesis 4.32.5 printed them in a CI run; the closing one was read as "pytest ran no test".
  const output = [
    '=================================== WARNINGS ===================================',
    'Authentication failed: 12 operations returned only 401/403 responses',
    '=================================== SUMMARY ====================================',
    'Test cases:',
    '  2839 generated, 2839 passed, 24 skipped',
    '============================= 1 warning in 48.89s ==============================',
    '========================= No issues found in 3.20s =========================',
    '======================== 2 failures in 10.05s ========================',
  ].join('\n');

  it('leaves no line shaped like a pytest closing line', () => {
    expect(output.split('\n').filter((line) => pytestClosing.test(line))).toHaveLength(3);
    expect(plain(output).filter((line) => pytestClosing.test(line))).toEqual([]);
  });

  it('keeps what each banner said, and every other line as it was', () => {
    expect(plain(output)).toEqual([
      '-- WARNINGS --',
      'Authentication failed: 12 operations returned only 401/403 responses',
      '-- SUMMARY --',
      'Test cases:',
      '  2839 generated, 2839 passed, 24 skipped',
      'schemathesis finished after 48.89 s: 1 warning',
      'schemathesis finished after 3.20 s: No issues found',
      'schemathesis finished after 10.05 s: 2 failures',
    ]);
  });
});
