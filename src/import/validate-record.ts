/**
 * Validates one mapped row with the rules of POST /subscriptions (openapi.yaml's SubscriptionChanges), plus
 * the anchor: next_payment_date must be one of its charge dates. Pure, so the workflow's activity and the
 * unit tests share it.
 */
import crypto from 'node:crypto';
import { z } from 'zod';
import type { BillingCycle, SubscriptionStatus } from '../db/models';
import { normaliseKey } from '../db/normalise-key';
import { MAX_PRICE_MINOR, parseMoney } from '../services/money';
import { compareDates, isValidDate, nextOccurrenceOnOrAfter, type IsoDate } from '../time';
import type { FieldProblem, ImportRecord } from './import-record';

/** A row ready to create: domain names, money in minor units; currency null takes the account's. */
export interface ImportedSubscription {
  name: string;
  priceMinor: number;
  currency: string | null;
  billingCycle: BillingCycle;
  billingInterval: number;
  anchorDate: IsoDate;
  nextPaymentDate: IsoDate;
  category: string | null;
  status: SubscriptionStatus;
  reminderOffsets: number[] | null;
  notes: string | null;
  url: string | null;
}

const date = z
  .string({ required_error: 'is required', invalid_type_error: 'must be a date YYYY-MM-DD' })
  .refine((v) => isValidDate(v, { from1970: true }), 'must be a date YYYY-MM-DD from 1970');
const nullableText = (max: number) =>
  z
    .string({ invalid_type_error: 'must be text' })
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v === '' || v === undefined ? null : v));

const schema = z.object({
  name: z
    .string({ required_error: 'is required', invalid_type_error: 'must be text' })
    .trim()
    .min(1, 'must not be empty')
    .max(120, 'must be at most 120 characters'),
  price: z
    .union([z.string(), z.number()], {
      required_error: 'is required',
      invalid_type_error: 'must be an amount',
    })
    .transform((v, ctx) => {
      const minor = parseMoney(String(v));
      if (minor === undefined || minor < 1 || minor > MAX_PRICE_MINOR) {
        ctx.addIssue({ code: 'custom', message: 'must be an amount from 0.01 with at most two decimals' });
        return z.NEVER;
      }
      return minor;
    }),
  currency: z
    .string({ invalid_type_error: 'must be a 3-letter ISO 4217 code' })
    .regex(/^[A-Za-z]{3}$/, 'must be a 3-letter ISO 4217 code')
    .transform((v) => v.toUpperCase())
    .nullish()
    .transform((v) => v ?? null),
  billing_cycle: z.enum(['daily', 'weekly', 'monthly', 'yearly'], {
    errorMap: () => ({ message: 'must be daily, weekly, monthly or yearly' }),
  }),
  billing_interval: z
    .number({ invalid_type_error: 'must be a whole number from 1 to 100' })
    .int('must be a whole number from 1 to 100')
    .min(1, 'must be a whole number from 1 to 100')
    .max(100, 'must be a whole number from 1 to 100')
    .nullish()
    .transform((v) => v ?? 1),
  anchor_date: date.nullish(),
  next_payment_date: date,
  category: nullableText(80),
  status: z
    .enum(['active', 'paused', 'cancelled'], {
      errorMap: () => ({ message: 'must be active, paused or cancelled' }),
    })
    .nullish()
    .transform((v) => v ?? 'active'),
  reminder_offsets: z
    .array(z.number().int().min(0).max(90), { invalid_type_error: 'must be a list of days from 0 to 90' })
    .max(5, 'must list at most 5 offsets')
    .refine((list) => new Set(list).size === list.length, 'must not repeat an offset')
    .nullish()
    .transform((v) => v ?? null),
  notes: nullableText(5000),
  url: nullableText(2048).refine((v) => v === null || isHttpUrl(v), 'must be an http(s) URL'),
});

function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

export type Validated =
  { ok: true; subscription: ImportedSubscription } | { ok: false; problems: FieldProblem[] };

export function validateRecord(record: ImportRecord): Validated {
  const parsed = schema.safeParse(record);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => ({
      field: String(issue.path[0] ?? 'row'),
      message: issue.message,
    }));
    return { ok: false, problems };
  }
  const v = parsed.data;
  const subscription: ImportedSubscription = {
    name: v.name,
    priceMinor: v.price,
    currency: v.currency,
    billingCycle: v.billing_cycle,
    billingInterval: v.billing_interval,
    anchorDate: v.anchor_date ?? v.next_payment_date,
    nextPaymentDate: v.next_payment_date,
    category: v.category,
    status: v.status,
    reminderOffsets: v.reminder_offsets ? [...v.reminder_offsets].sort((a, b) => b - a) : null,
    notes: v.notes,
    url: v.url,
  };
  const anchorProblem = checkAnchor(subscription);
  return anchorProblem ? { ok: false, problems: [anchorProblem] } : { ok: true, subscription };
}

/** The anchor may not follow the next payment date, and the next payment date must be one of its charges. */
function checkAnchor(sub: ImportedSubscription): FieldProblem | undefined {
  if (compareDates(sub.anchorDate, sub.nextPaymentDate) > 0)
    return { field: 'anchor_date', message: 'must be on or before next_payment_date' };
  const schedule = { anchor: sub.anchorDate, cycle: sub.billingCycle, interval: sub.billingInterval };
  if (nextOccurrenceOnOrAfter(schedule, sub.nextPaymentDate) !== sub.nextPaymentDate)
    return {
      field: 'anchor_date',
      message: 'next_payment_date is not a charge date of a plan anchored here',
    };
  return undefined;
}

/**
 * The row's content key: SHA-256 over its validated fields (the name as compared for uniqueness). The same row
 * imported again, from any file or format, has the same key.
 */
export function contentKey(sub: ImportedSubscription): string {
  const fields = [
    normaliseKey(sub.name),
    sub.priceMinor,
    sub.currency,
    sub.billingCycle,
    sub.billingInterval,
    sub.anchorDate,
    sub.nextPaymentDate,
    sub.category,
    sub.status,
    sub.reminderOffsets,
    sub.notes,
    sub.url,
  ];
  return crypto.createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}
