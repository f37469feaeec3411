import type { MailMessage, Mailer } from '../src/mail/mailer';
import { renderWelcomeEmail } from '../src/mail/templates/welcome-email';
import type { WelcomeSkipReason } from '../src/temporal/contract';
import { sendMailActivity, type MailDelivery } from './mail-failure';
import type { ActivityLog, WelcomeStore } from './ports';

export interface WelcomeActivityDeps {
  store: WelcomeStore;
  mailer: Mailer;
  appBaseUrl: string;
  links: { verifyEmail(userId: number): string; unsubscribe?(userId: number): string };
  log?: ActivityLog;
}

/** Either the email to send or why there is none. */
export type WelcomePreparation =
  { kind: 'send'; message: MailMessage } | { kind: 'skip'; reason: WelcomeSkipReason };

/** Activities of the welcome workflow and of the reminder check's welcome step. */
export function createWelcomeActivities(deps: WelcomeActivityDeps) {
  return {
    /** Builds the welcome email from the current user row; a deleted or verified user gets none. */
    async prepareWelcome(userId: number): Promise<WelcomePreparation> {
      const user = await deps.store.findUser(userId);
      if (!user) return { kind: 'skip', reason: 'deleted' };
      if (user.emailVerified) return { kind: 'skip', reason: 'already_verified' };
      const email = renderWelcomeEmail({
        verifyUrl: deps.links.verifyEmail(userId),
        appBaseUrl: deps.appBaseUrl,
      });
      const unsubscribe = deps.links.unsubscribe?.(userId);
      const headers = unsubscribe
        ? { 'List-Unsubscribe': `<${unsubscribe}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }
        : undefined;
      const message: MailMessage = {
        to: user.email,
        ...email,
        idempotencyKey: `welcome:${userId}`,
        tags: ['welcome'],
      };
      return { kind: 'send', message: headers ? { ...message, headers } : message };
    },

    /** Sends it; failures become retryable or non-retryable ApplicationFailures (see mail-failure.ts). */
    async sendWelcome(message: MailMessage): Promise<MailDelivery> {
      const delivery = await sendMailActivity(deps.mailer, message);
      deps.log?.info({ key: message.idempotencyKey, attempts: delivery.attempts }, 'welcome email sent');
      return delivery;
    },

    /** One page of users whose welcome workflow was never started. */
    async listUnwelcomedUsers(afterId: number, limit: number): Promise<number[]> {
      return deps.store.listUnwelcomed(afterId, limit);
    },

    async markWelcomeStarted(userIds: number[]): Promise<void> {
      if (userIds.length) await deps.store.markWelcomeStarted(userIds);
    },
  };
}

export type WelcomeActivities = ReturnType<typeof createWelcomeActivities>;
