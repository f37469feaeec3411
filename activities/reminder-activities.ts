import { Context } from '@temporalio/activity';
import type { Mailer, MailMessage } from '../src/mail/mailer';
import type { ReminderInput } from '../src/temporal/contract';
import { sendMailActivity, type MailDelivery } from './mail-failure';
import type { MailPause, SendSlots } from './batch-send';
import { createReminderDelivery } from './reminder-delivery';
import { reminderMessage, type ReminderLinks } from './reminder-message';
import type {
  ActivityLog,
  PaymentAdvancer,
  ReminderCandidatePage,
  ReminderKeyParts,
  ReminderSkip,
  ReminderStore,
} from './ports';
import { createChannelDelivery, type ChannelDeliveryDeps } from './channel-delivery';

export interface ReminderActivityDeps {
  reminders: ReminderStore;
  advancer: PaymentAdvancer;
  mailer: Mailer;
  links: ReminderLinks;
  /** The worker's bounded pool of sends (MAIL_CONCURRENCY), shared by all its batches. */
  sendSlots: SendSlots;
  /** The worker's 429 pause, shared with the report batches. */
  mailPause?: MailPause;
  /** Notification channels beyond email; without them the batches send email only. */
  channels?: Omit<ChannelDeliveryDeps, 'mailer' | 'log'>;
  log?: ActivityLog;
}

/** A test send's email, or why there is none (the subscription or owner is gone, or the address unverified). */
export type TestReminderPreparation =
  { kind: 'skip'; reason: 'deleted' | 'unverified' } | { kind: 'send'; message: MailMessage };

/** A page of a paged check step: where it stopped and whether more may follow. */
export interface PageRequest {
  afterId: number;
  limit: number;
  nowMs: number;
}

/** Activities of the reminder check's advance and reminders steps, the reminder batch, and test sends. */
export function createReminderActivities(deps: ReminderActivityDeps) {
  const heartbeat = () => Context.current().heartbeat();
  const workflowRun = () => {
    const run = Context.current().info.workflowExecution;
    return { workflowId: run?.workflowId, workflowRunId: run?.runId };
  };

  return {
    ...createReminderDelivery({ ...deps, channels: deps.channels?.channels }),
    ...createChannelDelivery(
      deps.channels
        ? { ...deps.channels, mailer: deps.mailer, log: deps.log }
        : { ...NO_CHANNELS, mailer: deps.mailer },
    ),

    /** A developer test send (`nowMs` is workflow time): needs only the subscription, its owner and a verified address. */
    async prepareTestReminder(reminder: ReminderInput & { nowMs: number }): Promise<TestReminderPreparation> {
      const context = await deps.reminders.findContext(reminder.subscriptionId);
      if (!context) return { kind: 'skip', reason: 'deleted' };
      if (!context.owner.emailVerified) return { kind: 'skip', reason: 'unverified' };
      const key = `rem-test:${workflowRun().workflowId ?? reminder.nowMs}`;
      const message = reminderMessage(deps.links, context, { ...reminder, test: true }, reminder.nowMs, key);
      return { kind: 'send', message };
    },

    /** Sends it; failures become retryable or non-retryable ApplicationFailures (see mail-failure.ts). */
    async sendReminder(message: MailMessage): Promise<MailDelivery> {
      const delivery = await sendMailActivity(deps.mailer, message);
      deps.log?.info({ key: message.idempotencyKey, attempts: delivery.attempts }, 'reminder email sent');
      return delivery;
    },

    /** One page of reminders to start or skip (reminder-candidates.ts); heartbeats per batch read. */
    async listReminderCandidates(page: PageRequest): Promise<ReminderCandidatePage> {
      return deps.reminders.listCandidates(page.afterId, page.limit, page.nowMs, heartbeat);
    },

    /** Records which batch holds each started reminder, so later checks stop listing them and replans find it. */
    async markRemindersStarted(reminders: (ReminderKeyParts & { batchId: string })[]) {
      if (reminders.length) await deps.reminders.markStarted(reminders);
    },

    /** Logs reminders that will never be sent (superseded by catch-up, or from before the last change). */
    async recordReminderSkips(skips: ReminderSkip[]): Promise<void> {
      const run = workflowRun();
      await deps.reminders.recordLogs(
        skips.map((skip) => ({ ...skip, status: 'skipped', attempts: 0, late: false, ...run })),
      );
    },

    /** One page of the advance step: ledger rows and next payment dates for subscriptions that came due. */
    async advanceDuePayments(page: PageRequest) {
      const result = await deps.advancer.advancePage({
        now: page.nowMs,
        afterId: page.afterId,
        pageSize: page.limit,
      });
      return {
        cursor: result.nextAfterId ?? page.afterId,
        more: result.nextAfterId !== null,
        advanced: result.advanced,
        charges: result.charges,
      };
    },
  };
}

/** A worker without channels: nothing is ever planned, so nothing is pending. */
const NO_CHANNELS: Omit<ChannelDeliveryDeps, 'mailer'> = {
  channels: {
    plan: async () => undefined,
    pending: async () => [],
    findChannel: async () => null,
    update: async () => undefined,
    recordOutcome: async () => ({ disabledNow: false }),
  },
  sendChannel: async () => ({ kind: 'permanent', error: 'no channels configured' }),
  channelSlots: (send) => send(),
  disableAfter: 1,
};

export type ReminderActivities = ReturnType<typeof createReminderActivities>;
