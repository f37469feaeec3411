/** The account read raw (no model instance): GET /users/me is a hot path (bench/api.ts). */
import { QueryTypes } from 'sequelize';
import type { Database } from '../db/database';
import type { UserRole } from '../db/models';
import { rawBoolean, rawDate, rawJson, rawNumber } from '../db/raw-values';

/** The columns toUserView needs, with the model's attribute names and types. */
export interface UserRow {
  id: number;
  username: string;
  email: string;
  emailKey: string;
  role: UserRole;
  emailVerifiedAt: Date | null;
  timezone: string;
  reminderHour: number;
  reminderOffsets: number[];
  currency: string;
  monthlyReport: boolean;
  remindersEnabled: boolean;
  createdAt: Date;
}

const USER_COLUMNS = `id, username, email, email_key, role, email_verified_at, timezone, reminder_hour,
  reminder_offsets, currency, monthly_report, reminders_enabled, created_at`;

export function createUserStore(db: Database) {
  /** The user, or null when gone. */
  async function byId(id: number): Promise<UserRow | null> {
    const rows = await db.sequelize.query<Record<string, unknown>>(
      `SELECT ${USER_COLUMNS} FROM users WHERE id = :id`,
      { type: QueryTypes.SELECT, replacements: { id } },
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: rawNumber(r.id),
      username: String(r.username),
      email: String(r.email),
      emailKey: String(r.email_key),
      role: r.role as UserRole,
      emailVerifiedAt: rawDate(r.email_verified_at),
      timezone: String(r.timezone),
      reminderHour: rawNumber(r.reminder_hour),
      reminderOffsets: rawJson<number[]>(r.reminder_offsets) ?? [],
      currency: String(r.currency),
      monthlyReport: rawBoolean(r.monthly_report),
      remindersEnabled: rawBoolean(r.reminders_enabled),
      createdAt: rawDate(r.created_at)!,
    };
  }
  return { byId };
}
