/**
 * What the Temporal benchmarks share (reminders, reports): the dev server with SubTracker's dynamic config, the
 * workflow bundle, the worker child process (bench/reminder-worker.ts, the production wiring) and its
 * environment, and polling until a condition holds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { dynamicConfigArgs } from '../../src/temporal/dev-server';
import { createPayloadCodec, type PayloadKey } from '../../src/temporal/payload-codec';
import { FAILURE_CONVERTER_PATH } from '../../src/temporal/failure-converter-path';
import { resolveTemporalBinary } from '../../src/temporal/tools';
import type { TestDatabase } from '../../test/helpers/database';
import type { FakeMailgun } from '../../test/helpers/fake-mailgun';
import { childPids } from './proc-memory';

const ROOT = path.resolve(__dirname, '..', '..');

/** The payload key of a benchmark run: its dev server's client and its worker processes encrypt with it. */
const BENCH_PAYLOAD_KEY: PayloadKey = { id: 'bench', key: crypto.randomBytes(32).toString('base64') };

const BENCH_DATA_CONVERTER = {
  payloadCodecs: [createPayloadCodec([BENCH_PAYLOAD_KEY])],
  failureConverterPath: FAILURE_CONVERTER_PATH,
};

/**
 * A local dev server (`temporal server start-dev`, in memory) from .tools/, with SubTracker's dynamic config; or,
 * given `existingAddress`, the server answering there (the real server of scripts/temporal-server.sh), which
 * teardown leaves running.
 */
export async function startDevServer(
  log: (message: string) => void,
  existingAddress?: string,
): Promise<TestWorkflowEnvironment> {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Installed already (under Jest).
  }
  if (existingAddress) {
    return TestWorkflowEnvironment.createFromExistingServer({
      address: existingAddress,
      client: { dataConverter: BENCH_DATA_CONVERTER },
    });
  }
  const cli = await resolveTemporalBinary('cli', { env: process.env, root: ROOT, log });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: cli,
      ip: '127.0.0.1',
      // BENCH_DEV_SERVER_ARGS: extra `temporal server start-dev` flags, for experiments.
      extraArgs: [
        ...dynamicConfigArgs(),
        ...(process.env.BENCH_DEV_SERVER_ARGS ?? '').split(/\s+/).filter(Boolean),
      ],
    },
    client: { dataConverter: BENCH_DATA_CONVERTER },
  });
  // A benchmark stopped with Ctrl-C or kill takes its dev server down (else it outlives the run, on its port).
  const stop = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping the dev server`);
    void env.teardown().finally(() => process.exit(130));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return env;
}

/** The workflows bundled once into `dir`, so each (re)started worker skips bundling; returns the file. */
export async function bundle(dir: string): Promise<string> {
  const { code } = await bundleWorkflowCode({
    workflowsPath: path.join(ROOT, 'workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: new DefaultLogger('WARN'),
  });
  const file = path.join(dir, 'workflows.js');
  fs.writeFileSync(file, code);
  return file;
}

/** The worker's configuration: the harness's database, dev server, task queue and id prefix, the fake Mailgun. */
export function workerEnvironment(opts: {
  dataDir: string;
  testDb: TestDatabase;
  env: TestWorkflowEnvironment;
  taskQueue: string;
  prefix: string;
  mailgun: FakeMailgun;
  bundlePath: string;
}): NodeJS.ProcessEnv {
  const { config } = opts.testDb;
  return {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: opts.dataDir,
    DATABASE_URL: config.url ?? `sqlite:${config.sqlitePath}`,
    TEMPORAL_ADDRESS: opts.env.address,
    TEMPORAL_TASK_QUEUE: opts.taskQueue,
    TEMPORAL_ID_PREFIX: opts.prefix,
    MAILGUN_API_KEY: opts.mailgun.apiKey,
    MAILGUN_URL: opts.mailgun.url,
    MAILGUN_DOMAIN: 'mg.bench',
    APP_BASE_URL: 'https://subtracker.bench',
    JWT_SECRET: crypto.randomBytes(32).toString('hex'),
    TEMPORAL_PAYLOAD_KEYS: `${BENCH_PAYLOAD_KEY.id}:${BENCH_PAYLOAD_KEY.key}`,
    WORKFLOW_BUNDLE_PATH: opts.bundlePath,
  };
}

/** Starts bench/reminder-worker.ts and resolves once it polls (it prints `ready`). */
export function startWorkerProcess(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  // node itself with tsx as a loader (not the tsx CLI, which forks): SIGKILL must hit the worker's own pid.
  // BENCH_WORKER_NODE_ARGS: extra node flags for the worker only (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof).
  const extra = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const worker = path.join(ROOT, 'bench', 'reminder-worker.ts');
  // Its stdin stays open while this process lives: the worker stops when it closes.
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', worker], {
    env,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited (${code}) before it was ready`)));
  });
}

/** SIGTERMs a worker that is still running and waits for it to exit. */
export async function stopWorkerProcess(worker: ChildProcess | undefined): Promise<void> {
  // A worker that died of a signal has a signalCode and no exitCode: its 'exit' has fired already.
  if (!worker || worker.exitCode !== null || worker.signalCode !== null) return;
  worker.kill('SIGTERM');
  await new Promise((resolve) => worker.once('exit', resolve));
}

/** The dev server TestWorkflowEnvironment.createLocal started: this process's child named `temporal`. */
export function devServerPid(): number | undefined {
  return childPids(process.pid).find((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'temporal';
    } catch {
      return false;
    }
  });
}

/** Polls `condition` every 50 ms until it holds; throws `timed out waiting for {what}` after `deadline`. */
export async function until(
  condition: () => boolean | Promise<boolean>,
  deadline: number,
  what: string,
): Promise<void> {
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
