import type { Client, ScheduleDescription, ScheduleHandle } from '@temporalio/client';
import { scheduleDefinitions, type ScheduleDefinition, type ScheduleSettings } from './schedule-definitions';
import { scheduleDifferences, type ScheduleAspect } from './schedule-diff';

export interface ScheduleApplyResult {
  id: string;
  action: 'created' | 'updated' | 'unchanged';
  /** For `updated`: what differed. */
  changed?: ScheduleAspect[];
}

/** Creates or updates every SubTracker schedule; idempotent, and never pauses or unpauses one. */
export async function applySchedules(
  client: Client,
  settings: ScheduleSettings,
): Promise<ScheduleApplyResult[]> {
  const results: ScheduleApplyResult[] = [];
  for (const def of scheduleDefinitions(settings)) results.push(await applySchedule(client, def));
  return results;
}

/** Makes one schedule match `def`: spec, action and policies; its paused flag and note stay as they are. */
export async function applySchedule(client: Client, def: ScheduleDefinition): Promise<ScheduleApplyResult> {
  const handle = client.schedule.getHandle(def.id);
  const current = await describeIfExists(handle);
  if (!current) {
    try {
      await client.schedule.create({ scheduleId: def.id, ...scheduleBody(def) });
      return { id: def.id, action: 'created' };
    } catch (err) {
      // Another apply created it between describe and create: compare with what it created.
      if ((err as Error).name !== 'ScheduleAlreadyRunning') throw err;
      return applySchedule(client, def);
    }
  }
  const changed = scheduleDifferences(def, current);
  if (!changed.length) return { id: def.id, action: 'unchanged' };
  await handle.update((previous) => ({
    ...scheduleBody(def),
    state: {
      paused: previous.state.paused,
      note: previous.state.note,
      remainingActions: previous.state.remainingActions,
    },
  }));
  return { id: def.id, action: 'updated', changed };
}

function scheduleBody(def: ScheduleDefinition) {
  return {
    spec: { cronExpressions: [def.cron] },
    action: { type: 'startWorkflow' as const, ...def.action },
    policies: {
      overlap: def.policies.overlap,
      catchupWindow: def.policies.catchupWindowMs,
      pauseOnFailure: def.policies.pauseOnFailure,
    },
  };
}

async function describeIfExists(handle: ScheduleHandle): Promise<ScheduleDescription | undefined> {
  try {
    return await handle.describe();
  } catch (err) {
    if ((err as Error).name === 'ScheduleNotFoundError') return undefined;
    throw err;
  }
}
