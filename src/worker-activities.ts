import pLimit from 'p-limit';
import { createActivities } from '../activities';
import { createTokenService } from './auth/tokens';
import type { Runtime } from './runtime';
import { createChannelSender } from './channels/channel-sender';
import { createSecretBox } from './channels/secret-box';
import { createAdvanceService } from './services/advance-service';
import { createChannelStore } from './services/channel-store';
import { createExchangeRateStore } from './services/exchange-rate-store';
import { createHousekeepingStore } from './services/housekeeping-store';
import { createImportStore } from './services/import-store';
import { createLinks } from './services/links';
import { createReminderStore } from './services/reminder-store';
import { createReportSpending, createReportStore } from './services/report-store';
import { createSubscriptionServices } from './services/subscription-services';
import { createWelcomeStore } from './services/welcome-store';

/** The worker's activities, wired to the runtime's real database and mailer. */
export function createWorkerActivities(runtime: Pick<Runtime, 'config' | 'db' | 'mailer' | 'logger'>) {
  const links = createLinks(runtime.config.appBaseUrl, createTokenService(runtime.config.jwt));
  const advance = createAdvanceService({ db: runtime.db, now: () => Date.now() });
  return createActivities({
    store: createWelcomeStore(runtime.db),
    reminders: createReminderStore(runtime.db),
    housekeeping: createHousekeepingStore(runtime.db),
    advancer: { advancePage: (options) => advance.advancePage(options) },
    reports: createReportStore(runtime.db),
    imports: createImportStore({
      db: runtime.db,
      now: () => Date.now(),
      advance,
      maxPerUser: runtime.config.maxSubscriptionsPerUser,
    }),
    spending: createReportSpending(
      createSubscriptionServices({
        db: runtime.db,
        now: () => Date.now(),
        maxPerUser: runtime.config.maxSubscriptionsPerUser,
      }),
    ),
    mailer: runtime.mailer,
    sendSlots: pLimit(runtime.config.mail.concurrency),
    channels: {
      channels: createChannelStore(runtime.db, createSecretBox(runtime.config.temporal.payloadKeys)),
      sendChannel: createChannelSender(runtime.config.channels, {
        timeoutMs: runtime.config.channels.timeoutMs,
      }),
      channelSlots: pLimit(runtime.config.channels.concurrency),
      disableAfter: runtime.config.channels.disableAfter,
    },
    exchangeRates: {
      store: createExchangeRateStore(runtime.db),
      urls: runtime.config.exchangeRates.urls,
    },
    appBaseUrl: runtime.config.appBaseUrl,
    links: {
      verifyEmail: (id) => links.verifyEmail(id),
      unsubscribe: (id) => links.unsubscribe(id),
      subscription: (id) => links.subscription(id),
      reportsUnsubscribe: (id) => links.unsubscribe(id, 'reports'),
    },
    log: runtime.logger.child({ component: 'activities' }),
  });
}
