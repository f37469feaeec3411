/** The report activities' view of the database (users, ledger, subscriptions, monthly_reports). */
import { Op, QueryTypes } from 'sequelize';
import type { ReportCharge, ReportEntry, ReportSpending, ReportStore } from '../../activities/ports';
import type { Database } from '../db/database';
import { insertIgnoring } from '../db/insert-ignoring';
import { compareDates, localMonth, maxDate, monthBounds, type EpochMs } from '../time';
import type { AdvanceService } from './advance-service';
import type { StatsService } from './stats-service';
import { chargeDatesWithin } from './subscription-schedule';

const USER_ATTRIBUTES = [
  'id',
  'username',
  'email',
  'emailVerifiedAt',
  'timezone',
  'reminderHour',
  'currency',
  'monthlyReport',
] as const;

/** A report's row values besides its key, as the model takes them. */
function rowValues(entry: ReportEntry) {
  return {
    status: entry.status,
    totals: { ...entry.totals },
    providerMessageId: entry.providerMessageId ?? null,
    sentAt: entry.sentAtMs === undefined ? null : new Date(entry.sentAtMs),
  };
}

export function createReportStore(db: Database): ReportStore {
  const { User, Payment, Subscription, MonthlyReport } = db.models;
  const queryInterface = db.sequelize.getQueryInterface();

  return {
    async findUser(id) {
      const user = await User.findByPk(id, { attributes: [...USER_ATTRIBUTES] });
      if (!user) return null;
      const { username, email, timezone, reminderHour, currency, monthlyReport } = user;
      const emailVerified = !!user.emailVerifiedAt;
      return { id, username, email, emailVerified, timezone, reminderHour, currency, monthlyReport };
    },

    async listRecipients(afterId, limit) {
      const rows = await User.findAll({
        attributes: ['id', 'timezone', 'reminderHour'],
        where: { id: { [Op.gt]: afterId }, monthlyReport: true, emailVerifiedAt: { [Op.ne]: null } },
        order: [['id', 'ASC']],
        limit,
      });
      return rows.map(({ id, timezone, reminderHour }) => ({ id, timezone, reminderHour }));
    },

    async recordedUsers(userIds, month) {
      if (userIds.length === 0) return new Set();
      const rows = await MonthlyReport.findAll({
        attributes: ['userId'],
        where: { month, userId: { [Op.in]: [...new Set(userIds)] } },
      });
      return new Set(rows.map((r) => r.userId));
    },

    async claim(userIds, month, workflowId) {
      if (userIds.length === 0) return new Set();
      const now = new Date();
      const ids = [...new Set(userIds)];
      await insertIgnoring(
        queryInterface,
        'report_claims',
        ids.map((userId) => ({ user_id: userId, month, workflow_id: workflowId, created_at: now })),
      );
      const rows = await db.sequelize.query<{ id: number }>(
        `SELECT user_id AS id FROM report_claims
          WHERE month = :month AND user_id IN (:ids) AND workflow_id = :workflowId`,
        { type: QueryTypes.SELECT, replacements: { month, ids, workflowId } },
      );
      return new Set(rows.map((r) => Number(r.id)));
    },

    async recordReports(entries) {
      if (entries.length === 0) return;
      const now = new Date();
      await insertIgnoring(
        queryInterface,
        'monthly_reports',
        entries.map((entry) => {
          const values = rowValues(entry);
          return {
            user_id: entry.userId,
            month: entry.month,
            status: values.status,
            totals: JSON.stringify(values.totals),
            provider_message_id: values.providerMessageId,
            sent_at: values.sentAt,
            created_at: now,
            updated_at: now,
          };
        }),
      );
      // Only a failed report may be replaced (a later attempt delivered it), as in recordReport.
      const replacing = entries.filter((e) => e.status !== 'failed');
      for (const month of new Set(replacing.map((e) => e.month))) {
        const ofMonth = replacing.filter((e) => e.month === month);
        const failed = await MonthlyReport.findAll({
          where: { month, status: 'failed', userId: { [Op.in]: ofMonth.map((e) => e.userId) } },
        });
        for (const row of failed) {
          await row.update(rowValues(ofMonth.find((e) => e.userId === row.userId)!));
        }
      }
    },

    async findReport(userId, month) {
      const row = await MonthlyReport.findOne({ where: { userId, month }, attributes: ['status'] });
      return row?.status ?? null;
    },

    /** The same charges the stats service sums: ledger before the current month, projection after, both in it. */
    async chargesOf(userId, month, nowMs) {
      const user = await User.findByPk(userId, { attributes: ['timezone'] });
      if (!user) return [];
      const order = compareDates(`${month}-01`, `${localMonth(nowMs, user.timezone)}-01`);
      const { first, last } = monthBounds(month);
      const charges: (ReportCharge & { key: string })[] = [];
      if (order <= 0) {
        const rows = await Payment.findAll({ where: { userId, dueDate: { [Op.between]: [first, last] } } });
        for (const { subscriptionId, name, category = null, dueDate, amountMinor, currency } of rows) {
          charges.push({
            key: `${subscriptionId}:${dueDate}`,
            name,
            category,
            dueDate,
            amountMinor,
            currency,
          });
        }
      }
      if (order >= 0) {
        const booked = new Set(charges.map((c) => c.key));
        const active = await Subscription.findAll({ where: { userId, status: 'active' } });
        for (const sub of active) {
          for (const dueDate of chargeDatesWithin(sub, maxDate(first, sub.nextPaymentDate), last)) {
            const key = `${sub.id}:${dueDate}`;
            if (booked.has(key)) continue;
            const { name, category = null, priceMinor: amountMinor, currency } = sub;
            charges.push({ key, name, category, dueDate, amountMinor, currency });
          }
        }
      }
      return charges
        .map(({ key: _key, ...charge }) => charge)
        .sort((a, b) => compareDates(a.dueDate, b.dueDate) || a.name.localeCompare(b.name));
    },

    async recordReport(entry) {
      const values = rowValues(entry);
      try {
        await MonthlyReport.create({ userId: entry.userId, month: entry.month, ...values });
        return 'created';
      } catch (err) {
        const name = (err as Error).name;
        if (name === 'SequelizeForeignKeyConstraintError') return 'deleted';
        if (name !== 'SequelizeUniqueConstraintError') throw err;
      }
      // Only a failed report may be replaced (a later run delivered it); sent and skipped are final.
      const failed = await MonthlyReport.findOne({
        where: { userId: entry.userId, month: entry.month, status: 'failed' },
      });
      if (!failed) return 'exists';
      await failed.update(values);
      return 'updated';
    },
  };
}

/** The advance and stats services behind the report's ReportSpending port. */
export function createReportSpending(services: {
  advance: AdvanceService;
  stats: StatsService;
}): ReportSpending {
  return {
    async advanceUser(userId: number, nowMs: EpochMs) {
      const report = await services.advance.advanceDue({ userId, now: nowMs });
      return report.charges;
    },
    summary: (userId, month) => services.stats.summary(userId, month),
  };
}
