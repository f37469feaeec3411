import { spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';

/**
 * Finds the Temporal binaries (CLI dev server, Java time-skipping test server) the way docs/temporal.md
 * describes: explicit path, `.tools/`, the cache outside the clone, then provisioning. The one module besides
 * config that reads the environment, because scripts and Jest's global setup run before any config exists.
 */

export type TemporalBinaryKind = 'cli' | 'test-server';

/** Same shape as the SDK's `EphemeralServerExecutable`, without importing the test package at run time. */
export type ServerExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

export interface ResolveBinaryOptions {
  env: NodeJS.ProcessEnv;
  /** Repository root: `.tools/` and `scripts/temporal-tools.sh` live there. */
  root: string;
  log: (message: string) => void;
  /** Accept the SDK's own download instead of building, when temporal.download answers. */
  allowDownload?: boolean;
}

const BINARIES = {
  cli: {
    envVar: 'TEMPORAL_CLI_PATH',
    name: 'temporal',
    cacheDir: (e: NodeJS.ProcessEnv) => `temporal-cli-${e.TEMPORAL_CLI_VERSION ?? 'v1.5.1'}`,
  },
  'test-server': {
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    name: 'temporal-test-server',
    cacheDir: (e: NodeJS.ProcessEnv) => `temporal-test-server-${e.TEMPORAL_TEST_SERVER_VERSION ?? '1.38.0'}`,
  },
} as const;

const PROVISION_NOTE: Record<TemporalBinaryKind, string> = {
  cli: 'building the Temporal CLI with go install (about 5 min)',
  'test-server': 'fetching the Temporal test server with Maven (about 20 s)',
};

/** Returns how to run the binary of `kind`, provisioning it when missing (never under CI=true). */
export async function resolveTemporalBinary(
  kind: TemporalBinaryKind,
  opts: ResolveBinaryOptions,
): Promise<ServerExecutable> {
  const { envVar, name, cacheDir } = BINARIES[kind];
  const explicit = opts.env[envVar];
  if (explicit) {
    if (!isExecutable(explicit)) throw new Error(`${envVar}=${explicit} is not an executable file`);
    return { type: 'existing-path', path: explicit };
  }
  const cache = opts.env.SUBTRACKER_TOOLS_CACHE ?? path.join(os.homedir(), '.cache', 'subtracker-tools');
  const linked = path.join(opts.root, '.tools', name);
  const found = [linked, path.join(cache, cacheDir(opts.env), name)].find(isExecutable);
  if (found) return { type: 'existing-path', path: found };

  if (opts.env.CI === 'true') {
    throw new Error(
      `The Temporal ${kind} binary is missing (${envVar} unset, nothing at ${linked}): run scripts/temporal-tools.sh`,
    );
  }
  if (opts.allowDownload && (await internetReachable())) {
    opts.log(`Temporal ${kind} not found locally: the SDK will download it`);
    return { type: 'cached-download' };
  }
  opts.log(`Temporal ${kind} not found locally: ${PROVISION_NOTE[kind]}`);
  await runScript(opts.root, kind, opts.env);
  if (!isExecutable(linked)) throw new Error(`scripts/temporal-tools.sh ${kind} did not produce ${linked}`);
  return { type: 'existing-path', path: linked };
}

/** Like resolveTemporalBinary, but always a file path (for code that spawns the binary itself). */
export async function resolveTemporalBinaryPath(
  kind: TemporalBinaryKind,
  opts: Omit<ResolveBinaryOptions, 'allowDownload'>,
): Promise<string> {
  const exe = await resolveTemporalBinary(kind, { ...opts, allowDownload: false });
  if (exe.type !== 'existing-path') throw new Error(`no local Temporal ${kind} binary`);
  return exe.path;
}

/** True when an HTTPS request to temporal.download gets any answer within `timeoutMs`. */
export function internetReachable(timeoutMs = 1500): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.request('https://temporal.download/', { method: 'HEAD', timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(false));
    req.end();
  });
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function runScript(root: string, kind: TemporalBinaryKind, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(root, 'scripts', 'temporal-tools.sh'), kind], {
      cwd: root,
      env,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`scripts/temporal-tools.sh ${kind} exited with ${code}`)),
    );
  });
}
