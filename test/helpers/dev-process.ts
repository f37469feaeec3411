import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';

/** `npm run dev` as a newcomer starts it, on free ports and a fresh data directory. */
export interface DevProcess {
  apiUrl: string;
  /** The Temporal Web UI of the dev server that process spawned. */
  uiUrl: string;
  /** Everything the process printed so far (for failure messages). */
  output(): string;
  /** Ctrl-C, as a person stops it; SIGKILL to the whole group if it has not exited in 30 s. */
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '..', '..');

/**
 * Spawns src/entry/dev.ts (one node process, tsx as a loader, so SIGINT reaches it) with the embedded defaults:
 * no DATABASE_URL, REDIS_URL or TEMPORAL_ADDRESS, so it starts its own Temporal dev server with the Web UI and
 * the codec endpoint wired as in `npm run dev`. Resolves once /readyz answers 200.
 */
export async function startDevProcess(readyTimeoutMs = 180_000): Promise<DevProcess> {
  try {
    return await startOnce(readyTimeoutMs);
  } catch (err) {
    // A port taken between choosing it and binding it makes the Temporal CLI exit at once: one more try.
    if (!/exited \(/.test((err as Error).message)) throw err;
    console.warn(`npm run dev failed to start, trying again on other ports:\n${(err as Error).message}`);
    return startOnce(readyTimeoutMs);
  }
}

async function startOnce(readyTimeoutMs: number): Promise<DevProcess> {
  const [port, temporalPort, uiPort] = await distinctFreePorts(3);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-dev-'));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of ['DATABASE_URL', 'REDIS_URL', 'TEMPORAL_ADDRESS', 'NODE_ENV', 'CODEC_AUTH', 'API_DOCS']) {
    delete env[key];
  }
  Object.assign(env, {
    PORT: String(port),
    DATA_DIR: dataDir,
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
    APP_BASE_URL: `http://localhost:${port}`,
    LOG_LEVEL: 'warn',
  });
  // Its own process group: stop() can reach the Temporal dev server it spawned even if it dies first.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry/dev.ts'], {
    cwd: ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-20_000));
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);

  const apiUrl = `http://127.0.0.1:${port}`;
  const proc: DevProcess = {
    apiUrl,
    uiUrl: `http://127.0.0.1:${uiPort}`,
    output: () => output,
    stop: async () => {
      await stopGroup(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await waitForReady(`${apiUrl}/readyz`, child, readyTimeoutMs);
  } catch (err) {
    await proc.stop();
    throw new Error(`${(err as Error).message}\n--- npm run dev output ---\n${output}`);
  }
  return proc;
}

async function waitForReady(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`npm run dev exited (${child.exitCode}) before it was ready`);
    const ok = await fetch(url)
      .then((res) => res.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`npm run dev did not answer 200 on ${url} within ${timeoutMs} ms`);
}

function stopGroup(child: ChildProcess): Promise<void> {
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is gone already.
    }
  };
  if (child.exitCode !== null || child.signalCode !== null) {
    signalGroup('SIGKILL');
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => signalGroup('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(timer);
      // Anything it left behind in its group (a dev server it could not stop).
      signalGroup('SIGKILL');
      resolve();
    });
    child.kill('SIGINT');
  });
}

/** `n` different free ports (held open together while chosen, so none comes back twice). */
async function distinctFreePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, async () => {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return server;
    }),
  );
  const ports = servers.map((server) => (server.address() as net.AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
