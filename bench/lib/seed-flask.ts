/**
 * The Flask seed's database: its own Alembic migrations (`flask db upgrade` from its venv), then the same
 * data set by SQL into its tables, with its own password hash format (passlib pbkdf2_sha256).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { benchSubscriptions, benchUser, minorToDecimal, PASSWORD, USERS } from './dataset';
import { withConnection } from './mysql-admin';
import { progress } from './progress';

const run = promisify(execFile);

/** mysql://u:p@h/db -> mysql+pymysql://u:p@h/db, the URL SQLAlchemy wants. */
export const sqlalchemyUrl = (dbUrl: string) => dbUrl.replace(/^mysql:/, 'mysql+pymysql:');

/** The seed's schema in the database of `dbUrl`: its own Alembic migrations, `flask db upgrade` from its venv. */
export async function upgradeSeedSchema(
  seedDir: string,
  dbUrl: string,
  env: NodeJS.ProcessEnv,
): Promise<void> {
  await run(path.join(seedDir, '.venv/bin/flask'), ['db', 'upgrade'], {
    cwd: seedDir,
    env: { ...env, DATABASE_URL: sqlalchemyUrl(dbUrl), FLASK_APP: 'api' },
    timeout: 120_000,
  });
}

export async function seedFlask(seedDir: string, dbUrl: string, env: NodeJS.ProcessEnv): Promise<void> {
  const python = path.join(seedDir, '.venv/bin/python');
  await upgradeSeedSchema(seedDir, dbUrl, env);
  const { stdout } = await run(
    python,
    [
      '-c',
      'import sys; from passlib.hash import pbkdf2_sha256; print(pbkdf2_sha256.hash(sys.argv[1]))',
      PASSWORD,
    ],
    { cwd: seedDir, timeout: 60_000 },
  );
  const passwordHash = stdout.trim();
  const now = Date.now();
  await withConnection(dbUrl, async (c) => {
    const bar = progress('seeding the seed (users x subscriptions)', USERS);
    for (let i = 0; i < USERS; i++) {
      const u = benchUser(i);
      const [result] = await c.query('INSERT INTO users (username, email, password) VALUES (?, ?, ?)', [
        u.username,
        u.email,
        passwordHash,
      ]);
      const userId = (result as { insertId: number }).insertId;
      const rows = benchSubscriptions(i, now).map((s) => [
        userId,
        s.name,
        minorToDecimal(s.priceMinor),
        s.billingCycle,
        s.nextPaymentDate,
        s.category,
      ]);
      await c.query(
        'INSERT INTO subscriptions (user_id, name, price, billing_cycle, next_payment_date, category) VALUES ?',
        [rows],
      );
      bar.tick(i + 1);
    }
    bar.done();
  });
}
