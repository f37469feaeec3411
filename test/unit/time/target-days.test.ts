import { easterSunday, isTargetBusinessDay, targetBusinessDays } from '../../../src/time';

describe('TARGET business days (ECB publication days)', () => {
  it.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
    [2285, '2285-03-22'],
  ])('Easter Sunday %i is %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it.each([
    ['2026-04-03', false, 'Good Friday'],
    ['2026-04-06', false, 'Easter Monday'],
    ['2026-04-02', true, 'Maundy Thursday'],
    ['2026-04-07', true, 'the Tuesday after Easter'],
    ['2026-05-01', false, 'Labour Day'],
    ['2026-12-24', true, 'Christmas Eve'],
    ['2026-12-25', false, 'Christmas Day'],
    ['2026-12-26', false, 'Boxing Day (a Saturday too)'],
    ['2027-01-01', false, "New Year's Day"],
    ['2026-11-21', false, 'a Saturday'],
    ['2026-11-22', false, 'a Sunday'],
    ['2026-11-23', true, 'a Monday'],
  ])('%s is a business day: %s (%s)', (date, expected) => {
    expect(isTargetBusinessDay(date)).toBe(expected);
  });

  it('lists the business days of a range, both ends included', () => {
    expect(targetBusinessDays('2026-12-23', '2027-01-04')).toEqual([
      '2026-12-23',
      '2026-12-24',
      '2026-12-28',
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
      '2027-01-04',
    ]);
    expect(targetBusinessDays('2026-12-05', '2026-12-06')).toEqual([]);
  });
});
