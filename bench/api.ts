/**
 * `npm run bench:api`: our API against the Flask seed, side by side, on the same MariaDB and Redis and the
 * same data (200 users x 20 subscriptions, each side in a fresh database of its own schema), under the same
 * wrk load (fixed threads, connections, duration; a warm-up run discarded before each measurement).
 *
 *   ours             `node dist/src/entry/api.js`, NODE_ENV=production, API_WORKERS = cores (run `npm run build`
 *                    first); ours1 the same as one process (API_WORKERS=1, the default)
 *   seed gunicorn    its app under gunicorn, 2 x cores + 1 sync workers
 *   seed flask run   as it ships: `flask run` with its .flaskenv (FLASK_DEBUG=1)
 *
 * Prints a table (req/s, p50, p99, errors, ratio) and writes the `api` section of bench/RESULTS.md.
 *
 * Options: --duration S (15) --warmup S (5) --threads N (2) --connections N (32) --login-duration S (10)
 *          --sides ours,ours1,gunicorn,flask  --endpoints list,get,upcoming,stats,me,create  --no-write
 * Environment: BENCH_DATABASE_URL (default mysql://subtracker:subtracker@127.0.0.1:3306/), BENCH_REDIS_URL
 *          (redis://127.0.0.1:6379), BENCH_REDIS_INDEX (13 seed, 14 ours), BENCH_DATABASE_PREFIX
 *          (subtracker_bench_api), SEED_DIR (~/.cache/subtracker-bench/seed: a copy of the seed with its
 *          .venv; created from ../shared/seed/subtracker-flask when missing).
 */
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { benchUser, PASSWORD, USERS, SUBS_PER_USER } from './lib/dataset';
import { freshDatabase, serverVersion } from './lib/mysql-admin';
import { writeSection } from './lib/results';
import { ensureSeedCopy } from './lib/seed-copy';
import { seedFlask, sqlalchemyUrl } from './lib/seed-flask';
import { seedOurs } from './lib/seed-ours';
import { firstSubscriptionIds, loginAll, startServer, type Server } from './lib/servers';
import { runWrk, type Credential, type WrkOptions, type WrkResult, type WrkTarget } from './lib/wrk';

const ROOT = path.resolve(__dirname, '..');

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const options: WrkOptions = {
  threads: Number(arg('threads', '2')),
  connections: Number(arg('connections', '32')),
  durationSeconds: Number(arg('duration', '15')),
  timeoutSeconds: 5,
};
const warmupSeconds = Number(arg('warmup', '5'));
const loginSeconds = Number(arg('login-duration', '10'));
const sides = arg('sides', 'ours,ours1,gunicorn,flask').split(',');
const serverUrl = process.env.BENCH_DATABASE_URL ?? 'mysql://subtracker:subtracker@127.0.0.1:3306/';
const redisBase = (process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379').replace(/\/\d*$/, '');
// BENCH_REDIS_INDEX / BENCH_DATABASE_PREFIX: a Redis index and database names of one's own on a shared server.
const redisIndex = (fallback: number) => process.env.BENCH_REDIS_INDEX ?? String(fallback);
const databasePrefix = process.env.BENCH_DATABASE_PREFIX ?? 'subtracker_bench_api';
const seedDir = process.env.SEED_DIR ?? path.join(os.homedir(), '.cache/subtracker-bench/seed');
const cores = os.cpus().length;
const gunicornWorkers = 2 * cores + 1;

const POST_BODY =
  '{"name":"{name}","price":"12.50","billing_cycle":"monthly","next_payment_date":"2026-12-20","category":"bench"}';

interface Endpoint {
  key: string;
  label: string;
  target: WrkTarget;
}

// POST last: it grows the lists the other endpoints read.
const ALL_ENDPOINTS: Endpoint[] = [
  { key: 'list', label: 'GET /subscriptions', target: { method: 'GET', path: '/subscriptions' } },
  { key: 'get', label: 'GET /subscriptions/{id}', target: { method: 'GET', path: '/subscriptions/{id}' } },
  {
    key: 'upcoming',
    label: 'GET /reminders/upcoming?days=30',
    target: { method: 'GET', path: '/reminders/upcoming?days=30' },
  },
  { key: 'stats', label: 'GET /stats/summary', target: { method: 'GET', path: '/stats/summary' } },
  { key: 'me', label: 'GET /users/me', target: { method: 'GET', path: '/users/me' } },
  {
    key: 'create',
    label: 'POST /subscriptions',
    target: { method: 'POST', path: '/subscriptions', body: POST_BODY },
  },
];
const wanted = arg('endpoints', ALL_ENDPOINTS.map((e) => e.key).join(',')).split(',');
const ENDPOINTS = ALL_ENDPOINTS.filter((e) => wanted.includes(e.key));
const LOGIN: Endpoint = {
  key: 'login',
  label: 'POST /login',
  target: {
    method: 'POST',
    path: '/login',
    bodies: Array.from({ length: USERS }, (_, i) =>
      JSON.stringify({ email: benchUser(i).email, password: PASSWORD }),
    ),
  },
};

interface SideSpec {
  key: string;
  title: string;
  /** Re-login before an endpoint when the tokens are older than this (the seed's access tokens live 5 min). */
  tokenMaxAgeMs: number;
  prepare(dbUrl: string): Promise<void>;
  start(dbUrl: string, port: number, logFile: string): Promise<Server>;
}

const log = (m: string) => process.stderr.write(`[bench:api] ${m}\n`);

function seedEnv(dbUrl: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    DATABASE_URL: sqlalchemyUrl(dbUrl),
    REDIS_URL: `${redisBase}/${redisIndex(13)}`,
    JWT_SECRET_KEY: crypto.randomBytes(32).toString('hex'),
    // The seed's Mailgun URL is never reached by these endpoints; no key, no mail.
    MAILGUN_API_KEY: '',
  };
}

function oursSide(key: string, workers: number, title: string): SideSpec {
  return {
    key,
    title,
    tokenMaxAgeMs: 600_000,
    // A fresh Redis index too: the previous side's login run leaves rate-limit points behind (its 429s would
    // refuse this side's logins) and cached sessions.
    prepare: async (dbUrl) => {
      const redis = new Redis(`${redisBase}/${redisIndex(14)}`);
      try {
        await redis.flushdb();
      } finally {
        redis.disconnect();
      }
      await seedOurs(dbUrl);
    },
    start: (dbUrl, port, logFile) => {
      // BENCH_OURS_ENTRY: another build's api.js (a before/after comparison).
      const entry = process.env.BENCH_OURS_ENTRY ?? path.join(ROOT, 'dist/src/entry/api.js');
      if (!fs.existsSync(entry)) throw new Error('dist/src/entry/api.js missing: run `npm run build` first');
      return startServer({
        name: title,
        command: process.execPath,
        // BENCH_OURS_NODE_ARGS: extra node flags (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof) for a profile.
        args: [...(process.env.BENCH_OURS_NODE_ARGS ?? '').split(/\s+/).filter(Boolean), entry],
        cwd: ROOT,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          NODE_ENV: 'production',
          PORT: String(port),
          HOST: '127.0.0.1',
          API_WORKERS: String(workers),
          DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'st-bench-api-')),
          DATABASE_URL: dbUrl,
          REDIS_URL: `${redisBase}/${redisIndex(14)}`,
          JWT_SECRET: crypto.randomBytes(32).toString('hex'),
          TEMPORAL_PAYLOAD_KEYS: `bench:${crypto.randomBytes(32).toString('base64')}`,
          // Nothing listens there: these endpoints never need Temporal.
          TEMPORAL_ADDRESS: '127.0.0.1:1',
          APP_BASE_URL: `http://127.0.0.1:${port}`,
        },
        port,
        probe: '/healthz',
        logFile,
      });
    },
  };
}

const SIDES: SideSpec[] = [
  oursSide('ours', cores, `ours (node, production, API_WORKERS=${cores})`),
  oursSide('ours1', 1, 'ours (node, production, one process)'),
  {
    key: 'gunicorn',
    title: `seed gunicorn (${gunicornWorkers} sync workers)`,
    tokenMaxAgeMs: 200_000,
    prepare: (dbUrl) => seedFlask(seedDir, dbUrl, seedEnv(dbUrl)),
    start: (dbUrl, port, logFile) =>
      startServer({
        name: 'seed gunicorn',
        command: path.join(seedDir, '.venv/bin/gunicorn'),
        args: ['-w', String(gunicornWorkers), '-k', 'sync', '-b', `127.0.0.1:${port}`, 'api:create_app()'],
        cwd: seedDir,
        env: seedEnv(dbUrl),
        port,
        probe: '/users/me',
        logFile,
      }),
  },
  {
    key: 'flask',
    title: 'seed flask run (as shipped)',
    tokenMaxAgeMs: 200_000,
    prepare: (dbUrl) => seedFlask(seedDir, dbUrl, seedEnv(dbUrl)),
    start: (dbUrl, port, logFile) =>
      startServer({
        name: 'seed flask run',
        command: path.join(seedDir, '.venv/bin/flask'),
        // Its .flaskenv: FLASK_APP=api, FLASK_DEBUG=1 (debugger and reloader on), as it ships.
        args: ['run', '--host', '127.0.0.1', '--port', String(port)],
        cwd: seedDir,
        env: seedEnv(dbUrl),
        port,
        probe: '/users/me',
        logFile,
      }),
  },
];

interface SideResult {
  side: SideSpec;
  results: Map<string, WrkResult>;
  login?: WrkResult;
  loadDuring: number[];
}

async function benchSide(side: SideSpec, port: number, logDir: string): Promise<SideResult> {
  const dbUrl = await freshDatabase(serverUrl, `${databasePrefix}_${side.key}`);
  log(`${side.title}: fresh database ${new URL(dbUrl).pathname.slice(1)}`);
  await side.prepare(dbUrl);
  const logFile = path.join(logDir, `${side.key}.log`);
  const server = await side.start(dbUrl, port, logFile);
  log(`${side.title}: listening on ${server.baseUrl} (pid ${server.pid}, log ${logFile})`);
  const emails = Array.from({ length: USERS }, (_, i) => benchUser(i).email);
  const results = new Map<string, WrkResult>();
  const loads: number[] = [];
  try {
    let credentials: Credential[] = [];
    let loggedInAt = 0;
    const ensureTokens = async () => {
      if (Date.now() - loggedInAt < side.tokenMaxAgeMs) return;
      const t0 = Date.now();
      const tokens = await loginAll(server.baseUrl, emails, PASSWORD);
      const ids = credentials.length
        ? credentials.map((c) => c.subscriptionId)
        : await firstSubscriptionIds(server.baseUrl, tokens);
      credentials = tokens.map((token, i) => ({ token, subscriptionId: ids[i]! }));
      loggedInAt = t0;
      log(`${side.title}: ${USERS} users logged in in ${Date.now() - t0} ms`);
    };
    for (const endpoint of ENDPOINTS) {
      await ensureTokens();
      await runWrk(
        server.baseUrl,
        endpoint.target,
        credentials,
        { ...options, durationSeconds: warmupSeconds },
        `${side.key} warm-up ${endpoint.label}`,
      );
      const r = await runWrk(
        server.baseUrl,
        endpoint.target,
        credentials,
        options,
        `${side.key} ${endpoint.label}`,
      );
      loads.push(os.loadavg()[0]!);
      results.set(endpoint.key, r);
      log(`${side.title} ${endpoint.label}: ${fmtResult(r)}`);
    }
    let login: WrkResult | undefined;
    if (loginSeconds > 0) {
      await runWrk(
        server.baseUrl,
        LOGIN.target,
        [],
        { ...options, durationSeconds: Math.min(3, warmupSeconds) },
        `${side.key} warm-up POST /login`,
      );
      login = await runWrk(
        server.baseUrl,
        LOGIN.target,
        [],
        { ...options, durationSeconds: loginSeconds },
        `${side.key} POST /login`,
      );
      log(`${side.title} POST /login: ${fmtResult(login)}`);
    }
    return { side, results, login, loadDuring: loads };
  } finally {
    await server.stop();
  }
}

const fmtResult = (r: WrkResult) =>
  `${r.rps.toFixed(0)} req/s, p50 ${fmtMs(r.p50Ms)}, p99 ${fmtMs(r.p99Ms)}, errors ${r.errors}` +
  (r.errors ? ` (non-2xx ${r.non2xx}, socket ${JSON.stringify(r.socketErrors)})` : '');
const fmtMs = (ms: number) => (ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`);
const cell = (r?: WrkResult) =>
  r ? [r.rps.toFixed(0), fmtMs(r.p50Ms), fmtMs(r.p99Ms), String(r.errors)] : ['-', '-', '-', '-'];

function table(all: SideResult[]): string {
  const ourSides = all.filter((s) => s.side.key.startsWith('ours'));
  const head = [
    'endpoint',
    'side',
    'req/s',
    'p50',
    'p99',
    'errors',
    ...ourSides.map((o) => `${o.side.key} ÷ side`),
  ];
  const rows: string[][] = [];
  const endpoints = [...ENDPOINTS.map((e) => ({ key: e.key, label: e.label }))];
  if (loginSeconds > 0) endpoints.push({ key: 'login', label: 'POST /login (apart)' });
  const pick = (s: SideResult, key: string) => (key === 'login' ? s.login : s.results.get(key));
  for (const e of endpoints) {
    all.forEach((s, i) => {
      const r = pick(s, e.key);
      const ratios = ourSides.map((o) => {
        const a = pick(o, e.key);
        return o === s || !a || !r || r.rps <= 0 ? '' : `${(a.rps / r.rps).toFixed(1)}x`;
      });
      rows.push([i === 0 ? e.label : '', s.side.key, ...cell(r), ...ratios]);
    });
  }
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  const legend = all.map((s) => `${s.side.key}: ${s.side.title}`).join('; ');
  return [line(head), line(head.map(() => '---')), ...rows.map(line), '', `Sides: ${legend}.`].join('\n');
}

function versions(mariadb: string): Record<string, string> {
  const tryRun = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8', timeout: 20_000 }).trim().split('\n')[0]!;
    } catch {
      return '?';
    }
  };
  const py = path.join(seedDir, '.venv/bin/python');
  return {
    node: process.version,
    MariaDB: mariadb,
    Redis: tryRun('redis-server', ['--version']).replace(/^Redis server v=(\S+).*/, '$1'),
    Python: tryRun(py, ['--version']).replace('Python ', ''),
    gunicorn: tryRun(path.join(seedDir, '.venv/bin/gunicorn'), ['--version']).replace(
      /^gunicorn \(version (.*)\)$/,
      '$1',
    ),
    Flask: tryRun(py, ['-c', 'import importlib.metadata as m; print(m.version("flask"))']),
    wrk: tryRun('sh', ['-c', 'wrk -v 2>&1 | head -1']).replace(/ Copyright.*/, ''),
  };
}

async function main() {
  if (sides.some((s) => !s.startsWith('ours'))) ensureSeedCopy(seedDir, log);
  const startedAt = new Date();
  const loadBefore = os.loadavg();
  log(
    `start ${startedAt.toISOString()}, ${cores} cores, load ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
  );
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'st-bench-api-logs-'));
  const mariadb = await serverVersion(serverUrl);
  const all: SideResult[] = [];
  let port = 3400 + Math.floor(Math.random() * 200);
  for (const side of SIDES.filter((s) => sides.includes(s.key)))
    all.push(await benchSide(side, port++, logDir));
  const loadAfter = os.loadavg();
  const loads = all.flatMap((s) => s.loadDuring);
  const v = versions(mariadb);

  const ours = all.find((s) => s.side.key === 'ours');
  const gunicorn = all.find((s) => s.side.key === 'gunicorn');
  const verdict: string[] = [];
  if (ours && gunicorn) {
    for (const e of ENDPOINTS) {
      const a = ours.results.get(e.key)!;
      const b = gunicorn.results.get(e.key)!;
      const ok = a.rps >= 3 * b.rps && a.p99Ms <= b.p99Ms && a.errors === 0;
      verdict.push(
        `- ${e.label}: ${ok ? 'meets' : 'MISSES'} the target (${(a.rps / b.rps).toFixed(1)}x, p99 ${fmtMs(a.p99Ms)} vs ${fmtMs(b.p99Ms)}, ${a.errors} errors)`,
      );
    }
  }
  const body = [
    '## API: ours vs the Flask seed (`npm run bench:api`)',
    '',
    `Run ${startedAt.toISOString()} on ${cores} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB. ` +
      `Load average (1/5/15 min) before ${loadBefore.map((l) => l.toFixed(2)).join(' / ')}, ` +
      `1-min at each measurement ${loads.map((l) => l.toFixed(2)).join(', ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' / ')}.`,
    '',
    `Versions: ${Object.entries(v)
      .map(([k, val]) => `${k} ${val}`)
      .join(', ')}.`,
    '',
    `Same MariaDB and Redis, ${USERS} users x ${SUBS_PER_USER} subscriptions in a fresh database per side (ours through our ` +
      `migrations and models, the seed through its Alembic migrations and SQL). wrk -t${options.threads} ` +
      `-c${options.connections} -d${options.durationSeconds}s (timeout ${options.timeoutSeconds}s), after a ` +
      `${warmupSeconds} s warm-up run that is discarded; each request is one of the ${USERS} users (their own ` +
      `token; {id} one of their subscriptions); POST names are unique. Ours: \`node dist/src/entry/api.js\`, ` +
      `NODE_ENV=production, default LOG_LEVEL (info, to a file), as ${cores} processes (API_WORKERS=${cores}, \`ours\`) and as one (\`ours1\`). Seed: gunicorn with ` +
      `${gunicornWorkers} sync workers (2 x cores + 1), and \`flask run\` with its shipped .flaskenv (debug on). ` +
      `Errors: responses >= 400 plus socket errors (connect, read, write, timeout). Login is apart: argon2id ` +
      `(ours) against pbkdf2-sha256 (seed) by design.`,
    '',
    table(all),
    '',
    ...(verdict.length
      ? ['Target (>= 3x the seed under gunicorn, equal or lower p99, zero errors):', '', ...verdict]
      : []),
  ].join('\n');
  console.log(`\n${table(all)}\n`);
  if (verdict.length) console.log(verdict.join('\n'));
  console.log(
    `\nload average during: ${loads.map((l) => l.toFixed(2)).join(', ')}; versions: ${JSON.stringify(v)}`,
  );
  if (!process.argv.includes('--no-write')) {
    const file = await writeSection('api', body);
    console.log(`written: ${file}`);
  }
  console.log(`server logs: ${logDir}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
