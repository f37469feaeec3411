import type { Mailer, MailMessage } from '../src/mail/mailer';
import { monthEndInstant } from '../src/time';
import { sendMailActivity, type MailDelivery } from './mail-failure';
import type { ActivityLog, ChannelStore, ReportEntry, ReportSpending, ReportStore } from './ports';
import type { MailPause, SendSlots } from './batch-send';
import { createReportDelivery } from './report-delivery';
import { createReportSteps } from './report-steps';

/** A user the fan-out lists, and when their report of the month is due (the month's end there, at their hour). */
export interface ReportRecipientInstant {
  userId: number;
  instantMs: number;
}

export interface ReportActivityDeps {
  reports: ReportStore;
  spending: ReportSpending;
  mailer: Mailer;
  links: { reportsUnsubscribe(userId: number): string };
  /** The worker's bounded pool of sends (MAIL_CONCURRENCY), shared with the reminder batches. */
  sendSlots: SendSlots;
  /** The worker's 429 pause, shared with the reminder batches. */
  mailPause?: MailPause;
  /** The owners' notification channels: the batches plan report deliveries to those receiving `report`. */
  channels?: ChannelStore;
  log?: ActivityLog;
}

/** Activities of the monthly-report fan-out, the report batch and the per-user (test send) report workflow. */
export function createReportActivities(deps: ReportActivityDeps) {
  return {
    ...createReportSteps(deps),
    ...createReportDelivery(deps),

    /** One page of users who want reports (verified, reports on), each with their report's instant for `month`. */
    async listReportRecipients(
      afterId: number,
      limit: number,
      month: string,
    ): Promise<ReportRecipientInstant[]> {
      const recipients = await deps.reports.listRecipients(afterId, limit);
      return recipients.map(({ id, timezone, reminderHour }) => ({
        userId: id,
        instantMs: monthEndInstant(month, timezone, reminderHour),
      }));
    },

    /** Sends it; failures become retryable or non-retryable ApplicationFailures (see mail-failure.ts). */
    async sendReport(message: MailMessage): Promise<MailDelivery> {
      const delivery = await sendMailActivity(deps.mailer, message);
      deps.log?.info({ key: message.idempotencyKey, attempts: delivery.attempts }, 'report email sent');
      return delivery;
    },

    /** Writes the month's one monthly_reports row; a second write changes nothing (a failed row is replaced). */
    async recordReport(entry: ReportEntry): Promise<'created' | 'updated' | 'exists' | 'deleted'> {
      return deps.reports.recordReport(entry);
    },
  };
}

export type ReportActivities = ReturnType<typeof createReportActivities>;
