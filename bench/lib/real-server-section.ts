/**
 * `npm run bench:pipeline -- --server real --n 1000 [--workers 1,2]`: ours on the real Temporal Server
 * (scripts/temporal-server.sh: the Go server on PostgreSQL, SQL visibility, several history shards) with one and
 * two worker processes, after the same n on the dev server as the baseline of the moment, and the `real-server`
 * section of bench/RESULTS.md: wall time, history events, estimated billable actions and CPU per 1,000 reminders.
 */
import os from 'node:os';
import { runReminderScenario, type RunReport } from '../reminder-harness';
import { ensureRealServer } from './real-server';
import { writeSection } from './results';

/**
 * History events that Temporal Cloud bills as actions, approximately: workflow starts (children and continued
 * runs included), activities scheduled, local activities (one marker each), timers, signals, search-attribute
 * upserts. Schedule triggers, queries and heartbeats are left out (none or few here).
 */
const ACTION_EVENTS = [
  'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
  'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
  'EVENT_TYPE_MARKER_RECORDED',
  'EVENT_TYPE_TIMER_STARTED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED',
  'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES',
];

const loadNow = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
const per1000 = (x: number, n: number, digits = 2) => ((x * 1000) / n).toFixed(digits);

export function billableActions(r: RunReport): number {
  return ACTION_EVENTS.reduce((sum, type) => sum + (r.eventTypes[type] ?? 0), 0);
}

export async function realServerSection(opts: {
  n: number;
  workerCounts: number[];
  runOnDevServer: (n: number) => Promise<RunReport>;
  machine: string;
  write: boolean;
  log: (message: string) => void;
}): Promise<void> {
  const { n, log } = opts;
  const runs: { setup: string; r: RunReport; loadBefore: string; loadAfter: string }[] = [];
  let loadBefore = loadNow();
  log(`dev server: ${n} reminders, one worker`);
  runs.push({
    setup: 'dev server (in memory), 1 worker',
    r: await opts.runOnDevServer(n),
    loadBefore,
    loadAfter: loadNow(),
  });
  const server = ensureRealServer(log);
  try {
    for (const workers of opts.workerCounts) {
      loadBefore = loadNow();
      log(`real server: ${n} reminders, ${workers} worker process(es)`);
      const r = await runReminderScenario({ n, log, server, workers });
      runs.push({
        setup: `real server (PostgreSQL, ${server.shards} shards), ${workers} worker${workers > 1 ? 's' : ''}`,
        r,
        loadBefore,
        loadAfter: loadNow(),
      });
    }
  } finally {
    server.release();
  }
  const head = [
    'setup',
    'wall time',
    'msg/s',
    'events per 1,000',
    'actions per 1,000 (est.)',
    'CPU s per 1,000: Temporal server / PostgreSQL / workers',
    'duplicates',
    'keys with one sent log',
    'load before → after (1/5/15)',
  ];
  const rows = runs.map(({ setup, r, loadBefore: before, loadAfter: after }) => [
    setup,
    `${(r.wallMs / 1000).toFixed(1)} s`,
    String(r.messagesPerSecond),
    per1000(r.totalEvents, r.n, 0),
    per1000(billableActions(r), r.n, 0),
    `${per1000(r.serverCpuSeconds, r.n)} / ${r.postgresCpuSeconds ? per1000(r.postgresCpuSeconds, r.n) : '-'} / ${per1000(r.workerCpuSeconds, r.n)}`,
    String(r.duplicates),
    `${r.keysWithOneSentLog} of ${r.n}`,
    `${before} → ${after}`,
  ]);
  const types = runs.at(-1)!.r.eventTypes;
  const body = [
    `## Real server: ours on Temporal Server + PostgreSQL (\`npm run bench:pipeline -- --server real --n ${n}\`)`,
    '',
    `Run ${new Date().toISOString()} on ${opts.machine}. **Under load**: the machine was shared with other agents' builds and tests; the load averages beside each row are \`uptime\`'s. Same scenario as the pipeline section (n reminders due now, the reminder-check schedule triggered, the real activities, a fresh MariaDB database, the fake Mailgun); the real server is scripts/temporal-server.sh's (Temporal Server ${process.env.TEMPORAL_SERVER_VERSION ?? 'v1.29.1'} built with go install, PostgreSQL from Debian, SQL visibility, eager activities on), each worker a process of its own (\`bench/reminder-worker.ts\`). CPU from /proc over the trigger-to-last-log span; PostgreSQL's is the postmaster's, its processes' and its reaped children's.`,
    '',
    [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n'),
    '',
    `History events by type in the last run (batches weighted up from a sample when sampled): ${Object.entries(
      types,
    )
      .sort((a, b) => b[1] - a[1])
      .map(([type, count]) => `${type.replace('EVENT_TYPE_', '')} ${count}`)
      .join(', ')}.`,
  ].join('\n');
  console.log(`\n${body}\n`);
  if (opts.write) log(`wrote ${await writeSection('real-server', body)}`);
}
