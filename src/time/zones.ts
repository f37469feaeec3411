/**
 * Instants and the owner's timezone. An instant is epoch milliseconds (a `number`, UTC): it survives JSON and
 * Temporal payloads unchanged, where a `Date` would arrive as a string. Nothing here reads the clock: callers
 * pass "now" (activities read the clock, workflows use their own).
 */
import { DateTime } from 'luxon';
import { formatDate, parseDate, type IsoDate } from './dates';
import { nextMonth, type IsoMonth } from './months';

/** Milliseconds since 1970-01-01T00:00:00Z. */
export type EpochMs = number;

/** True if `zone` is an IANA timezone the runtime knows ('UTC', 'Etc/UTC', 'Europe/Berlin'). */
export function isValidZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone === '') return false;
  if (knownZones.has(zone)) return true;
  try {
    // Node 20's Intl.supportedValuesOf('timeZone') omits 'UTC', so ask the formatter instead.
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    return false;
  }
  knownZones.add(zone);
  return true;
}

/** Zones already found valid: building a formatter costs more than the rest of a reminder computation. */
const knownZones = new Set<string>();

function assertZone(zone: string): void {
  if (!isValidZone(zone)) throw new RangeError(`Unknown timezone: ${JSON.stringify(zone)}`);
}

function assertInstant(instant: EpochMs): void {
  if (!Number.isFinite(instant)) throw new RangeError(`Not an instant (epoch ms): ${instant}`);
}

/** The calendar date in `zone` at `instant`: the owner's "today" when given now. */
export function localDate(instant: EpochMs, zone: string): IsoDate {
  assertInstant(instant);
  assertZone(zone);
  const local = DateTime.fromMillis(instant, { zone });
  return formatDate({ year: local.year, month: local.month, day: local.day });
}

/** The month 'YYYY-MM' in `zone` at `instant`. */
export function localMonth(instant: EpochMs, zone: string): IsoMonth {
  return localDate(instant, zone).slice(0, 7);
}

/**
 * The instant when the clock in `zone` reads `hour`:00 on `date`. A time skipped by a DST change moves forward
 * by the gap (Berlin 02:00 on spring-forward day is 03:00 CEST); a time that happens twice takes the earlier one.
 */
export function localTimeToInstant(date: IsoDate, hour: number, zone: string): EpochMs {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23) throw new RangeError(`Hour must be 0-23: ${hour}`);
  const key = `${zone}|${date}|${hour}`;
  const known = instants.get(key);
  if (known !== undefined) return known;
  assertZone(zone);
  // Luxon already shifts a nonexistent time forward; for an ambiguous one it picks the later offset.
  const local = DateTime.fromObject({ ...parseDate(date), hour }, { zone });
  const instant = Math.min(...local.getPossibleOffsets().map((candidate) => candidate.toMillis()));
  if (instants.size >= INSTANTS_KEPT) instants.clear();
  instants.set(key, instant);
  return instant;
}

/**
 * localTimeToInstant's answers by zone, date and hour. Luxon finds a zone's offsets through
 * Intl.DateTimeFormat#formatToParts, which was a fifth of the CPU of GET /reminders/upcoming (every reminder of
 * every occurrence asks); the answer depends on the arguments alone, so a bounded memo is exact. Cleared when full.
 */
const instants = new Map<string, EpochMs>();
const INSTANTS_KEPT = 100_000;

/** The instant `month` has ended in `zone`: `hour`:00 local on the first day of the next month (midnight by default). */
export function monthEndInstant(month: IsoMonth, zone: string, hour = 0): EpochMs {
  return localTimeToInstant(`${nextMonth(month)}-01`, hour, zone);
}
