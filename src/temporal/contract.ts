/**
 * The Temporal contract shared by the API, the worker and workflow code. Pure: no I/O, no Node built-ins,
 * so workflows may import it.
 */

/** Retry policy of every mail-sending activity (docs/temporal.md). */
export const MAIL_RETRY = {
  initialInterval: '5s',
  backoffCoefficient: 2,
  maximumInterval: '5m',
  maximumAttempts: 8,
} as const;

/** Timeouts of mail-sending activities: the HTTP client gives up after 10 s, the attempt after 30 s. */
export const MAIL_ACTIVITY_TIMEOUTS = { startToCloseTimeout: '30s', scheduleToCloseTimeout: '2h' } as const;

export const SCHEDULE_IDS = {
  reminderCheck: 'reminder-check',
  monthlyReport: 'monthly-report',
  exchangeRates: 'exchange-rates',
} as const;

export const WORKFLOW_TYPES = {
  welcome: 'welcomeWorkflow',
  reminderCheck: 'reminderCheckWorkflow',
  reminderBatch: 'reminderBatchWorkflow',
  reminderTest: 'reminderTestWorkflow',
  monthlyReport: 'monthlyReportWorkflow',
  reportBatch: 'reportBatchWorkflow',
  userReport: 'userReportWorkflow',
  exchangeRates: 'exchangeRatesWorkflow',
  channelTest: 'channelTestWorkflow',
  subscriptionImport: 'subscriptionImportWorkflow',
} as const;

/** Builds workflow and schedule ids under one prefix, so test runs and deployments never collide. */
export function createIds(prefix: string) {
  return {
    welcome: (userId: number) => `${prefix}welcome-${userId}`,
    /**
     * The batch of reminders firing at one instant, named by its contents (`digest`, see reminderBatchDigest):
     * a second check listing the same reminders finds it started; one listing others starts another batch.
     */
    reminderBatch: (instantMs: number, digest: string) =>
      `${prefix}reminders-${new Date(instantMs).toISOString()}-${digest}`,
    report: (userId: number, month: string) => `${prefix}report-${userId}-${month}`,
    /**
     * The batch of one month's reports due at one instant, named by its users (`digest`, see reportBatchDigest):
     * a second fan-out listing the same users finds it started; one listing others starts another batch.
     */
    reportBatch: (month: string, instantMs: number, digest: string) =>
      `${prefix}reports-${month}-${new Date(instantMs).toISOString()}-${digest}`,
    schedule: (name: keyof typeof SCHEDULE_IDS) => `${prefix}${SCHEDULE_IDS[name]}`,
    reminderCheckRun: (stamp: string) => `${prefix}reminder-check-${stamp}`,
    /** A developer test send (POST /reminders/send-test): never collides with the real reminder's id. */
    reminderTest: (subscriptionId: number, nonce: string) =>
      `${prefix}reminder-test-${subscriptionId}-${nonce}`,
    /** A developer test send (POST /stats/send-test): never collides with (or blocks) the real report's id. */
    reportTest: (userId: number, month: string, nonce: string) =>
      `${prefix}report-test-${userId}-${month}-${nonce}`,
    /** A channel's test message (POST /users/me/channels/{id}/test). */
    channelTest: (channelId: number, nonce: string) => `${prefix}channel-test-${channelId}-${nonce}`,
    /** The workflow of one upload (POST /subscriptions/import), named by its imports row. */
    subscriptionImport: (importId: number) => `${prefix}import-${importId}`,
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
  /** Batch workflows started (one per instant and page). */
  reminderBatchesStarted: number;
  /** Reminders put in new batches, found in batches already started, logged as skipped, listed after their instant. */
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
  | 'before_change'
  /** Another batch claimed it first (a re-listed reminder): that batch sends and logs it. */
  | 'claimed_elsewhere';
export type ReminderResult =
  | { outcome: 'sent'; providerMessageId: string; attempts: number; late: boolean }
  | { outcome: 'skipped'; reason: ReminderSkipReason }
  | { outcome: 'failed'; attempts: number; error: string };

/** Most reminders one page of the check's reminders step lists, and so the most one batch holds. */
export const REMINDER_BATCH_PAGE_SIZE = 500;

/**
 * What a reminder is about: a charge (`rem:` keys, the default), the free trial ending with the first charge
 * (`trial:` keys), or the last day to cancel before the next term (`cancelby:` keys, its date as the due date). Each kind has its own key, so each is logged exactly once.
 */
export type ReminderKind = 'charge' | 'trial_end' | 'cancel_by';

/** Key prefix of each reminder kind. */
export const REMINDER_KEY_PREFIXES: Readonly<Record<ReminderKind, string>> = {
  charge: 'rem',
  trial_end: 'trial',
  cancel_by: 'cancelby',
};

/** A reminder a batch still has to deliver, with its retry state (carried across activity calls and runs). */
export interface BatchReminder {
  subscriptionId: number;
  dueDate: string;
  /** Absent means 'charge' (batches started before kinds existed). */
  kind?: ReminderKind;
  offsetDays: number;
  /** The instant it fires (epoch ms), as last computed. */
  instantMs: number;
  /** Not before this instant (a retry's backoff, a 429's Retry-After); default its instant. */
  notBeforeMs?: number;
  /** Send attempts made so far, the first one's time, and the last error. */
  attempts?: number;
  firstAttemptMs?: number;
  lastError?: string;
}

/** A delivery key whose channel deliveries (channel_deliveries rows) are pending, and when the next is due. */
export interface ChannelWait {
  key: string;
  notBeforeMs: number;
}

/** How one channel delivery ended, by `{key}>{channelId}`. */
export type ChannelResult =
  | { outcome: 'sent'; attempts: number; status: number; providerMessageId?: string }
  | { outcome: 'failed'; attempts: number; error: string; status?: number }
  | { outcome: 'skipped'; reason: 'channel_disabled' };

/** What one channel delivery call did: the deliveries it ended and the keys whose others must wait. */
export interface ChannelBatchDelivery {
  done: Record<string, ChannelResult>;
  again: ChannelWait[];
}

/** A channel's test message: the delivery the API planned for this workflow, by key and channel. */
export interface ChannelTestInput {
  key: string;
  channelId: number;
}

/** How a test message ended; `channel_deleted` when its channel (and so its delivery) was deleted first. */
export type ChannelTestResult = ChannelResult | { outcome: 'skipped'; reason: 'channel_deleted' };

/** A channel test's delivery key: unique per test, so each test is a delivery (and a log row) of its own. */
export function channelTestKeyOf(channelId: number, nonce: string): string {
  return `channel-test:${channelId}:${nonce}`;
}

/** The name of one channel delivery in a batch's result. */
export function channelDeliveryName(key: string, channelId: number): string {
  return `${key}>${channelId}`;
}

/** A reminder batch: the reminders it holds (shown in the Web UI) and, across runs, the outcomes so far. */
export interface ReminderBatchInput {
  reminders: BatchReminder[];
  outcomes?: Record<string, ReminderResult>;
  /** Keys with channel deliveries still to make, and their outcomes so far (carried across runs). */
  channels?: ChannelWait[];
  channelOutcomes?: Record<string, ChannelResult>;
  /** History length at which a run continues as new (default REMINDER_BATCH_HISTORY_LIMIT; tests go lower). */
  historyLimit?: number;
}

/** What one delivery call did: the reminders it ended (by key) and those to deliver again later. */
export interface BatchDelivery {
  done: Record<string, ReminderResult>;
  again: BatchReminder[];
  /** Keys of this call with channel deliveries planned and pending (their owner has channels). */
  channels?: ChannelWait[];
}

export interface ReminderBatchResult {
  /** Outcome of every reminder the batch held, by key `rem:{subscriptionId}:{dueDate}:{offset}`. */
  outcomes: Record<string, ReminderResult>;
  /** Outcome of every channel delivery, by `{key}>{channelId}` (absent when there were none). */
  channelOutcomes?: Record<string, ChannelResult>;
}

/** A batch continues as new before its history reaches this many events (well under the 4,000 asked for). */
export const REMINDER_BATCH_HISTORY_LIMIT = 2_000;

/** Reminder key (`rem:{subscriptionId}:{dueDate}:{offset}`, `trial:...` for a trial end), the idempotency key of its log row. */
export function reminderKeyOf(r: {
  subscriptionId: number;
  dueDate: string;
  offsetDays: number;
  kind?: ReminderKind;
}): string {
  return `${REMINDER_KEY_PREFIXES[r.kind ?? 'charge']}:${r.subscriptionId}:${r.dueDate}:${r.offsetDays}`;
}

/** The kind a reminder key names (by its prefix; an unknown prefix is a charge's). */
export function reminderKindOfKey(key: string): ReminderKind {
  const prefix = key.slice(0, key.indexOf(':'));
  const found = Object.entries(REMINDER_KEY_PREFIXES).find(([, p]) => p === prefix);
  return (found?.[0] as ReminderKind | undefined) ?? 'charge';
}

/**
 * Names a batch by what it holds: `{N}x{hash}`, the hash FNV-1a (32 bit) over the sorted keys, hex. Pure and
 * deterministic, so workflow code may compute it; equal sets give equal digests, a key more or less gives another.
 */
export function batchDigest(keys: readonly string[]): string {
  const joined = [...keys].sort().join('|');
  let hash = 0x811c9dc5;
  for (let i = 0; i < joined.length; i++) {
    hash ^= joined.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${keys.length}x${hash.toString(16).padStart(8, '0')}`;
}

/** Names a reminder batch by its reminders' keys (see batchDigest). */
export function reminderBatchDigest(reminders: readonly BatchReminder[]): string {
  return batchDigest(reminders.map(reminderKeyOf));
}

/**
 * Signal to a reminder batch: its plan may have changed (the owner's hour, zone or offsets, the subscription's
 * date, offsets or status). It wakes, re-validates at once and sleeps until the instant that holds now.
 */
export const REMINDER_REPLAN_SIGNAL = 'replan';

/** A reminder delivered more than this after its instant is logged `late` (retries alone stay on time). */
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
  /** Report batches started, and found already started (or completed) under their id; the users they hold. */
  batchesStarted: number;
  batchesAlreadyStarted: number;
  usersStarted: number;
  usersAlreadyStarted: number;
}

/** One user's report of one month, id `report-{userId}-{YYYY-MM}`. */
export interface UserReportInput {
  userId: number;
  /** 'YYYY-MM' in the user's zone. */
  month: string;
  /** A developer test send: no wait, reports setting ignored, no monthly_reports row, sent even when empty. */
  test?: boolean;
}
export type ReportSkipReason =
  | 'deleted'
  | 'unverified'
  | 'disabled'
  | 'already_recorded'
  | 'no_charges'
  /** Another batch claimed the user's report of the month first: that batch sends and records it. */
  | 'claimed_elsewhere';
export type UserReportResult =
  | { outcome: 'sent'; providerMessageId: string; attempts: number }
  | { outcome: 'skipped'; reason: ReportSkipReason }
  | { outcome: 'failed'; attempts: number; error: string };

/** A user whose report a batch still has to deliver, with its retry state (carried across activity calls and runs). */
export interface BatchReportUser {
  userId: number;
  /** The month's end in the user's zone at their hour (epoch ms), as last computed. */
  instantMs: number;
  /** Not before this instant (a retry's backoff, a 429's Retry-After); default its instant. */
  notBeforeMs?: number;
  /** Send attempts made so far, the first one's time, and the last error. */
  attempts?: number;
  firstAttemptMs?: number;
  lastError?: string;
}

/** A report batch: the month, the users it holds (shown in the Web UI) and, across runs, the outcomes so far. */
export interface ReportBatchInput {
  month: string;
  users: BatchReportUser[];
  /** By user id. */
  outcomes?: Record<string, UserReportResult>;
  /** Keys with channel deliveries still to make, and their outcomes so far (carried across runs). */
  channels?: ChannelWait[];
  channelOutcomes?: Record<string, ChannelResult>;
  /** History length at which a run continues as new (default REPORT_BATCH_HISTORY_LIMIT; tests go lower). */
  historyLimit?: number;
}

/** What one report delivery call did: the users it ended (by id) and those to deliver again later. */
export interface ReportBatchDelivery {
  done: Record<string, UserReportResult>;
  again: BatchReportUser[];
  /** Report keys of this call with channel deliveries planned and pending (their owner has report channels). */
  channels?: ChannelWait[];
}

export interface ReportBatchResult {
  /** Outcome of every user the batch held, by user id. */
  outcomes: Record<string, UserReportResult>;
  /** Outcome of every channel delivery, by `{reportKey}>{channelId}` (absent when there were none). */
  channelOutcomes?: Record<string, ChannelResult>;
}

/** A monthly report's key (`report:{userId}:{YYYY-MM}`): its email's idempotency key and its channel deliveries'. */
export function reportKeyOf(userId: number, month: string): string {
  return `report:${userId}:${month}`;
}

/** A report batch continues as new before its history reaches this many events. */
export const REPORT_BATCH_HISTORY_LIMIT = 2_000;

/** Names a report batch by its users' ids (see batchDigest). */
export function reportBatchDigest(users: readonly { userId: number }[]): string {
  return batchDigest(users.map((u) => String(u.userId)));
}

/** The two ECB documents: today's rates, and the last 90 days' (read when stored days are missing). */
export type EcbRatesSource = 'daily' | 'history';

/**
 * How far back the rates run looks for missing publication days: well inside the 90 days the history file
 * covers, so a day it cannot fill is never looked for.
 */
export const EXCHANGE_RATES_GAP_WINDOW_DAYS = 60;

/** No options yet: an (empty) object, so one can be added without changing the schedule's argument shape. */
export type ExchangeRatesInput = Record<string, never>;
export interface ExchangeRatesResult {
  /** The newest publication day read (the daily document's). */
  newestDate: string;
  /** TARGET business days in the gap window that had no stored rates before this run. */
  missingDays: number;
  historyFetched: boolean;
  /** Publication days and rates written (inserted or overwritten with the same or a corrected value). */
  daysWritten: number;
  ratesWritten: number;
}

/** Rows one import activity validates and creates before it saves the import's counts and cursor. */
export const IMPORT_PAGE_SIZE = 100;

export interface SubscriptionImportInput {
  /** The imports row holding the file's rows, cursor and report. */
  importId: number;
  /** Rows per activity call (default IMPORT_PAGE_SIZE; tests go lower). */
  pageSize?: number;
}

/** What one page did; `done` once every row is counted (or the import is gone or already ended). */
export interface ImportPageResult {
  done: boolean;
  /** Rows counted so far (the cursor after this page). */
  processed: number;
}

/** The report the workflow ends with, as GET /imports/{id} shows it (errors counted here, listed there). */
export interface SubscriptionImportResult {
  status: 'completed' | 'failed' | 'missing';
  created: number;
  duplicates: number;
  errors: number;
}
