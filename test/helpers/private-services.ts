import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Private MariaDB and Redis servers for outage tests: each on its own free loopback port and temp dir, so a
 * test can stop and restart them without touching the shared servers other test files use in parallel.
 */
export interface PrivateServer {
  port: number;
  /** URL to connect with (mysql://root@… or redis://…). */
  url: string;
  /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it if running and removes its temp dir. */
  dispose(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function findBinary(name: string, candidates: string[]): string {
  for (const dir of [...(process.env.PATH ?? '').split(':'), ...candidates]) {
    const file = path.join(dir, name);
    if (dir && fs.existsSync(file)) return file;
  }
  throw new Error(
    `${name} is not installed: the outage tests need it. Run \`bash scripts/test-services.sh\` ` +
      '(installs mariadb-server and redis-server from Debian) or install it.',
  );
}

const SBIN = ['/usr/sbin', '/usr/local/sbin', '/usr/bin', '/usr/local/bin'];

/** True once a TCP connect to 127.0.0.1:port succeeds. */
function acceptsTcp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, timeout: 500 });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

function stopChild(child: ChildProcess | undefined, graceMs = 10_000): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function spawnUntilListening(
  what: string,
  command: string,
  args: string[],
  port: number,
  logFile: () => string,
  timeoutMs = 30_000,
): Promise<ChildProcess> {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    if (await acceptsTcp(port)) return child;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stopChild(child, 2000);
  throw new Error(`${what} did not start on 127.0.0.1:${port}\n${stderr}\n${logFile()}`);
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** A throwaway mariadbd (grant tables skipped: root without a password) on a fresh datadir. */
export async function startPrivateMariaDb(): Promise<PrivateServer> {
  const mariadbd = findBinary('mariadbd', SBIN);
  const installDb = findBinary('mariadb-install-db', SBIN);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-mariadb-'));
  const datadir = path.join(dir, 'data');
  const user = asRoot ? ['--user=root'] : [];
  const install = spawnSync(
    installDb,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      ...user,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
  if (install.status !== 0) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed (${install.status}): ${install.stderr}`);
  }
  const port = await freePort();
  const errorLog = path.join(dir, 'error.log');
  const args = [
    '--no-defaults',
    `--datadir=${datadir}`,
    `--port=${port}`,
    `--socket=${path.join(dir, 'sock')}`,
    `--pid-file=${path.join(dir, 'pid')}`,
    `--log-error=${errorLog}`,
    '--bind-address=127.0.0.1',
    '--skip-grant-tables',
    '--skip-name-resolve',
    '--innodb-buffer-pool-size=32M',
    ...user,
  ];
  const readLog = () => (fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8').slice(-3000) : '');
  let child: ChildProcess | undefined;
  const start = async () => {
    child = await spawnUntilListening('mariadbd', mariadbd, args, port, readLog);
  };
  try {
    await start();
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    url: `mysql://root@127.0.0.1:${port}/`,
    start,
    stop: () => stopChild(child),
    async dispose() {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A throwaway redis-server without persistence. */
export async function startPrivateRedis(): Promise<PrivateServer> {
  const redisServer = findBinary('redis-server', SBIN);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-redis-'));
  const port = await freePort();
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
    '--daemonize',
    'no',
    '--dir',
    dir,
  ];
  let child: ChildProcess | undefined;
  const start = async () => {
    child = await spawnUntilListening('redis-server', redisServer, args, port, () => '');
  };
  try {
    await start();
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}/0`,
    start,
    stop: () => stopChild(child),
    async dispose() {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
