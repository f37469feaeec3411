/** The prune step's port on Sequelize: ids first, then one delete by id (portable: no DELETE ... LIMIT). */
import { Op, QueryTypes } from 'sequelize';
import type { HousekeepingStore } from '../../activities/ports';
import type { Database } from '../db/database';

export function createHousekeepingStore(db: Database): HousekeepingStore {
  const { Session } = db.models;
  return {
    async pruneReminderStarts(dueBefore, limit) {
      const rows = await db.sequelize.query<{ id: number }>(
        'SELECT id FROM reminder_starts WHERE due_date < :dueBefore ORDER BY id LIMIT :limit',
        { type: QueryTypes.SELECT, replacements: { dueBefore, limit } },
      );
      if (rows.length === 0) return 0;
      await db.sequelize.query('DELETE FROM reminder_starts WHERE id IN (:ids)', {
        replacements: { ids: rows.map((r) => r.id) },
      });
      // The claims of those payments go with them (keyed by the same reminders, due on the same dates).
      const claims = await db.sequelize.query<{ k: string }>(
        'SELECT idempotency_key AS k FROM reminder_claims WHERE due_date < :dueBefore LIMIT :limit',
        { type: QueryTypes.SELECT, replacements: { dueBefore, limit } },
      );
      if (claims.length > 0) {
        await db.sequelize.query('DELETE FROM reminder_claims WHERE idempotency_key IN (:keys)', {
          replacements: { keys: claims.map((c) => c.k) },
        });
      }
      return rows.length;
    },

    async pruneReportClaims(monthBefore, limit) {
      const rows = await db.sequelize.query<{ userId: number; month: string }>(
        'SELECT user_id AS userId, month FROM report_claims WHERE month < :monthBefore ORDER BY month LIMIT :limit',
        { type: QueryTypes.SELECT, replacements: { monthBefore, limit } },
      );
      for (const month of new Set(rows.map((r) => r.month))) {
        const userIds = rows.filter((r) => r.month === month).map((r) => r.userId);
        await db.sequelize.query('DELETE FROM report_claims WHERE month = :month AND user_id IN (:userIds)', {
          replacements: { month, userIds },
        });
      }
      return rows.length;
    },

    async pruneSessions(expiredBeforeMs, limit) {
      const rows = await Session.findAll({
        attributes: ['sid'],
        where: { expiresAt: { [Op.lt]: new Date(expiredBeforeMs) } },
        order: [['expiresAt', 'ASC']],
        limit,
      });
      if (rows.length === 0) return 0;
      return Session.destroy({ where: { sid: rows.map((r) => r.sid) } });
    },
  };
}
