import { QueryTypes } from 'sequelize';
import request from 'supertest';
import {
  createClockedTestApp,
  createOwner,
  createSubscription,
  type ClockedTestApp,
} from '../helpers/subscriptions';

/**
 * SQLite has no statistics on a fresh database, so its planner picks indexes by shape alone: an owner's read
 * must be able to use an index that starts with user_id, or it scans everyone's rows (0.5 s per read at 10,000
 * users, found by the report benchmark). MariaDB's planner uses statistics; its plans are not checked here.
 */
const onSqlite = !process.env.DATABASE_URL;
const OWNED_TABLES = ['subscriptions', 'payments', 'reminder_logs', 'monthly_reports'];

(onSqlite ? describe : describe.skip)('query plans of per-owner reads on SQLite', () => {
  let t: ClockedTestApp;
  const statements: string[] = [];
  beforeAll(async () => {
    t = await createClockedTestApp('2026-12-15T12:00:00Z');
    t.runtime.db.sequelize.options.logging = (sql: string) => {
      statements.push(sql.replace(/^Executing \([^)]*\): /, ''));
    };
  });
  afterAll(() => t.close());

  it('stats, upcoming and the list read an owner rows through an index on user_id, never a scan', async () => {
    const { auth } = await createOwner(t);
    await createSubscription(t.app, auth, { next_payment_date: '2026-12-20' });
    await createSubscription(t.app, auth, { name: 'Gym', next_payment_date: '2026-11-20' });
    statements.length = 0;
    for (const path of [
      '/stats/summary',
      '/stats/summary?month=2026-10',
      '/reminders/upcoming?days=30',
      '/subscriptions',
    ]) {
      expect((await request(t.app).get(path).set(auth)).status).toBe(200);
    }

    // Model queries (`table`.`user_id` = 1) and the raw hot reads (s.user_id = u.id, user_id = 1) alike.
    const ownerReads = statements.filter(
      (sql) =>
        /^\s*SELECT/i.test(sql) &&
        OWNED_TABLES.some((table) => new RegExp(`(FROM|JOIN) \`?${table}\`?`).test(sql)) &&
        /user_id`? = /.test(sql),
    );
    expect(ownerReads.length).toBeGreaterThanOrEqual(4);
    for (const sql of ownerReads) {
      const plan = await t.runtime.db.sequelize.query<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, {
        type: QueryTypes.SELECT,
      });
      const details = plan.map((row) => row.detail).join(' | ');
      expect({ sql, details }).toEqual({
        sql,
        details: expect.stringMatching(/USING (COVERING )?INDEX \w*user_id/),
      });
      expect({ sql, details }).toEqual({
        sql,
        details: expect.not.stringMatching(/\bSCAN \w+/),
      });
    }
  });
});
