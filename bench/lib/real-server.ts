/**
 * The real Temporal Server of scripts/temporal-server.sh (Go server on PostgreSQL) for the benchmarks: started
 * when not running (and then stopped again at the end), its address, and the CPU of its two processes.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { childPids, cpuSeconds } from './proc-memory';

const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'temporal-server.sh');

export interface RealServer {
  address: string;
  shards: number;
  /** The server's pid, and PostgreSQL's postmaster's. */
  pids(): { server: number; postgres: number };
  /** Stops the server and PostgreSQL if this process started them. */
  release(): void;
}

function run(command: string): string {
  return execFileSync('bash', [SCRIPT, command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

/** Starts (or reuses) the real server with TEMPORAL_SERVER_SHARDS history shards (default 8). */
export function ensureRealServer(log: (message: string) => void): RealServer {
  let wasRunning = true;
  try {
    run('status');
  } catch {
    wasRunning = false;
  }
  log(wasRunning ? 'reusing the running real Temporal server' : 'starting the real Temporal server');
  const out = run('start');
  const address = /TEMPORAL_ADDRESS=(\S+)/.exec(out)?.[1];
  if (!address) throw new Error(`scripts/temporal-server.sh start printed no address: ${out}`);
  const state = process.env.TEMPORAL_SERVER_STATE ?? '/tmp/subtracker-temporal-server';
  return {
    address,
    shards: Number(fs.readFileSync(path.join(state, 'shards'), 'utf8').trim()),
    pids() {
      const m = /server=(\d*) postgres=(\d*)/.exec(run('pids'));
      return { server: Number(m?.[1] ?? 0), postgres: Number(m?.[2] ?? 0) };
    },
    release() {
      if (!wasRunning) run('stop');
    },
  };
}

/**
 * CPU seconds of a PostgreSQL cluster so far: the postmaster, its live backends and background processes, and
 * the exited ones it has reaped (its children's times). The server keeps its connections open, so backends are
 * long-lived and seldom fall between two readings.
 */
export function postgresCpuSeconds(postmaster: number): number {
  if (!postmaster) return 0;
  let reaped = 0;
  try {
    const fields = fs.readFileSync(`/proc/${postmaster}/stat`, 'utf8').split(') ')[1].split(' ');
    reaped = (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return 0;
  }
  return (
    cpuSeconds(postmaster) + reaped + childPids(postmaster).reduce((sum, pid) => sum + cpuSeconds(pid), 0)
  );
}
