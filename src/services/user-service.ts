import type { SessionStore } from '../auth/session-store';
import { createUserStore, type UserRow } from './user-store';
import type { Database } from '../db/database';
import type { User } from '../db/models';
import { NotFoundError, ValidationError } from '../errors';
import { isValidZone } from '../time';

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

/** The settings a user may change on themselves (PATCH /users/me). */
export interface UserSettings {
  username?: string;
  timezone?: string;
  reminderHour?: number;
  reminderOffsets?: number[];
  currency?: string;
  monthlyReport?: boolean;
  remindersEnabled?: boolean;
}

/**
 * The effective role, evaluated at each request: the stored role (user:promote), or admin when the email is
 * listed in ADMIN_EMAILS *and verified*. Registering a listed address proves nothing until its owner opens
 * the link, so an unverified listed address is an ordinary user.
 */
function effectiveRole(
  user: Pick<UserRow, 'role' | 'emailKey' | 'emailVerifiedAt'>,
  adminEmails: readonly string[],
): UserView['role'] {
  if (user.role === 'admin') return 'admin';
  return user.emailVerifiedAt && adminEmails.includes(user.emailKey) ? 'admin' : 'user';
}

/** `adminEmails`: normalised addresses that hold the admin role once verified, whatever the stored role. */
export function toUserView(user: User | UserRow, adminEmails: readonly string[] = []): UserView {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    role: effectiveRole(user, adminEmails),
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

/** The settings that decide when a reminder fires, or whether it does. */
const REMINDER_SETTINGS = ['timezone', 'reminderHour', 'reminderOffsets', 'remindersEnabled'] as const;

/** ISO 4217 codes this runtime's ICU knows (the currencies in use today). */
const ISO_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/** Checks what the contract cannot: a known timezone, distinct offsets, an ISO 4217 home currency. */
function validateSettings(settings: UserSettings): void {
  const fields: Record<string, string[]> = {};
  if (settings.timezone !== undefined && !isValidZone(settings.timezone)) {
    fields.timezone = ['Not a known IANA timezone.'];
  }
  const offsets = settings.reminderOffsets;
  if (offsets && new Set(offsets).size !== offsets.length)
    fields.reminder_offsets = ['Offsets must be distinct.'];
  if (settings.currency !== undefined && !ISO_CURRENCIES.has(settings.currency))
    fields.currency = ['Not an ISO 4217 currency code.'];
  if (Object.keys(fields).length) throw new ValidationError({ json: fields });
}

/** Reading, changing and deleting users. Deletion cascades to every row the user owns. */
export function createUserService(deps: {
  db: Database;
  adminEmails: readonly string[];
  /** Optional so a reader-only service can be built; deletion needs it to end the user's sessions. */
  sessions?: SessionStore;
  /** Told after a change to the settings that decide reminders (wakes the sleeping ones to re-plan). */
  onReminderChange?: (scope: { userId: number }) => Promise<unknown>;
}) {
  const { User } = deps.db.models;
  const notFound = () => new NotFoundError('User not found.', 'user_not_found');

  const store = createUserStore(deps.db);

  async function getById(id: number): Promise<UserView> {
    const user = await store.byId(id);
    if (!user) throw notFound();
    return toUserView(user, deps.adminEmails);
  }

  /** The effective role: stored role, or admin when the verified email is listed in ADMIN_EMAILS. */
  async function roleOf(id: number): Promise<UserView['role'] | undefined> {
    const user = await User.findByPk(id, { attributes: ['id', 'role', 'emailKey', 'emailVerifiedAt'] });
    return user ? effectiveRole(user, deps.adminEmails) : undefined;
  }

  async function updateSettings(id: number, settings: UserSettings): Promise<UserView> {
    validateSettings(settings);
    const user = await User.findByPk(id);
    if (!user) throw notFound();
    const changes = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
    if (settings.reminderOffsets)
      changes.reminderOffsets = [...settings.reminderOffsets].sort((a, b) => b - a);
    user.set(changes);
    const replan = REMINDER_SETTINGS.some((field) => user.changed(field));
    // The update hook bumps the user's data version (zone, currency, offsets change upcoming and stats).
    if (user.changed()) await deps.db.sequelize.transaction((transaction) => user.save({ transaction }));
    if (replan) await deps.onReminderChange?.({ userId: id });
    return toUserView(user, deps.adminEmails);
  }

  /**
   * Deletes the user and, by the foreign keys' cascade, their sessions, subscriptions, payments, logs and
   * reports. Sessions are revoked first so the revocation cache cannot vouch for them afterwards.
   */
  async function deleteById(id: number): Promise<void> {
    if (!(await User.findByPk(id, { attributes: ['id'] }))) throw notFound();
    await deps.sessions?.revokeAllForUser(id);
    await User.destroy({ where: { id } });
  }

  return { getById, roleOf, updateSettings, deleteById };
}

export type UserService = ReturnType<typeof createUserService>;
