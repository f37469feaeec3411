import { Op } from 'sequelize';
import type { RevocationCache } from '../cache/revocation-cache';
import type { Database } from '../db/database';
import type { Session } from '../db/models';
import type { SessionRecord, SessionStore } from './session-store';

/** How long the cache may answer for a live session before the database is asked again. */
const LIVE_CACHE_SECONDS = 60;

function toRecord(s: Session): SessionRecord {
  return {
    sid: s.sid,
    userId: s.userId,
    refreshJti: s.refreshJti,
    previousJti: s.previousJti ?? null,
    rotatedAt: s.rotatedAt ?? null,
    createdAt: s.createdAt,
    lastUsedAt: s.lastUsedAt,
    expiresAt: s.expiresAt,
    revokedAt: s.revokedAt ?? null,
    userAgent: s.userAgent ?? null,
    ip: s.ip ?? null,
  };
}

/** Sessions in the database (the truth), revocations cached in Redis or memory. */
export function createSessionStore(db: Database, cache: RevocationCache): SessionStore {
  const { Session } = db.models;

  return {
    async create(input) {
      const row = await Session.create({
        sid: input.sid,
        userId: input.userId,
        refreshJti: input.refreshJti,
        expiresAt: input.expiresAt,
        ...(input.createdAt ? { createdAt: input.createdAt } : {}),
        userAgent: input.userAgent?.slice(0, 512) ?? null,
        ip: input.ip?.slice(0, 64) ?? null,
      });
      return toRecord(row);
    },

    async find(sid) {
      const row = await Session.findByPk(sid);
      return row ? toRecord(row) : null;
    },

    async isActive(sid, userId) {
      // The cache key carries the user id, so a forged sid of another user never hits a cached "live".
      const key = `${userId}:${sid}`;
      const cached = await cache.isRevoked(key);
      if (cached === true) return false;
      if (cached === false) return true;
      const row = await Session.findByPk(sid, { attributes: ['sid', 'userId', 'revokedAt', 'expiresAt'] });
      const active = !!row && row.userId === userId && !row.revokedAt && row.expiresAt.getTime() > Date.now();
      const ttl = active
        ? Math.min(LIVE_CACHE_SECONDS, (row.expiresAt.getTime() - Date.now()) / 1000)
        : 24 * 3600;
      await cache.remember(key, !active, ttl);
      return active;
    },

    async revoke(sid) {
      const row = await Session.findByPk(sid, { attributes: ['sid', 'userId'] });
      if (!row) return;
      await Session.update({ revokedAt: new Date() }, { where: { sid, revokedAt: { [Op.is]: null } } });
      await cache.remember(`${row.userId}:${sid}`, true, 24 * 3600);
    },

    async rotate(sid, fromJti, toJti, at, expiresAt) {
      const [count] = await Session.update(
        { refreshJti: toJti, previousJti: fromJti, rotatedAt: at, lastUsedAt: at, expiresAt },
        { where: { sid, refreshJti: fromJti, revokedAt: { [Op.is]: null } } },
      );
      return count === 1;
    },

    async touch(sid, at) {
      await Session.update({ lastUsedAt: at }, { where: { sid } });
    },

    async listActive(userId, now) {
      const rows = await Session.findAll({
        where: { userId, revokedAt: { [Op.is]: null }, expiresAt: { [Op.gt]: now } },
        order: [
          ['lastUsedAt', 'DESC'],
          ['sid', 'ASC'],
        ],
      });
      return rows.map(toRecord);
    },

    async revokeAllForUser(userId, exceptSid) {
      const where = {
        userId,
        revokedAt: { [Op.is]: null },
        ...(exceptSid ? { sid: { [Op.ne]: exceptSid } } : {}),
      };
      const rows = await Session.findAll({ where, attributes: ['sid'] });
      if (!rows.length) return;
      await Session.update({ revokedAt: new Date() }, { where });
      await Promise.all(rows.map((r) => cache.remember(`${userId}:${r.sid}`, true, 24 * 3600)));
    },
  };
}
