import fc from 'fast-check';
import { formatMoney, MAX_PRICE_MINOR, parseMoney } from '../../src/services/money';

describe('money as decimal strings and minor units', () => {
  it.each([
    ['29.99', 2999],
    ['29.9', 2990],
    ['29', 2900],
    ['0.01', 1],
    [' 7.50 ', 750],
    ['99999999.99', MAX_PRICE_MINOR],
  ])('reads %j as %d minor units', (text, minor) => {
    expect(parseMoney(text)).toBe(minor);
  });

  it.each(['', '1.234', '-1.00', '1e3', '.5', '1,50', 'abc', '123456789.00', '0x10'])(
    'rejects %j',
    (text) => {
      expect(parseMoney(text)).toBeUndefined();
    },
  );

  it('writes two decimals, with leading zeros and a sign', () => {
    expect(formatMoney(2999)).toBe('29.99');
    expect(formatMoney(5)).toBe('0.05');
    expect(formatMoney(0)).toBe('0.00');
    expect(formatMoney(-5)).toBe('-0.05');
    expect(formatMoney(MAX_PRICE_MINOR)).toBe('99999999.99');
  });

  it('round-trips every amount exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_PRICE_MINOR }), (minor) => {
        expect(parseMoney(formatMoney(minor))).toBe(minor);
      }),
    );
  });
});
