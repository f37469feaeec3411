import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { resolveTemporalBinary, type TemporalBinaryKind } from '../../src/temporal/tools';
import { FAILURE_CONVERTER_PATH } from '../../src/temporal/failure-converter-path';

/**
 * Runs once per Jest run: finds (or provisions) the Temporal binaries and bundles the workflow code, so no
 * test file pays for webpack. Jest workers inherit the environment variables set here.
 */
const BINARY_ENV: Record<TemporalBinaryKind, string> = {
  cli: 'TEMPORAL_CLI_PATH',
  'test-server': 'TEMPORAL_TEST_SERVER_PATH',
};
const BUNDLE_PREFIX = 'subtracker-workflows-';

export default async function globalSetup(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const log = (message: string) => console.log(`[temporal] ${message}`);
  for (const [kind, envVar] of Object.entries(BINARY_ENV) as [TemporalBinaryKind, string][]) {
    // Under CI=true a missing binary throws here: the run fails instead of skipping Temporal tests.
    const exe = await resolveTemporalBinary(kind, { env: process.env, root, log, allowDownload: true });
    if (exe.type === 'existing-path') process.env[envVar] = exe.path;
  }

  const started = Date.now();
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(__dirname, 'test-workflows.ts'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: new DefaultLogger('WARN'),
  });
  removeStaleBundles();
  const file = path.join(os.tmpdir(), `${BUNDLE_PREFIX}${process.pid}-${Date.now()}.js`);
  fs.writeFileSync(file, code);
  process.env.WORKFLOW_BUNDLE_PATH = file;
  log(`workflow bundle: ${Math.round(code.length / 1024)} KB in ${Date.now() - started} ms`);
}

/** Bundles of earlier runs (there is no global teardown to delete them). */
function removeStaleBundles(): void {
  const dir = os.tmpdir();
  for (const name of fs.readdirSync(dir)) {
    if (!name.startsWith(BUNDLE_PREFIX)) continue;
    const file = path.join(dir, name);
    if (Date.now() - fs.statSync(file).mtimeMs > 3600_000) fs.rmSync(file, { force: true });
  }
}
