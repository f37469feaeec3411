/** Our database: our migrations, then the data set through our models (bulk inserts, one password hash). */
import { hashPassword } from '../../src/auth/passwords';
import { createDatabase } from '../../src/db/database';
import { migrateUp } from '../../src/db/migrator';
import { benchSubscriptions, benchUser, PASSWORD, USERS } from './dataset';
import { progress } from './progress';

export async function seedOurs(dbUrl: string): Promise<void> {
  const db = createDatabase({ url: dbUrl, sqlitePath: '', poolMax: 4 });
  try {
    await migrateUp(db.sequelize);
    const passwordHash = await hashPassword(PASSWORD);
    const { User, Subscription } = db.models;
    const now = Date.now();
    const bar = progress('seeding ours (users x subscriptions)', USERS);
    const batch = 20;
    for (let first = 0; first < USERS; first += batch) {
      const indexes = Array.from({ length: Math.min(batch, USERS - first) }, (_, k) => first + k);
      const users = await User.bulkCreate(
        indexes.map((i) => ({
          ...benchUser(i),
          passwordHash,
          emailVerifiedAt: new Date(now),
          welcomeStartedAt: new Date(now),
        })),
      );
      await Subscription.bulkCreate(
        users.flatMap((user, k) =>
          benchSubscriptions(indexes[k]!, now).map((s) => ({
            userId: user.id,
            name: s.name,
            priceMinor: s.priceMinor,
            currency: 'USD',
            billingCycle: s.billingCycle,
            anchorDate: s.nextPaymentDate,
            nextPaymentDate: s.nextPaymentDate,
            category: s.category,
          })),
        ),
      );
      bar.tick(first + indexes.length);
    }
    bar.done();
  } finally {
    await db.close();
  }
}
