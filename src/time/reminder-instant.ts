/** When a payment reminder fires. */
import { addDays, type IsoDate } from './dates';
import { localTimeToInstant, type EpochMs } from './zones';

/** The instant of `reminderHour`:00 in `zone` on `dueDate` minus `offsetDays` (DST rules of localTimeToInstant). */
export function reminderInstant(
  dueDate: IsoDate,
  offsetDays: number,
  reminderHour: number,
  zone: string,
): EpochMs {
  if (!Number.isSafeInteger(offsetDays) || offsetDays < 0) {
    throw new RangeError(`Reminder offset must be a whole number of days >= 0: ${offsetDays}`);
  }
  return localTimeToInstant(addDays(dueDate, -offsetDays), reminderHour, zone);
}
