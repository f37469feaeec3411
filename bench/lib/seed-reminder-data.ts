/**
 * Data for the seed's reminder pipeline: `n` subscriptions due tomorrow (UTC, as the seed's
 * get_subscriptions_due_in sees it), 20 per user, written by SQL into the seed's own tables.
 */
import { withConnection } from './mysql-admin';
import { progress } from './progress';

export const SEED_REM_SUBS_PER_USER = 20;
const BATCH = 500;

/** Tomorrow's date in UTC, YYYY-MM-DD. */
export function tomorrowUtc(now = new Date()): string {
  return new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
}

export const seedRemEmail = (i: number) => `seedrem${i}@example.com`;

/** Inserts ceil(n / 20) users and n subscriptions due on `dueDate`; returns the number of users. */
export async function seedReminderData(dbUrl: string, n: number, dueDate: string): Promise<number> {
  const users = Math.ceil(n / SEED_REM_SUBS_PER_USER);
  const bar = progress('seeding the seed (reminders due)', users + n);
  let written = 0;
  await withConnection(dbUrl, async (c) => {
    for (let from = 0; from < users; from += BATCH) {
      const rows = [];
      for (let i = from; i < Math.min(users, from + BATCH); i++) {
        // Nobody logs in: an unusable password hash is enough.
        rows.push([`seedrem${i}`, seedRemEmail(i), '!']);
      }
      await c.query('INSERT INTO users (username, email, password) VALUES ?', [rows]);
      bar.tick((written += rows.length));
    }
    const [idRows] = await c.query('SELECT id FROM users ORDER BY id');
    const userIds = (idRows as { id: number }[]).map((r) => r.id);
    if (userIds.length !== users) throw new Error(`expected ${users} users, found ${userIds.length}`);
    for (let from = 0; from < n; from += BATCH) {
      const rows = [];
      for (let k = from; k < Math.min(n, from + BATCH); k++) {
        const userId = userIds[Math.floor(k / SEED_REM_SUBS_PER_USER)]!;
        const j = k % SEED_REM_SUBS_PER_USER;
        rows.push([userId, `Bench service ${j}`, '9.99', 'monthly', dueDate, 'bench']);
      }
      await c.query(
        'INSERT INTO subscriptions (user_id, name, price, billing_cycle, next_payment_date, category) VALUES ?',
        [rows],
      );
      bar.tick((written += rows.length));
    }
  });
  bar.done();
  return users;
}
