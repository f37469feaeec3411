import { loadConfig } from '../config';
import { createTemporal } from '../temporal/client';
import { createIds } from '../temporal/contract';
import { createPayloadCodec } from '../temporal/payload-codec';
import { terminateRetiredRuns } from '../temporal/retired-workflows';
import { applySchedules } from '../temporal/schedules';
import { runEntry } from './run-entry';

/**
 * `npm run schedules:apply`: creates or updates SubTracker's Temporal schedules (spec, action, policies),
 * never pausing or unpausing them, and terminates open runs of retired workflow types. Run by `npm run dev` and the compose migrate job; safe to repeat.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const address = config.temporal.address ?? `127.0.0.1:${config.temporal.devPort}`;
  // Schedule actions (workflow type, input) are encrypted with the same codec as every other payload.
  const temporal = createTemporal({
    address,
    namespace: config.temporal.namespace,
    payloadCodec: createPayloadCodec(config.temporal.payloadKeys),
  });
  try {
    await temporal.ping(5000).catch(() => {
      throw new Error(
        `Temporal does not answer on ${address} (start it with npm run dev, or set TEMPORAL_ADDRESS)`,
      );
    });
    const results = await applySchedules(temporal.client, {
      ids: createIds(config.temporal.idPrefix),
      taskQueue: config.temporal.taskQueue,
      idPrefix: config.temporal.idPrefix,
      reminderCheckCron: config.temporal.reminderCheckCron,
      monthlyReportCron: config.temporal.monthlyReportCron,
      exchangeRatesCron: config.temporal.exchangeRatesCron,
    });
    for (const r of results) {
      console.log(`${r.id}: ${r.action}${r.changed ? ` (${r.changed.join(', ')})` : ''}`);
    }
    const retired = await terminateRetiredRuns(temporal.client, config.temporal.idPrefix);
    if (retired) console.log(`terminated ${retired} runs of retired workflow types`);
  } finally {
    await temporal.close();
  }
}

runEntry('subtracker-schedules-apply', main);
