/**
 * The Temporal contract shared by the API, the worker and workflow code. Pure: no I/O, no Node built-ins,
 * so workflows may import it.
 */

/** Retry policy of every mail-sending activity (DESIGN.md section 6). */
export const MAIL_RETRY = {
  initialInterval: '5s',
  backoffCoefficient: 2,
  maximumInterval: '5m',
  maximumAttempts: 8,
} as const;

/** Timeouts of mail-sending activities: the HTTP client gives up after 10 s, the attempt after 30 s. */
export const MAIL_ACTIVITY_TIMEOUTS = { startToCloseTimeout: '30s', scheduleToCloseTimeout: '2h' } as const;

export const SCHEDULE_IDS = { reminderCheck: 'reminder-check', monthlyReport: 'monthly-report' } as const;

export const WORKFLOW_TYPES = {
  welcome: 'welcomeWorkflow',
  reminderCheck: 'reminderCheckWorkflow',
} as const;

/** Builds workflow and schedule ids under one prefix, so test runs and deployments never collide. */
export function createIds(prefix: string) {
  return {
    welcome: (userId: number) => `${prefix}welcome-${userId}`,
    reminder: (subscriptionId: number, dueDate: string, offsetDays: number) =>
      `${prefix}reminder-${subscriptionId}-${dueDate}-${offsetDays}`,
    report: (userId: number, month: string) => `${prefix}report-${userId}-${month}`,
    schedule: (name: keyof typeof SCHEDULE_IDS) => `${prefix}${SCHEDULE_IDS[name]}`,
    reminderCheckRun: (stamp: string) => `${prefix}reminder-check-${stamp}`,
  };
}
export type WorkflowIds = ReturnType<typeof createIds>;

export interface WelcomeInput {
  userId: number;
}
export type WelcomeResult =
  | { outcome: 'sent'; providerMessageId: string }
  | { outcome: 'skipped'; reason: 'deleted' | 'already_verified' };

export interface ReminderCheckInput {
  /** Id prefix of the child workflows this run starts. */
  idPrefix: string;
  /** Carried across continueAsNew. */
  counts?: ReminderCheckCounts;
  cursor?: number;
}
export interface ReminderCheckCounts {
  welcomeStarted: number;
  welcomeAlreadyRunning: number;
}
