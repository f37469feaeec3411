/** Calendar months 'YYYY-MM'. */
import {
  addMonths,
  firstDayOfMonth,
  isValidMonth,
  lastDayOfMonth,
  monthBounds,
  monthOf,
  nextMonth,
  previousMonth,
} from '../../../src/time';

describe('months', () => {
  it.each(['2025-01', '2025-12', '0001-01', '9999-12'])('accepts %s', (month) => {
    expect(isValidMonth(month)).toBe(true);
  });

  it.each(['2025-13', '2025-00', '2025-1', '2025-01-01', '202501', ''])('rejects %j', (month) => {
    expect(isValidMonth(month)).toBe(false);
  });

  it('steps across year boundaries', () => {
    expect(previousMonth('2025-01')).toBe('2024-12');
    expect(nextMonth('2024-12')).toBe('2025-01');
    expect(addMonths('2025-03', -15)).toBe('2023-12');
    expect(addMonths('2025-03', 22)).toBe('2027-01');
  });

  it('knows the first and last day, including leap Februaries', () => {
    expect(firstDayOfMonth('2025-02')).toBe('2025-02-01');
    expect(lastDayOfMonth('2024-02')).toBe('2024-02-29');
    expect(lastDayOfMonth('2025-02')).toBe('2025-02-28');
    expect(lastDayOfMonth('1900-02')).toBe('1900-02-28');
    expect(monthBounds('2025-04')).toEqual({ first: '2025-04-01', last: '2025-04-30' });
  });

  it('gives the month of a date', () => {
    expect(monthOf('2025-02-28')).toBe('2025-02');
    expect(() => monthOf('2025-02-30')).toThrow(RangeError);
  });

  it('throws RangeError for an invalid month', () => {
    expect(() => nextMonth('2025-13')).toThrow(RangeError);
    expect(() => lastDayOfMonth('2025-1')).toThrow(RangeError);
  });
});
