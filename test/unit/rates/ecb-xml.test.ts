import fs from 'node:fs';
import path from 'node:path';
import { EcbFormatError, parseEcbRates } from '../../../src/rates/ecb-xml';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../../fixtures/ecb', name), 'utf8');

const envelope = (cubes: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>
<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
<gesmes:subject>Reference rates</gesmes:subject><Cube>${cubes}</Cube></gesmes:Envelope>`;

describe('parseEcbRates', () => {
  it('reads the daily document: one day, every currency, rates as the published decimal text', () => {
    const days = parseEcbRates(fixture('eurofxref-daily.xml'));
    expect(days).toHaveLength(1);
    expect(days[0]!.date).toBe('2026-12-03');
    expect(Object.keys(days[0]!.rates)).toHaveLength(29);
    // Trailing zeros kept: nothing went through a float.
    expect(days[0]!.rates).toMatchObject({ USD: '1.2100', GBP: '0.86000', IDR: '19384.64', JPY: '161.20' });
  });

  it('reads the 90-day history: every publication day, newest first, a currency absent where unpublished', () => {
    const days = parseEcbRates(fixture('eurofxref-hist-90d.xml'));
    expect(days).toHaveLength(64);
    expect(days[0]!.date).toBe('2026-12-02');
    expect(days.at(-1)!.date).toBe('2026-09-04');
    expect(days.find((d) => d.date === '2026-11-16')!.rates.USD).toBe('1.2000');
    expect(days.find((d) => d.date === '2026-11-13')!.rates.USD).toBe('1.1000');
    expect(days.find((d) => d.date === '2026-11-02')!.rates.ISK).toBe('145.00');
    expect(days.find((d) => d.date === '2026-11-03')!.rates).not.toHaveProperty('ISK');
    // No weekend days.
    expect(days.map((d) => d.date)).not.toContain('2026-11-21');
  });

  it.each([
    ['not XML', 'Service Unavailable'],
    ['an HTML error page', '<html><body><h1>503</h1></body></html>'],
    ['a truncated document', fixture('eurofxref-daily.xml').slice(0, 600)],
    ['no day', envelope('')],
    ['a day without rates', envelope(`<Cube time='2026-12-03'></Cube>`)],
    ['a bad date', envelope(`<Cube time='2026-02-30'><Cube currency='USD' rate='1.1'/></Cube>`)],
    ['a bad currency', envelope(`<Cube time='2026-12-03'><Cube currency='usd' rate='1.1'/></Cube>`)],
    ['a zero rate', envelope(`<Cube time='2026-12-03'><Cube currency='USD' rate='0.0000'/></Cube>`)],
    ['a negative rate', envelope(`<Cube time='2026-12-03'><Cube currency='USD' rate='-1.1'/></Cube>`)],
    ['an exponent', envelope(`<Cube time='2026-12-03'><Cube currency='USD' rate='1e3'/></Cube>`)],
    [
      'a currency twice',
      envelope(
        `<Cube time='2026-12-03'><Cube currency='USD' rate='1.1'/><Cube currency='USD' rate='1.2'/></Cube>`,
      ),
    ],
    ['the euro itself', envelope(`<Cube time='2026-12-03'><Cube currency='EUR' rate='1'/></Cube>`)],
  ])('refuses %s with an EcbFormatError', (_what, xml) => {
    expect(() => parseEcbRates(xml)).toThrow(EcbFormatError);
  });
});
