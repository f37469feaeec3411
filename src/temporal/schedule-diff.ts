import { isDeepStrictEqual } from 'node:util';
import type { ScheduleDescription } from '@temporalio/client';
import { calendarToValues, cronToValues } from './cron-calendar';
import type { ScheduleDefinition } from './schedule-definitions';

export type ScheduleAspect = 'spec' | 'action' | 'policies';

/** The parts of a described schedule that differ from its definition (empty: nothing to update). */
export function scheduleDifferences(def: ScheduleDefinition, current: ScheduleDescription): ScheduleAspect[] {
  const differences: ScheduleAspect[] = [];
  if (!sameSpec(def.cron, current.spec)) differences.push('spec');
  const a = current.action;
  const sameAction =
    a.workflowType === def.action.workflowType &&
    a.taskQueue === def.action.taskQueue &&
    a.workflowId === def.action.workflowId &&
    isDeepStrictEqual(a.args ?? [], def.action.args);
  if (!sameAction) differences.push('action');
  const p = current.policies;
  const samePolicies =
    p.overlap === def.policies.overlap &&
    p.catchupWindow === def.policies.catchupWindowMs &&
    p.pauseOnFailure === def.policies.pauseOnFailure;
  if (!samePolicies) differences.push('policies');
  return differences;
}

function sameSpec(cron: string, spec: ScheduleDescription['spec']): boolean {
  const wanted = cronToValues(cron);
  const calendars = spec.calendars ?? [];
  return (
    wanted !== undefined &&
    calendars.length === 1 &&
    isDeepStrictEqual(calendarToValues(calendars[0]), wanted) &&
    !spec.intervals?.length &&
    !spec.skip?.length &&
    !spec.startAt &&
    !spec.endAt &&
    !spec.jitter &&
    !spec.timezone
  );
}
