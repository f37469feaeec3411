import type { ScheduleOverlapPolicy } from '@temporalio/client';
import {
  WORKFLOW_TYPES,
  type ExchangeRatesInput,
  type MonthlyReportInput,
  type ReminderCheckInput,
  type WorkflowIds,
} from './contract';

/** What SubTracker wants a schedule to be; `applySchedules` makes the server match it. */
export interface ScheduleDefinition {
  /** Schedule id, already prefixed. */
  id: string;
  /** One five-field cron expression, evaluated in UTC. */
  cron: string;
  action: { workflowType: string; taskQueue: string; workflowId: string; args: unknown[] };
  policies: { overlap: ScheduleOverlapPolicy; catchupWindowMs: number; pauseOnFailure: boolean };
}

export interface ScheduleSettings {
  ids: WorkflowIds;
  taskQueue: string;
  idPrefix: string;
  reminderCheckCron: string;
  /** When the monthly report runs (config MONTHLY_REPORT_CRON, default the 1st at 00:00 UTC). */
  monthlyReportCron: string;
  /** When the ECB reference rates are fetched (config EXCHANGE_RATES_CRON, default daily at 16:00 UTC). */
  exchangeRatesCron: string;
}

const HOUR_MS = 60 * 60_000;
const DAY_MS = 24 * HOUR_MS;

/** Every schedule SubTracker owns; a new schedule is one more entry here. */
export function scheduleDefinitions(s: ScheduleSettings): ScheduleDefinition[] {
  const reminderCheckArgs: [ReminderCheckInput] = [{ idPrefix: s.idPrefix }];
  const monthlyReportArgs: [MonthlyReportInput] = [{ idPrefix: s.idPrefix }];
  const exchangeRatesArgs: [ExchangeRatesInput] = [{}];
  return [
    {
      id: s.ids.schedule('reminderCheck'),
      cron: s.reminderCheckCron,
      action: {
        workflowType: WORKFLOW_TYPES.reminderCheck,
        taskQueue: s.taskQueue,
        workflowId: s.ids.schedule('reminderCheck'),
        args: reminderCheckArgs,
      },
      // A run that overruns the next tick makes that tick redundant: it would find the same work.
      policies: { overlap: 'SKIP', catchupWindowMs: HOUR_MS, pauseOnFailure: false },
    },
    {
      id: s.ids.schedule('monthlyReport'),
      cron: s.monthlyReportCron,
      action: {
        workflowType: WORKFLOW_TYPES.monthlyReport,
        taskQueue: s.taskQueue,
        workflowId: s.ids.schedule('monthlyReport'),
        args: monthlyReportArgs,
      },
      // The run takes its month from its scheduled time, so a slot caught up days late still reports the right
      // month; a week covers an outage over a long weekend.
      policies: { overlap: 'SKIP', catchupWindowMs: 7 * DAY_MS, pauseOnFailure: false },
    },
    {
      id: s.ids.schedule('exchangeRates'),
      cron: s.exchangeRatesCron,
      action: {
        workflowType: WORKFLOW_TYPES.exchangeRates,
        taskQueue: s.taskQueue,
        workflowId: s.ids.schedule('exchangeRates'),
        args: exchangeRatesArgs,
      },
      // A missed day is filled from the 90-day history by the next run, so catching up a day is plenty; a
      // failed run (source unreachable) stays failed in the Web UI and the schedule goes on.
      policies: { overlap: 'SKIP', catchupWindowMs: DAY_MS, pauseOnFailure: false },
    },
  ];
}
