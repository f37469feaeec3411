import { Context } from '@temporalio/activity';
import type { Mailer, MailMessage } from '../src/mail/mailer';
import { renderReminderEmail } from '../src/mail/templates/reminder-email';
import { decideReminder } from '../src/services/reminder-plan';
import type { ReminderInput, ReminderSkipReason } from '../src/temporal/contract';
import { daysBetween, localDate } from '../src/time';
import { sendMailActivity, type MailDelivery } from './mail-failure';
import type {
  ActivityLog,
  PaymentAdvancer,
  ReminderCandidate,
  ReminderCandidatePage,
  ReminderLogEntry,
  ReminderOwner,
  ReminderSkip,
  ReminderStore,
  ReminderSubscription,
} from './ports';

export interface ReminderActivityDeps {
  reminders: ReminderStore;
  advancer: PaymentAdvancer;
  mailer: Mailer;
  links: { subscription(subscriptionId: number): string; unsubscribe(userId: number): string };
  log?: ActivityLog;
}

/** Either the email to send (and when) or why there is none; `record` says whether a skipped log is due. */
export type ReminderPreparation =
  | { kind: 'skip'; reason: ReminderSkipReason; record: boolean; userId?: number }
  | { kind: 'send'; instantMs: number; deadlineMs: number; userId: number; message: MailMessage };

/** A page of a paged check step: where it stopped and whether more may follow. */
export interface PageRequest {
  afterId: number;
  limit: number;
  nowMs: number;
}

/** Activities of the reminder workflow and of the reminder check's advance and reminders steps. */
export function createReminderActivities(deps: ReminderActivityDeps) {
  const heartbeat = () => Context.current().heartbeat();

  function render(
    sub: ReminderSubscription,
    owner: ReminderOwner,
    reminder: ReminderInput,
    nowMs: number,
    idempotencyKey: string,
  ): MailMessage {
    const unsubscribe = deps.links.unsubscribe(owner.id);
    const email = renderReminderEmail({
      username: owner.username,
      subscriptionName: sub.name,
      priceMinor: sub.priceMinor,
      currency: sub.currency,
      dueDate: reminder.dueDate,
      timezone: owner.timezone,
      daysLeft: Math.max(0, daysBetween(localDate(nowMs, owner.timezone), reminder.dueDate)),
      manageUrl: deps.links.subscription(sub.id),
      unsubscribeUrl: unsubscribe,
      test: reminder.test,
    });
    return {
      to: owner.email,
      ...email,
      headers: {
        'List-Unsubscribe': `<${unsubscribe}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
      idempotencyKey,
      tags: [reminder.test ? 'reminder-test' : 'reminder'],
    };
  }

  return {
    /**
     * Re-validates a reminder at its instant (`nowMs` is workflow time) and renders its email. A test send
     * only needs the subscription, its owner and a verified address.
     */
    async prepareReminder(reminder: ReminderInput & { nowMs: number }): Promise<ReminderPreparation> {
      const { subscriptionId, dueDate, offsetDays, nowMs } = reminder;
      const context = await deps.reminders.findContext(subscriptionId);
      if (reminder.test) {
        if (!context) return { kind: 'skip', reason: 'deleted', record: false };
        if (!context.owner.emailVerified) return { kind: 'skip', reason: 'unverified', record: false };
        const key = `rem-test:${Context.current().info.workflowExecution?.workflowId ?? nowMs}`;
        const message = render(context.subscription, context.owner, reminder, nowMs, key);
        return {
          kind: 'send',
          instantMs: nowMs,
          deadlineMs: nowMs + 3_600_000,
          userId: context.owner.id,
          message,
        };
      }
      const logged = context ? await deps.reminders.isLogged(subscriptionId, dueDate, offsetDays) : false;
      const decision = decideReminder(context, reminder, nowMs, logged);
      if (decision.kind === 'skip') return { ...decision, userId: context?.owner.id };
      const key = `rem:${subscriptionId}:${dueDate}:${offsetDays}`;
      const message = render(context!.subscription, context!.owner, reminder, nowMs, key);
      return { ...decision, userId: context!.owner.id, message };
    },

    /** Sends it; failures become retryable or non-retryable ApplicationFailures (see mail-failure.ts). */
    async sendReminder(message: MailMessage): Promise<MailDelivery> {
      const delivery = await sendMailActivity(deps.mailer, message);
      deps.log?.info({ key: message.idempotencyKey, attempts: delivery.attempts }, 'reminder email sent');
      return delivery;
    },

    /** Writes the reminder's one log row; a second write of the same key changes nothing. */
    async recordReminderLog(entry: ReminderLogEntry): Promise<'created' | 'exists' | 'deleted'> {
      return deps.reminders.recordLog(entry);
    },

    /** One page of reminders to start or skip (reminder-candidates.ts); heartbeats per batch read. */
    async listReminderCandidates(page: PageRequest): Promise<ReminderCandidatePage> {
      return deps.reminders.listCandidates(page.afterId, page.limit, page.nowMs, heartbeat);
    },

    async markRemindersStarted(
      reminders: Pick<ReminderCandidate, 'subscriptionId' | 'dueDate' | 'offsetDays'>[],
    ) {
      if (reminders.length) await deps.reminders.markStarted(reminders);
    },

    /** Logs reminders that will never be sent (superseded by catch-up, or from before the last change). */
    async recordReminderSkips(skips: ReminderSkip[]): Promise<void> {
      for (const skip of skips) {
        await deps.reminders.recordLog({ ...skip, status: 'skipped', attempts: 0, late: false });
        heartbeat();
      }
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

export type ReminderActivities = ReturnType<typeof createReminderActivities>;
