import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';

/** The embedded Temporal of `npm run dev`: the CLI dev server, spawned by the app or reused if already up. */
export interface DevServer {
  /** host:port of the frontend. */
  address: string;
  uiUrl: string;
  /** True when a server was already answering and this process did not start it. */
  reused: boolean;
  /** Stops the server this process started (SIGTERM, then SIGKILL); a no-op for a reused one. */
  stop(): Promise<void>;
}

export interface DevServerOptions {
  cliPath: string;
  port: number;
  uiPort: number;
  /** SQLite file that keeps workflows and schedules across restarts. */
  dbFile: string;
  namespace: string;
  /** The Web UI decodes payloads through this codec server (the API's /codec); unset: it shows ciphertext. */
  uiCodecEndpoint?: string;
  log: (message: string) => void;
  /** How long to wait for a spawned server (default 30 s). */
  readyTimeoutMs?: number;
}

const HOST = '127.0.0.1';

/**
 * Server settings SubTracker runs with, for every Temporal it starts (the dev server of `npm run dev`, the tests'
 * and the benchmark's); docker compose gives the same to its server through scripts/temporal-dynamic-config.yaml.
 * Eager activity execution hands the reminder's send activity back with the workflow task that scheduled it,
 * skipping a matching round trip: measured 1,000 reminders in 38 s instead of 53-66 s on the dev server here.
 */
export const SERVER_DYNAMIC_CONFIG: Readonly<Record<string, boolean | number | string>> = {
  'system.enableActivityEagerExecution': true,
};

/** SERVER_DYNAMIC_CONFIG as `temporal server start-dev` flags. */
export function dynamicConfigArgs(): string[] {
  return Object.entries(SERVER_DYNAMIC_CONFIG).flatMap(([key, value]) => [
    '--dynamic-config-value',
    `${key}=${JSON.stringify(value)}`,
  ]);
}

/** Reuses a Temporal answering on 127.0.0.1:port, or starts `temporal server start-dev` and waits for it. */
export async function ensureDevServer(opts: DevServerOptions): Promise<DevServer> {
  const address = `${HOST}:${opts.port}`;
  const uiUrl = `http://${HOST}:${opts.uiPort}`;
  if (await answersTemporal(address)) {
    opts.log(
      `reusing the Temporal server already answering on ${address}` +
        (opts.uiCodecEndpoint
          ? ` (its Web UI decodes payloads only if started with --ui-codec-endpoint)`
          : ''),
    );
    return { address, uiUrl, reused: true, stop: async () => {} };
  }
  fs.mkdirSync(path.dirname(path.resolve(opts.dbFile)), { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--ip',
    HOST,
    '--port',
    String(opts.port),
    '--ui-port',
    String(opts.uiPort),
  ];
  args.push('--db-filename', opts.dbFile, '--namespace', opts.namespace, '--log-level', 'warn');
  if (opts.uiCodecEndpoint) args.push('--ui-codec-endpoint', opts.uiCodecEndpoint);
  // A WAL journal synced at checkpoints: a process crash loses nothing, an OS crash at most the last
  // transactions of a development server. Measured here: 1,000 reminders 160 s -> 70 s on the same file.
  args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  args.push(...dynamicConfigArgs());
  const started = Date.now();
  const child = spawn(opts.cliPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    await waitUntilReady(address, child, opts.readyTimeoutMs ?? 30_000);
  } catch (err) {
    await stopChild(child);
    throw new Error(`${(err as Error).message}\n--- temporal stderr ---\n${stderr.trim() || '(empty)'}`);
  }
  opts.log(`Temporal dev server ready on ${address} in ${Date.now() - started} ms (Web UI ${uiUrl})`);
  return { address, uiUrl, reused: false, stop: () => stopChild(child) };
}

/** True when a Temporal frontend answers getSystemInfo on `address` within `timeoutMs`. */
export async function answersTemporal(address: string, timeoutMs = 1000): Promise<boolean> {
  // A refused TCP connect answers at once; gRPC alone would retry UNAVAILABLE until the deadline.
  if (!(await acceptsTcp(address, timeoutMs))) return false;
  // No retry interceptor: the probe must answer within its deadline and leave no retry timer behind.
  const connection = Connection.lazy({ address, connectTimeout: timeoutMs, interceptors: [] });
  try {
    await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  } finally {
    await connection.close().catch(() => {});
  }
}

function acceptsTcp(address: string, timeoutMs: number): Promise<boolean> {
  const [host, port] = [address.slice(0, address.lastIndexOf(':')), Number(address.split(':').pop())];
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

async function waitUntilReady(address: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `temporal server start-dev exited (${child.exitCode ?? child.signalCode}) before it was ready`,
      );
    }
    if (await answersTemporal(address, 500)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`temporal server start-dev did not answer on ${address} within ${timeoutMs} ms`);
}

function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
