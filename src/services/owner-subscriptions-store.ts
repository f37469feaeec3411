/**
 * Raw, typed reads for the hot read endpoints (upcoming charges, monthly summary, the subscription list and
 * one subscription): the owner's settings and active subscriptions in one round trip, the page's reminder
 * states and the month's ledger rows, all without model instances. Sequelize's query and instance building was the largest share of the API's CPU under
 * bench/api.ts; writes, associations and migrations stay on the models. Rows are identical on SQLite and
 * MariaDB (src/db/raw-values.ts).
 */
import { QueryTypes } from 'sequelize';
import type { Database } from '../db/database';
import type { BillingCycle, SubscriptionStatus } from '../db/models';
import { rawBoolean, rawDate, rawDateOnly, rawJson, rawNumber } from '../db/raw-values';
import type { ReminderKind } from '../temporal/contract';
import type { Owner } from './subscription-schedule';

/** A subscription as stored, with the model's attribute names and types. */
export interface SubscriptionRow {
  id: number;
  userId: number;
  name: string;
  nameKey: string;
  priceMinor: number;
  currency: string;
  billingCycle: BillingCycle;
  billingInterval: number;
  anchorDate: string;
  nextPaymentDate: string;
  trialEndsOn: string | null;
  endsOn: string | null;
  cancelBy: string | null;
  category: string | null;
  status: SubscriptionStatus;
  reminderOffsets: number[] | null;
  notes: string | null;
  url: string | null;
  remindersChangedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The owner's date and reminder settings, as ownerOf gives them. */
export type OwnerRow = Owner;

export interface ReminderStateRow {
  subscriptionId: number;
  dueDate: string;
  offsetDays: number;
  kind: ReminderKind;
  status: 'sent' | 'skipped' | 'failed';
}

export interface LedgerChargeRow {
  subscriptionId: number | null;
  dueDate: string;
  category: string | null;
  amountMinor: number;
  currency: string;
}

// One row per active subscription (or one row of NULLs when there are none), each carrying the owner.
const OWNER_WITH_ACTIVE = `
SELECT u.id AS u_id, u.timezone AS u_timezone, u.reminder_hour AS u_reminder_hour,
       u.reminder_offsets AS u_reminder_offsets, u.reminders_enabled AS u_reminders_enabled,
       u.currency AS u_currency, u.reminders_changed_at AS u_reminders_changed_at,
       s.id, s.user_id, s.name, s.name_key, s.price_minor, s.currency, s.billing_cycle, s.billing_interval,
       s.anchor_date, s.next_payment_date, s.trial_ends_on, s.ends_on, s.cancel_by, s.category, s.status,
       s.reminder_offsets, s.notes, s.url,
       s.reminders_changed_at, s.created_at, s.updated_at
  FROM users u
  LEFT JOIN subscriptions s ON s.user_id = u.id AND s.status = 'active'
 WHERE u.id = :userId`;

const CREATION_CHECK = `
SELECT u.id AS u_id, u.timezone AS u_timezone, u.reminder_hour AS u_reminder_hour,
       u.reminder_offsets AS u_reminder_offsets, u.reminders_enabled AS u_reminders_enabled,
       u.currency AS u_currency, u.reminders_changed_at AS u_reminders_changed_at,
       (SELECT COUNT(*) FROM subscriptions s WHERE s.user_id = u.id) AS n,
       (SELECT COUNT(*) FROM subscriptions s WHERE s.user_id = u.id AND s.name_key = :nameKey) AS taken
  FROM users u
 WHERE u.id = :userId`;

const SUBSCRIPTION_COLUMNS = `id, user_id, name, name_key, price_minor, currency, billing_cycle, billing_interval,
  anchor_date, next_payment_date, trial_ends_on, ends_on, cancel_by, category, status, reminder_offsets, notes,
  url, reminders_changed_at, created_at, updated_at`;

/** Sortable attributes and their columns (the only text an ORDER BY takes from a request). */
const SORT_COLUMNS = {
  id: 'id',
  nameKey: 'name_key',
  priceMinor: 'price_minor',
  nextPaymentDate: 'next_payment_date',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
  category: 'category',
  billingCycle: 'billing_cycle',
  status: 'status',
} as const;

export type SortAttribute = keyof typeof SORT_COLUMNS;

export interface ListQuery {
  status?: SubscriptionStatus;
  category?: string;
  sort: SortAttribute;
  descending: boolean;
  offset: number;
  limit: number;
}

type Raw = Record<string, unknown>;

function ownerOfRow(r: Raw): OwnerRow {
  return {
    id: rawNumber(r.u_id),
    timezone: String(r.u_timezone),
    reminderHour: rawNumber(r.u_reminder_hour),
    reminderOffsets: rawJson<number[]>(r.u_reminder_offsets) ?? [],
    remindersEnabled: rawBoolean(r.u_reminders_enabled),
    currency: String(r.u_currency),
    remindersChangedAt: rawDate(r.u_reminders_changed_at),
  } as OwnerRow;
}

const optionalDate = (value: unknown) => (value === null || value === undefined ? null : rawDateOnly(value));

function subscriptionOfRow(r: Raw): SubscriptionRow {
  return {
    id: rawNumber(r.id),
    userId: rawNumber(r.user_id),
    name: String(r.name),
    nameKey: String(r.name_key),
    priceMinor: rawNumber(r.price_minor),
    currency: String(r.currency),
    billingCycle: r.billing_cycle as BillingCycle,
    billingInterval: rawNumber(r.billing_interval),
    anchorDate: rawDateOnly(r.anchor_date),
    nextPaymentDate: rawDateOnly(r.next_payment_date),
    trialEndsOn: optionalDate(r.trial_ends_on),
    endsOn: optionalDate(r.ends_on),
    cancelBy: optionalDate(r.cancel_by),
    category: (r.category as string | null) ?? null,
    status: r.status as SubscriptionStatus,
    reminderOffsets: rawJson<number[]>(r.reminder_offsets),
    notes: (r.notes as string | null) ?? null,
    url: (r.url as string | null) ?? null,
    remindersChangedAt: rawDate(r.reminders_changed_at),
    createdAt: rawDate(r.created_at)!,
    updatedAt: rawDate(r.updated_at)!,
  };
}

export function createOwnerSubscriptionsStore(db: Database) {
  const select = <T extends object>(sql: string, replacements: Record<string, unknown>) =>
    db.sequelize.query<T>(sql, { type: QueryTypes.SELECT, replacements });

  /** The owner and their active subscriptions (by id), or null when the user is gone. */
  async function ownerWithActive(
    userId: number,
  ): Promise<{ owner: OwnerRow; active: SubscriptionRow[] } | null> {
    const rows = await select<Raw>(OWNER_WITH_ACTIVE, { userId });
    if (rows.length === 0) return null;
    const active = rows
      .filter((r) => r.id !== null && r.id !== undefined)
      .map(subscriptionOfRow)
      .sort((a, b) => a.id - b.id);
    return { owner: ownerOfRow(rows[0]!), active };
  }

  /** Logged reminder states of these subscriptions on these due dates. */
  async function reminderStates(
    userId: number,
    subscriptionIds: number[],
    dueDates: string[],
  ): Promise<ReminderStateRow[]> {
    if (subscriptionIds.length === 0 || dueDates.length === 0) return [];
    const rows = await select<Raw>(
      `SELECT subscription_id, due_date, offset_days, kind, status FROM reminder_logs
        WHERE user_id = :userId AND subscription_id IN (:subscriptionIds) AND due_date IN (:dueDates)`,
      { userId, subscriptionIds, dueDates },
    );
    return rows.map((r) => ({
      subscriptionId: rawNumber(r.subscription_id),
      dueDate: rawDateOnly(r.due_date),
      offsetDays: rawNumber(r.offset_days),
      kind: r.kind as ReminderKind,
      status: r.status as ReminderStateRow['status'],
    }));
  }

  /** Ledger rows due from `first` to `last` (inclusive), in booking order. */
  async function ledgerBetween(userId: number, first: string, last: string): Promise<LedgerChargeRow[]> {
    const rows = await select<Raw>(
      `SELECT subscription_id, due_date, category, amount_minor, currency FROM payments
        WHERE user_id = :userId AND due_date BETWEEN :first AND :last ORDER BY id`,
      { userId, first, last },
    );
    return rows.map((r) => ({
      subscriptionId: r.subscription_id === null ? null : rawNumber(r.subscription_id),
      dueDate: rawDateOnly(r.due_date),
      category: (r.category as string | null) ?? null,
      amountMinor: rawNumber(r.amount_minor),
      currency: String(r.currency),
    }));
  }

  /** The owner's subscription `id`, or null (also when it belongs to someone else). */
  async function one(userId: number, id: number): Promise<SubscriptionRow | null> {
    const rows = await select<Raw>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE id = :id AND user_id = :userId`,
      { id, userId },
    );
    return rows.length ? subscriptionOfRow(rows[0]!) : null;
  }

  function listWhere(userId: number, query: Pick<ListQuery, 'status' | 'category'>) {
    let where = 'user_id = :userId';
    if (query.status !== undefined) where += ' AND status = :status';
    if (query.category !== undefined) where += ' AND category = :category';
    return { where, replacements: { userId, status: query.status, category: query.category } };
  }

  /** One page of the owner's subscriptions, sorted by `sort` then id (both in the same direction). */
  async function page(userId: number, query: ListQuery): Promise<SubscriptionRow[]> {
    const { where, replacements } = listWhere(userId, query);
    const direction = query.descending ? 'DESC' : 'ASC';
    const column = SORT_COLUMNS[query.sort];
    const order = column === 'id' ? `id ${direction}` : `${column} ${direction}, id ${direction}`;
    const rows = await select<Raw>(
      `SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE ${where} ORDER BY ${order}
        LIMIT :limit OFFSET :offset`,
      { ...replacements, limit: query.limit, offset: query.offset },
    );
    return rows.map(subscriptionOfRow);
  }

  /** How many subscriptions the list's filter matches. */
  async function count(userId: number, query: Pick<ListQuery, 'status' | 'category'>): Promise<number> {
    const { where, replacements } = listWhere(userId, query);
    const rows = await select<Raw>(`SELECT COUNT(*) AS n FROM subscriptions WHERE ${where}`, replacements);
    return rawNumber(rows[0]?.n ?? 0);
  }

  /** The user's data version (src/db/data-version.ts) and zone, or null when the user is gone. */
  async function dataVersion(userId: number): Promise<{ version: number; timezone: string } | null> {
    const rows = await select<Raw>('SELECT data_version, timezone FROM users WHERE id = :userId', { userId });
    const row = rows[0];
    return row ? { version: rawNumber(row.data_version), timezone: String(row.timezone) } : null;
  }

  /**
   * What a create checks, in one round trip: the owner's settings, how many subscriptions they hold and
   * whether one already has this name key. Null when the user is gone.
   */
  async function creationCheck(
    userId: number,
    nameKey: string,
  ): Promise<{ owner: OwnerRow; count: number; nameTaken: boolean } | null> {
    const rows = await select<Raw>(CREATION_CHECK, { userId, nameKey });
    const row = rows[0];
    if (!row) return null;
    return { owner: ownerOfRow(row), count: rawNumber(row.n), nameTaken: rawNumber(row.taken) > 0 };
  }

  return { ownerWithActive, reminderStates, ledgerBetween, one, page, count, dataVersion, creationCheck };
}

export type OwnerSubscriptionsStore = ReturnType<typeof createOwnerSubscriptionsStore>;
