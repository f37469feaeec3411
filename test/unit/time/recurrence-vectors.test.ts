/** The shared recurrence vectors (test/fixtures/recurrence.json), every case. */
import vectors from '../../fixtures/recurrence.json';
import { advance, isBillingCycle, occurrenceAt, reminderInstant, type Schedule } from '../../../src/time';

interface ScheduleCase {
  name: string;
  anchor: string;
  cycle: string;
  interval: number;
}

function scheduleOf({ anchor, cycle, interval }: ScheduleCase): Schedule {
  if (!isBillingCycle(cycle)) throw new Error(`fixture has an unknown cycle: ${cycle}`);
  return { anchor, cycle, interval };
}

describe('recurrence vectors: occurrences', () => {
  it.each(vectors.occurrences)('$name', (vector) => {
    const schedule = scheduleOf(vector);
    const occurrences = vector.expect.map((_, n) => occurrenceAt(schedule, n));
    expect(occurrences).toEqual(vector.expect);
  });
});

describe('recurrence vectors: advance', () => {
  it.each(vectors.advance)('$name', (vector) => {
    const result = advance(scheduleOf(vector), vector.anchor, vector.today);
    expect(result).toEqual({ next: vector.expect_next, due: vector.expect_ledger });
  });
});

describe('recurrence vectors: reminder instants', () => {
  it.each(vectors.reminder_instants)('$name', (vector) => {
    const instant = reminderInstant(
      vector.due_date,
      vector.offset_days,
      vector.reminder_hour,
      vector.timezone,
    );
    // Compared as ISO strings so a failure shows both instants readably.
    expect(new Date(instant).toISOString()).toBe(new Date(Date.parse(vector.expect_utc)).toISOString());
  });
});
