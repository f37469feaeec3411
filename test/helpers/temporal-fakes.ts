import type { WelcomeStore, WelcomeUser } from '../../activities/ports';
import type { Mailer, MailMessage } from '../../src/mail/mailer';

/**
 * A database outage for in-memory stores, on a clock the test gives (the test server's, so skipped time counts):
 * from `fromMs` until `untilMs` every guarded call throws what Sequelize throws when MySQL refuses connections.
 * Timed, not counted, so a test states how long the database is down whatever the retry policy does.
 */
export function createDatabaseOutage() {
  let window: { clock: () => Promise<number>; fromMs: number; untilMs: number } | undefined;
  async function down(): Promise<boolean> {
    if (!window) return false;
    const now = await window.clock();
    return now >= window.fromMs && now < window.untilMs;
  }
  const outage = {
    /** Calls refused so far. */
    refused: 0,
    /** The database is down from `fromMs` until `untilMs` of `clock`'s time. */
    during(clock: () => Promise<number>, fromMs: number, untilMs: number): void {
      window = { clock, fromMs, untilMs };
    },
    /** The database is up again (between tests: a failed one must not leave it down for the next). */
    clear(): void {
      window = undefined;
      outage.refused = 0;
    },
    /** `target` with each method throwing while the database is down. */
    guard<T extends object>(target: T): T {
      const guarded = Object.entries(target).map(([name, method]: [string, (...a: unknown[]) => unknown]) => [
        name,
        async (...args: unknown[]) => {
          if (await down()) {
            outage.refused += 1;
            const err = new Error('connect ECONNREFUSED 127.0.0.1:3306');
            throw Object.assign(err, { name: 'SequelizeConnectionRefusedError' });
          }
          return method(...args);
        },
      ]);
      return Object.fromEntries(guarded) as T;
    },
  };
  return outage;
}

/** An in-memory WelcomeStore with the semantics the Sequelize one must have; `outage` can take it down. */
export function createMemoryWelcomeStore(users: WelcomeUser[] = []) {
  const rows = new Map(users.map((u) => [u.id, { ...u }]));
  const welcomed = new Set<number>();
  const outage = createDatabaseOutage();
  const store = outage.guard<WelcomeStore>({
    findUser: async (id) => (rows.has(id) ? { ...rows.get(id)! } : null),
    listUnwelcomed: async (afterId, limit) =>
      [...rows.keys()]
        .filter((id) => id > afterId && !welcomed.has(id))
        .sort((a, b) => a - b)
        .slice(0, limit),
    markWelcomeStarted: async (ids) => ids.forEach((id) => welcomed.add(id)),
  });
  return { store, rows, welcomed, outage };
}

/** A user row for the welcome tests; override what the test is about. */
export function welcomeUser(id: number, overrides: Partial<WelcomeUser> = {}): WelcomeUser {
  return { id, username: `user${id}`, email: `user${id}@example.com`, emailVerified: false, ...overrides };
}

/** A mailer that records messages and always succeeds. */
export function createRecordingMailer() {
  const sent: MailMessage[] = [];
  const mailer: Mailer = {
    send: async (message) => {
      sent.push(message);
      return { id: `fake-${sent.length}` };
    },
  };
  return { mailer, sent };
}

/** Links as the auth module will build them; tests only need them to be distinct per user. */
export const testLinks = {
  verifyEmail: (userId: number) => `http://app.test/verify-email?user=${userId}&token=t${userId}`,
};
