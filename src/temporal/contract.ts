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
  reminder: 'reminderWorkflow',
  monthlyReport: 'monthlyReportWorkflow',
  userReport: 'userReportWorkflow',
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
    /** A developer test send (POST /reminders/send-test): never collides with the real reminder's id. */
    reminderTest: (subscriptionId: number, nonce: string) =>
      `${prefix}reminder-test-${subscriptionId}-${nonce}`,
    /** A developer test send (POST /stats/send-test): never collides with (or blocks) the real report's id. */
    reportTest: (userId: number, month: string, nonce: string) =>
      `${prefix}report-test-${userId}-${month}-${nonce}`,
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
export const REMINDER_CHECK_PHASES = ['welcome', 'advance', 'reminders', 'prune'] as const;
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
  /** The check's "now" (epoch ms), fixed by its first run so every page sees the same window. */
  nowMs?: number;
}
export interface ReminderCheckCounts {
  welcomeStarted: number;
  welcomeAlreadyRunning: number;
  /** Subscriptions whose next payment date moved, and the charges (ledger rows) that came due. */
  subscriptionsAdvanced: number;
  chargesRecorded: number;
  /** Reminder children started, found already started, logged as skipped, and started after their instant. */
  remindersStarted: number;
  remindersAlreadyRunning: number;
  remindersSkipped: number;
  remindersLate: number;
  /** Rows nothing reads any more, deleted: started markers of payments long due, sessions long expired. */
  reminderStartsPruned: number;
  sessionsPruned: number;
}

/** Most rows of each kind one prune page deletes. */
export const PRUNE_PAGE_SIZE = 1000;

/** One reminder: a subscription's due date and an offset, with the instant the check computed for it. */
export interface ReminderInput {
  subscriptionId: number;
  /** 'YYYY-MM-DD' of the payment, in the owner's zone. */
  dueDate: string;
  offsetDays: number;
  /** When to send (epoch ms); the child re-validates and sleeps again if it has moved later. */
  instantMs: number;
  /** A developer test send: no sleep, no schedule checks, no log row (its key would block the real one). */
  test?: boolean;
}
export type ReminderSkipReason =
  | 'deleted'
  | 'paused'
  | 'cancelled'
  | 'disabled'
  | 'unverified'
  | 'rescheduled'
  | 'offset_removed'
  | 'already_logged'
  | 'missed'
  | 'superseded'
  | 'before_change';
export type ReminderResult =
  | { outcome: 'sent'; providerMessageId: string; attempts: number; late: boolean }
  | { outcome: 'skipped'; reason: ReminderSkipReason }
  | { outcome: 'failed'; attempts: number; error: string };

/** A reminder delivered more than this after its instant is logged `late` (retries alone stay on time). */
/**
 * Signal to a sleeping reminder: its plan may have changed (the owner's hour, zone or offsets, the subscription's
 * date, offsets or status). It wakes, re-validates at once and sleeps until the instant that holds now.
 */
export const REMINDER_REPLAN_SIGNAL = 'replan';

export const REMINDER_LATE_AFTER_MS = 5 * 60_000;

/** Largest page of users one monthly-report run handles before continueAsNew. */
export const MONTHLY_REPORT_PAGE_SIZE = 250;

export interface MonthlyReportInput {
  /** Id prefix of the child workflows this run starts. */
  idPrefix: string;
  /** 'YYYY-MM' to report; unset, it comes from the schedule's scheduled time (the month before it, UTC). */
  month?: string;
  /** Last user id handled; the next page starts after it (carried across continueAsNew). */
  cursor?: number;
  counts?: MonthlyReportCounts;
  /** Users per run before continueAsNew (default MONTHLY_REPORT_PAGE_SIZE; tests use small pages). */
  pageSize?: number;
}
export interface MonthlyReportCounts {
  /** Per-user report children started, and found already started (or completed) under their id. */
  started: number;
  alreadyStarted: number;
}

/** One user's report of one month, id `report-{userId}-{YYYY-MM}`. */
export interface UserReportInput {
  userId: number;
  /** 'YYYY-MM' in the user's zone. */
  month: string;
  /** A developer test send: no wait, reports setting ignored, no monthly_reports row, sent even when empty. */
  test?: boolean;
}
export type ReportSkipReason = 'deleted' | 'unverified' | 'disabled' | 'already_recorded' | 'no_charges';
export type UserReportResult =
  | { outcome: 'sent'; providerMessageId: string; attempts: number }
  | { outcome: 'skipped'; reason: ReportSkipReason }
  | { outcome: 'failed'; attempts: number; error: string };
