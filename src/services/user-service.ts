import type { Database } from '../db/database';
import type { User } from '../db/models';
import { NotFoundError } from '../errors';

/** A user as the rest of the app sees it (no password hash, no keys). */
export interface UserView {
  id: number;
  username: string;
  email: string;
  role: 'user' | 'admin';
  emailVerifiedAt: Date | null;
  timezone: string;
  reminderHour: number;
  reminderOffsets: number[];
  currency: string;
  monthlyReport: boolean;
  remindersEnabled: boolean;
  createdAt: Date;
}

export function toUserView(user: User): UserView {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    role: user.role,
    emailVerifiedAt: user.emailVerifiedAt ?? null,
    timezone: user.timezone,
    reminderHour: user.reminderHour,
    reminderOffsets: user.reminderOffsets,
    currency: user.currency,
    monthlyReport: user.monthlyReport,
    remindersEnabled: user.remindersEnabled,
    createdAt: user.createdAt,
  };
}

/** Reading users; the accounts feature adds registration, settings and deletion here. */
export function createUserService(deps: { db: Database; adminEmails: readonly string[] }) {
  const { User } = deps.db.models;

  async function getById(id: number): Promise<UserView> {
    const user = await User.findByPk(id);
    if (!user) throw new NotFoundError('User not found.', 'user_not_found');
    return toUserView(user);
  }

  /** The effective role: stored role, or admin when the email is listed in ADMIN_EMAILS. */
  async function roleOf(id: number): Promise<UserView['role'] | undefined> {
    const user = await User.findByPk(id, { attributes: ['id', 'role', 'emailKey'] });
    if (!user) return undefined;
    return user.role === 'admin' || deps.adminEmails.includes(user.emailKey) ? 'admin' : 'user';
  }

  return { getById, roleOf };
}

export type UserService = ReturnType<typeof createUserService>;
