import type { TokenService } from '../auth/tokens';

/** Absolute links that emails carry: verification, unsubscribe, management pages. */
export function createLinks(appBaseUrl: string, tokens: TokenService) {
  return {
    verifyEmail(userId: number): string {
      const { token } = tokens.sign('verify_email', userId);
      return `${appBaseUrl}/verify-email?token=${encodeURIComponent(token)}`;
    },
    unsubscribe(userId: number, what: 'reminders' | 'reports' = 'reminders'): string {
      const { token } = tokens.sign('unsubscribe', userId, { data: { what } });
      return `${appBaseUrl}/unsubscribe?token=${encodeURIComponent(token)}`;
    },
    subscription(subscriptionId: number): string {
      return `${appBaseUrl}/subscriptions/${subscriptionId}`;
    },
  };
}

export type Links = ReturnType<typeof createLinks>;
