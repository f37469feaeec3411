/**
 * `npm run bench:temporal-floor -- --n 2000`: the floor under the reminder pipeline, i.e. how many child workflows
 * per second the dev server and one in-process worker complete on this machine when the children do no I/O at all.
 * Same server as bench:pipeline (in memory, SubTracker's dynamic config). Three runs of n each:
 *
 *   fan-out, bare      the reminder check's paging (250 per run, every start awaited, continueAsNew) of children
 *                      that run one local activity
 *   fan-out, shaped    the same with the reminder's shape: local activity, regular activity, local activity
 *   client, bare       the same bare workflows started by the client, 64 starts in flight, no parent
 *
 * Prints a table and writes the `temporal-floor` section of bench/RESULTS.md (--no-write: not).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { dynamicConfigArgs } from '../src/temporal/dev-server';
import { resolveTemporalBinary } from '../src/temporal/tools';
import { createFloorActivities } from './floor/activities';
import type { floorBare, floorFanOut } from './floor/workflows';
import { childPids, cpuSeconds } from './lib/proc-memory';
import { progress } from './lib/progress';
import { writeSection } from './lib/results';

const ROOT = path.resolve(__dirname, '..');
const i = process.argv.indexOf('--n');
const n = i >= 0 ? Number(process.argv[i + 1]) : 2000;
const write = !process.argv.includes('--no-write');
const log = (m: string) => console.log(`[floor] ${m}`);

interface Row {
  name: string;
  wallMs: number;
  cpuServerS: number;
  cpuWorkerS: number;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const cli = await resolveTemporalBinary('cli', { env: process.env, root: ROOT, log });
  const env = await TestWorkflowEnvironment.createLocal({
    server: { executable: cli, ip: '127.0.0.1', extraArgs: dynamicConfigArgs() },
  });
  let done = 0;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'floor',
    workflowsPath: require.resolve('./floor/workflows'),
    activities: createFloorActivities(() => (done += 1)),
  });
  const running = worker.run();
  const rows: Row[] = [];
  try {
    const runs: [string, () => Promise<unknown>][] = [
      ['fan-out, bare children (1 local activity)', () => fanOut('floorBare', 'a')],
      ['fan-out, reminder-shaped children (local, regular, local)', () => fanOut('floorChild', 'b')],
      ['client starts, bare workflows (64 in flight)', () => clientStarts('c')],
    ];
    for (const [name, start] of runs) {
      done = 0;
      const serverPid = serverProcessId();
      const cpu0 = [serverPid ? cpuSeconds(serverPid) : 0, process.cpuUsage()];
      const t0 = Date.now();
      const bar = progress(name, n);
      await start();
      while (done < n) {
        bar.tick(done);
        await new Promise((r) => setTimeout(r, 100));
      }
      bar.done();
      const wallMs = Date.now() - t0;
      const worker = process.cpuUsage(cpu0[1] as NodeJS.CpuUsage);
      rows.push({
        name,
        wallMs,
        cpuServerS: serverPid ? cpuSeconds(serverPid) - (cpu0[0] as number) : NaN,
        cpuWorkerS: (worker.user + worker.system) / 1e6,
      });
      log(`${name}: ${n} in ${wallMs} ms`);
    }
  } finally {
    worker.shutdown();
    await running;
    await env.teardown();
  }

  async function fanOut(child: 'floorBare' | 'floorChild', tag: string): Promise<void> {
    await env.client.workflow.start<typeof floorFanOut>('floorFanOut', {
      taskQueue: 'floor',
      workflowId: `floor-${tag}-parent`,
      args: [{ child, n, pageSize: 250, idPrefix: `floor-${tag}-` }],
    });
  }

  async function clientStarts(tag: string): Promise<void> {
    let next = 0;
    const lane = async () => {
      while (next < n) {
        const k = next++;
        await env.client.workflow.start<typeof floorBare>('floorBare', {
          taskQueue: 'floor',
          workflowId: `floor-${tag}-${k}`,
        });
      }
    };
    await Promise.all(Array.from({ length: 64 }, lane));
  }

  const table = [
    `| run (n = ${n}) | wall | children/s | dev server CPU ms per child | worker CPU ms per child |`,
    '| --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${(r.wallMs / 1000).toFixed(1)} s | ${((n / r.wallMs) * 1000).toFixed(1)} | ${((r.cpuServerS * 1000) / n).toFixed(1)} | ${((r.cpuWorkerS * 1000) / n).toFixed(1)} |`,
    ),
  ].join('\n');
  console.log(table);
  if (write) {
    const load = os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ');
    await writeSection(
      'temporal-floor',
      `## Temporal floor (\`npm run bench:temporal-floor -- --n ${n}\`)\n\n${os.cpus().length} cores, node ${process.version}, load after ${load}. ` +
        'Children that do no I/O, on the dev server (in memory, SubTracker dynamic config) with one worker in the ' +
        `bench's own process: the ceiling for any one-workflow-per-reminder design here.\n\n${table}\n`,
    );
  }
}

/** The dev server the test environment spawned: this process's `temporal` child. */
function serverProcessId(): number | undefined {
  return childPids(process.pid).find((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'temporal';
    } catch {
      return false;
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
