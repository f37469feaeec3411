/** What activities need from the outside world, as interfaces: the worker wires Sequelize, tests fakes. */
import type { ChannelEventPayload } from '../src/channels/channel-event';
import type { DeliverableChannel } from '../src/channels/provider-requests';
import type { ReminderKind } from '../src/temporal/contract';

/** A user as the welcome email needs them. */
export interface WelcomeUser {
  id: number;
  username: string;
  email: string;
  emailVerified: boolean;
}

export interface WelcomeStore {
  /** The user, or null when they were deleted. */
  findUser(id: number): Promise<WelcomeUser | null>;
  /** Ids > afterId of users whose welcome workflow was never started (welcome_started_at is null), ascending. */
  listUnwelcomed(afterId: number, limit: number): Promise<number[]>;
  /** Records that these users' welcome workflows exist, so the reminder check stops listing them. */
  markWelcomeStarted(ids: number[]): Promise<void>;
}

/** The slice of a pino logger activities use. */
export interface ActivityLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

/** A reminder's subscription, as re-validation and the email need it. */
export interface ReminderSubscription {
  id: number;
  userId: number;
  name: string;
  priceMinor: number;
  currency: string;
  billingCycle: 'daily' | 'weekly' | 'monthly' | 'yearly';
  billingInterval: number;
  anchorDate: string;
  nextPaymentDate: string;
  status: 'active' | 'paused' | 'cancelled';
  /** null inherits the owner's offsets. */
  reminderOffsets: number[] | null;
  /** 'YYYY-MM-DD' the free trial ends and the first charge falls on; null without a trial. */
  trialEndsOn: string | null;
  /** Last day of a fixed term (no charge after it); null without one. */
  endsOn: string | null;
  /** Last day to cancel before the next term (reminded); null without one. */
  cancelBy: string | null;
}

/** The owner's settings that decide a reminder and where it goes. */
export interface ReminderOwner {
  id: number;
  username: string;
  email: string;
  emailVerified: boolean;
  timezone: string;
  reminderHour: number;
  reminderOffsets: number[];
  remindersEnabled: boolean;
}

/** One reminder to start: its business key parts and the instant it fires. */
export interface ReminderCandidate {
  subscriptionId: number;
  userId: number;
  dueDate: string;
  offsetDays: number;
  /** Absent means 'charge'. */
  kind?: ReminderKind;
  instantMs: number;
  /** Its instant passed while nothing ran: it goes out late (catch-up). */
  catchUp: boolean;
}

/** A reminder that will never be sent, logged `skipped` with the reason. */
export interface ReminderSkip {
  subscriptionId: number;
  userId: number;
  dueDate: string;
  offsetDays: number;
  kind?: ReminderKind;
  reason: 'superseded' | 'before_change';
}

/** One page of the reminder check: what to start, what to log as skipped, and where the next page starts. */
export interface ReminderCandidatePage {
  starts: ReminderCandidate[];
  skips: ReminderSkip[];
  /** Last subscription id fully covered. */
  cursor: number;
  more: boolean;
}

/** The one row a reminder ends with. */
export interface ReminderLogEntry {
  subscriptionId: number;
  userId: number;
  dueDate: string;
  offsetDays: number;
  /** Absent means 'charge'. */
  kind?: ReminderKind;
  status: 'sent' | 'failed' | 'skipped';
  reason?: string;
  message?: string;
  error?: string;
  attempts: number;
  providerMessageId?: string;
  late: boolean;
  sentAtMs?: number;
  /** The workflow run that wrote it (the delivering batch, or the check that skipped it). */
  workflowId?: string;
  workflowRunId?: string;
}

/** A subscription and its owner, as re-validation and the email need them. */
export interface ReminderContext {
  subscription: ReminderSubscription;
  owner: ReminderOwner;
}

/** A reminder by the parts of its key. */
export type ReminderKeyParts = Pick<ReminderCandidate, 'subscriptionId' | 'dueDate' | 'offsetDays' | 'kind'>;

export interface ReminderStore {
  /** The subscription and its owner, or null when either was deleted. */
  findContext(subscriptionId: number): Promise<ReminderContext | null>;
  /** Many at once, by subscription id; a deleted subscription (or owner) is absent. */
  findContexts(subscriptionIds: readonly number[]): Promise<Map<number, ReminderContext>>;
  /** Which of these keys (`rem:...`) have their log row. */
  loggedKeys(keys: readonly string[]): Promise<Set<string>>;
  /**
   * Claims these reminders for the workflow `workflowId` (first claim wins, for good): returns the keys it holds,
   * claimed now or earlier; the others belong to another workflow. A deleted subscription's are not returned.
   */
  claim(reminders: readonly ReminderKeyParts[], workflowId: string): Promise<Set<string>>;
  /** Up to about `limit` reminders of subscriptions with id > afterId, in id order (see reminder-candidates.ts). */
  listCandidates(
    afterId: number,
    limit: number,
    nowMs: number,
    onBatch?: () => void,
  ): Promise<ReminderCandidatePage>;
  /** Records that these reminders' batch workflow (`batchId`) exists, so the check stops listing them. */
  markStarted(reminders: readonly (ReminderKeyParts & { batchId: string })[]): Promise<void>;
  /**
   * Writes log rows in one multi-row insert; a key already logged keeps its row, a deleted subscription gets none.
   */
  recordLogs(entries: readonly ReminderLogEntry[]): Promise<void>;
}

/** One page of advancing due payments (the advance service, src/services/advance-service.ts). */
export interface PaymentAdvancer {
  advancePage(options: {
    now: number;
    afterId: number;
    pageSize: number;
  }): Promise<{ advanced: number; charges: number; nextAfterId: number | null }>;
}

/** A report's recipient: who they are, where the email goes and how their dates and amounts read. */
export interface ReportUser {
  id: number;
  username: string;
  email: string;
  emailVerified: boolean;
  timezone: string;
  /** Local hour at which the report goes out, once the month has ended. */
  reminderHour: number;
  currency: string;
  monthlyReport: boolean;
}

/** One charge of a month: a ledger row, or a projected occurrence of an active subscription. */
export interface ReportCharge {
  name: string;
  category: string | null;
  /** 'YYYY-MM-DD' in the owner's zone. */
  dueDate: string;
  amountMinor: number;
  currency: string;
}

/** Totals of one month as the report states them (and the monthly_reports row keeps them), in minor units. */
export interface ReportTotals {
  /** The user's currency. */
  currency: string;
  byCurrency: Record<
    string,
    { totalMinor: number; byCategory: Record<string, number>; chargesCount: number }
  >;
}

/** The one monthly_reports row a (non-test) report ends with. */
export interface ReportEntry {
  userId: number;
  month: string;
  status: 'sent' | 'skipped' | 'failed';
  totals: ReportTotals;
  providerMessageId?: string;
  sentAtMs?: number;
}

/** A user who wants reports, with what places their report's instant. */
export type ReportRecipient = Pick<ReportUser, 'id' | 'timezone' | 'reminderHour'>;

export interface ReportStore {
  /** The user, or null when they were deleted. */
  findUser(id: number): Promise<ReportUser | null>;
  /** Verified users with monthly reports on and id > afterId, ascending by id. */
  listRecipients(afterId: number, limit: number): Promise<ReportRecipient[]>;
  /** Which of these users have their row for `month`, whatever its status. */
  recordedUsers(userIds: readonly number[], month: string): Promise<Set<number>>;
  /**
   * Claims these users' reports of `month` for the workflow `workflowId` (first claim wins, for good): returns the
   * users it holds, claimed now or earlier; the others belong to another workflow. A deleted user's are not returned.
   */
  claim(userIds: readonly number[], month: string, workflowId: string): Promise<Set<number>>;
  /** recordReport for many rows, in few multi-row writes; a deleted user's row is dropped. */
  recordReports(entries: readonly ReportEntry[]): Promise<void>;
  /** Status of the user's row for `month`, or null when there is none. */
  findReport(userId: number, month: string): Promise<ReportEntry['status'] | null>;
  /** Every charge of `month` (ledger for past months, projection for later ones, both for the current one). */
  chargesOf(userId: number, month: string, nowMs: number): Promise<ReportCharge[]>;
  /** Writes the row once; only a `failed` row is replaced. `deleted` when the user is gone. */
  recordReport(entry: ReportEntry): Promise<'created' | 'updated' | 'exists' | 'deleted'>;
}

/** The advance and stats services, as the report needs them. */
export interface ReportSpending {
  /** Writes the user's charges that came due by `nowMs` to the ledger; returns how many. */
  advanceUser(userId: number, nowMs: number): Promise<number>;
  /** The month's totals exactly as GET /stats/summary computes them. */
  summary(userId: number, month: string): Promise<Pick<ReportTotals, 'currency' | 'byCurrency'>>;
}

/** Deletes rows nothing reads any more, oldest first, at most `limit` per call; each returns how many it deleted. */
export interface HousekeepingStore {
  /** reminder_starts rows of payments due before this date ('YYYY-MM-DD'). */
  pruneReminderStarts(dueBefore: string, limit: number): Promise<number>;
  /** report_claims rows of months before this one ('YYYY-MM'). */
  pruneReportClaims(monthBefore: string, limit: number): Promise<number>;
  /** Sessions that expired before this instant (epoch ms). */
  pruneSessions(expiredBeforeMs: number, limit: number): Promise<number>;
}

/** A delivery key to plan on every enabled channel of its owner that receives `event`. */
export interface ChannelPlan {
  deliveryKey: string;
  userId: number;
  /** The kind of delivery: a channel receives it when its `events` list it. */
  event: 'reminder' | 'report';
  payload: ChannelEventPayload;
}

/** A planned channel delivery not yet ended, with its retry state. */
export interface PendingChannelDelivery {
  id: number;
  channelId: number;
  deliveryKey: string;
  payload: ChannelEventPayload;
  attempts: number;
  firstAttemptMs?: number;
  nextAttemptMs: number;
}

/** A channel delivery's state after an attempt (or after finding its channel disabled). */
export interface ChannelDeliveryUpdate {
  id: number;
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  attempts: number;
  firstAttemptMs?: number;
  nextAttemptMs: number;
  responseStatus?: number;
  responseBody?: string;
  error?: string;
  sentAtMs?: number;
}

/** A channel as delivery loads it: secrets opened in the activity, never carried through Temporal. */
export type StoredChannel = DeliverableChannel & { userId: number; enabled: boolean };

export interface ChannelStore {
  /**
   * Plans a delivery of each key to every enabled channel of its owner receiving the event, for `workflowId`
   * (one row per key and channel: a pair already planned keeps its row).
   */
  plan(plans: readonly ChannelPlan[], workflowId: string, nowMs: number): Promise<void>;
  /** The pending deliveries of these keys that `workflowId` planned. */
  pending(keys: readonly string[], workflowId: string): Promise<PendingChannelDelivery[]>;
  /** The channel with its secrets opened, or null when it was deleted. */
  findChannel(id: number): Promise<StoredChannel | null>;
  update(update: ChannelDeliveryUpdate): Promise<void>;
  /**
   * Counts a delivery that ended failed (or resets the count on success). At `disableAfter` failures in a row
   * the channel is disabled: then, once, returns the owner to tell.
   */
  recordOutcome(
    channelId: number,
    failed: boolean,
    disableAfter: number,
  ): Promise<{ disabledNow: false } | { disabledNow: true; owner: { email: string; username: string } }>;
}
