import type { UserView } from '../../services/user-service';

/** The fields of a user a client may see (never the hash, keys or internal timestamps). */
export function presentUser(user: UserView) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    created_at: user.createdAt.toISOString(),
    role: user.role,
    email_verified: user.emailVerifiedAt !== null,
    timezone: user.timezone,
    reminder_hour: user.reminderHour,
    reminder_offsets: user.reminderOffsets,
    currency: user.currency,
    monthly_report: user.monthlyReport,
    reminders_enabled: user.remindersEnabled,
  };
}
