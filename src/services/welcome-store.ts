import { Op } from 'sequelize';
import type { WelcomeStore } from '../../activities/ports';
import type { Database } from '../db/database';

/** The welcome activities' view of the users table. */
export function createWelcomeStore(db: Database): WelcomeStore {
  const { User } = db.models;
  return {
    async findUser(id) {
      const user = await User.findByPk(id, { attributes: ['id', 'username', 'email', 'emailVerifiedAt'] });
      if (!user) return null;
      return {
        id: user.id,
        username: user.username,
        email: user.email,
        emailVerified: !!user.emailVerifiedAt,
      };
    },
    async listUnwelcomed(afterId, limit) {
      const rows = await User.findAll({
        attributes: ['id'],
        where: { id: { [Op.gt]: afterId }, welcomeStartedAt: { [Op.is]: null } },
        order: [['id', 'ASC']],
        limit,
      });
      return rows.map((r) => r.id);
    },
    async markWelcomeStarted(ids) {
      if (!ids.length) return;
      await User.update(
        { welcomeStartedAt: new Date() },
        { where: { id: { [Op.in]: ids }, welcomeStartedAt: { [Op.is]: null } } },
      );
    },
  };
}
