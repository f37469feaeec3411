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
export type WelcomeSkipReason = 'deleted' | 'already_verified';
export type WelcomeResult =
  | { outcome: 'sent'; providerMessageId: string; attempts: number }
  | { outcome: 'skipped'; reason: WelcomeSkipReason }
  /** A permanent rejection or exhausted retries: `attempts` made, `error` the last message. */
  | { outcome: 'failed'; attempts: number; error: string };

/** What a mail activity attaches to its ApplicationFailure, so workflows can report attempts. */
export interface MailFailureDetails {
  attempt: number;
  status?: number;
}

/** Largest page of users or reminders one reminder-check run handles before continueAsNew. */
export const REMINDER_CHECK_PAGE_SIZE = 250;

/** The reminder check's steps, run in this order; each pages by its own cursor. */
export const REMINDER_CHECK_PHASES = ['welcome'] as const;
export type ReminderCheckPhase = (typeof REMINDER_CHECK_PHASES)[number];

export interface ReminderCheckInput {
  /** Id prefix of the child workflows this run starts. */
  idPrefix: string;
  /** Carried across continueAsNew. */
  counts?: ReminderCheckCounts;
  /** Step to resume at after continueAsNew (default: the first). */
  phase?: ReminderCheckPhase;
  /** Last id handled by `phase`; the next page starts after it. */
  cursor?: number;
}
export interface ReminderCheckCounts {
  welcomeStarted: number;
  welcomeAlreadyRunning: number;
}
