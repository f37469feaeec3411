import type { WelcomeStore, WelcomeUser } from '../../activities/ports';
import type { Mailer, MailMessage } from '../../src/mail/mailer';

/** An in-memory WelcomeStore with the semantics the Sequelize one must have. */
export function createMemoryWelcomeStore(users: WelcomeUser[] = []) {
  const rows = new Map(users.map((u) => [u.id, { ...u }]));
  const welcomed = new Set<number>();
  const store: WelcomeStore = {
    findUser: async (id) => (rows.has(id) ? { ...rows.get(id)! } : null),
    listUnwelcomed: async (afterId, limit) =>
      [...rows.keys()]
        .filter((id) => id > afterId && !welcomed.has(id))
        .sort((a, b) => a - b)
        .slice(0, limit),
    markWelcomeStarted: async (ids) => ids.forEach((id) => welcomed.add(id)),
  };
  return { store, rows, welcomed };
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
