import type { MailMessage } from '../src/mail/mailer';
import { renderReminderEmail } from '../src/mail/templates/reminder-email';
import { renderCancelByEmail, renderTrialEndEmail } from '../src/mail/templates/term-emails';
import type { ReminderKind } from '../src/temporal/contract';
import { daysBetween, localDate } from '../src/time';
import type { ReminderContext } from './ports';

/** The Mailgun tag of each reminder kind. */
const TAGS = { charge: 'reminder', trial_end: 'trial-end', cancel_by: 'cancel-by' } as const;

/** Where a reminder email links to. */
export interface ReminderLinks {
  subscription(subscriptionId: number): string;
  unsubscribe(userId: number): string;
}

/**
 * A reminder's email for its owner, as of `nowMs` ("due in 3 days"), with the unsubscribe headers and the
 * business key Mailgun carries as a custom variable.
 */
export function reminderMessage(
  links: ReminderLinks,
  { subscription: sub, owner }: ReminderContext,
  reminder: { dueDate: string; kind?: ReminderKind; test?: boolean },
  nowMs: number,
  idempotencyKey: string,
): MailMessage {
  const unsubscribe = links.unsubscribe(owner.id);
  const notice = {
    username: owner.username,
    subscriptionName: sub.name,
    priceMinor: sub.priceMinor,
    currency: sub.currency,
    billingCycle: sub.billingCycle,
    billingInterval: sub.billingInterval,
    timezone: owner.timezone,
    manageUrl: links.subscription(sub.id),
    unsubscribeUrl: unsubscribe,
  };
  const kind = reminder.kind ?? 'charge';
  const email =
    kind === 'trial_end'
      ? renderTrialEndEmail({ ...notice, trialEndsOn: reminder.dueDate })
      : kind === 'cancel_by'
        ? renderCancelByEmail({ ...notice, cancelBy: reminder.dueDate })
        : renderReminderEmail({
            username: owner.username,
            subscriptionName: sub.name,
            priceMinor: sub.priceMinor,
            currency: sub.currency,
            dueDate: reminder.dueDate,
            timezone: owner.timezone,
            daysLeft: Math.max(0, daysBetween(localDate(nowMs, owner.timezone), reminder.dueDate)),
            manageUrl: links.subscription(sub.id),
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
    tags: [reminder.test ? 'reminder-test' : TAGS[kind]],
  };
}
