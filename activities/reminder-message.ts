import type { MailMessage } from '../src/mail/mailer';
import { renderReminderEmail } from '../src/mail/templates/reminder-email';
import { renderTrialEndEmail } from '../src/mail/templates/trial-end-email';
import type { ReminderKind } from '../src/temporal/contract';
import { daysBetween, localDate } from '../src/time';
import type { ReminderContext } from './ports';

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
  const trialEnd = reminder.kind === 'trial_end';
  const email = trialEnd
    ? renderTrialEndEmail({
        username: owner.username,
        subscriptionName: sub.name,
        priceMinor: sub.priceMinor,
        currency: sub.currency,
        billingCycle: sub.billingCycle,
        billingInterval: sub.billingInterval,
        trialEndsOn: reminder.dueDate,
        timezone: owner.timezone,
        manageUrl: links.subscription(sub.id),
        unsubscribeUrl: unsubscribe,
      })
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
    tags: [reminder.test ? 'reminder-test' : trialEnd ? 'trial-end' : 'reminder'],
  };
}
