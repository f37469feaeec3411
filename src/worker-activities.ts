import { createActivities } from '../activities';
import { createTokenService } from './auth/tokens';
import type { Runtime } from './runtime';
import { createLinks } from './services/links';
import { createWelcomeStore } from './services/welcome-store';

/** The worker's activities, wired to the runtime's real database and mailer. */
export function createWorkerActivities(runtime: Pick<Runtime, 'config' | 'db' | 'mailer' | 'logger'>) {
  const links = createLinks(runtime.config.appBaseUrl, createTokenService(runtime.config.jwt));
  return createActivities({
    store: createWelcomeStore(runtime.db),
    mailer: runtime.mailer,
    appBaseUrl: runtime.config.appBaseUrl,
    links: { verifyEmail: (id) => links.verifyEmail(id), unsubscribe: (id) => links.unsubscribe(id) },
    log: runtime.logger.child({ component: 'activities' }),
  });
}
