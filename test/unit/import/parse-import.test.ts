import fs from 'node:fs';
import path from 'node:path';
import { parseImport } from '../../../src/import/parse-import';
import { validateRecord } from '../../../src/import/validate-record';
import type { ParsedImport } from '../../../src/import/import-record';

const fixture = (name: string) =>
  fs.readFileSync(path.join(__dirname, '../../fixtures/imports', name), 'utf8');
const json = (name: string) => parseImport({ kind: 'json', document: JSON.parse(fixture(name)) as unknown });

/** Every row's problems, mapping's and validation's, as the report lists them. */
function problemsOf(parsed: ParsedImport) {
  return parsed.rows.flatMap((r) => {
    const found =
      r.problems ?? (validateRecord(r.record) as { problems?: { field: string }[] }).problems ?? [];
    return found.map((p) => ({ row: r.row, field: p.field }));
  });
}

describe('parseImport: our JSON export', () => {
  const parsed = json('subtracker.json');

  it('is recognised by its format and keeps every field but created_at', () => {
    expect(parsed.format).toBe('subtracker-json');
    expect(parsed.rows[0]).toEqual({
      row: 1,
      record: {
        name: 'Netflix',
        price: '15.49',
        currency: 'USD',
        billing_cycle: 'monthly',
        billing_interval: 1,
        anchor_date: '2026-01-31',
        next_payment_date: '2027-01-31',
        category: 'Streaming',
        status: 'active',
        reminder_offsets: [7, 1],
        notes: 'family plan',
        url: 'https://netflix.com',
      },
    });
  });

  it('reports a non-object and every bad field with its row number', () => {
    expect(problemsOf(parsed)).toEqual([
      { row: 3, field: 'row' },
      { row: 4, field: 'name' },
      { row: 4, field: 'price' },
      { row: 4, field: 'currency' },
      { row: 4, field: 'billing_cycle' },
      { row: 4, field: 'billing_interval' },
      { row: 4, field: 'next_payment_date' },
      { row: 4, field: 'status' },
      { row: 4, field: 'reminder_offsets' },
      { row: 4, field: 'url' },
      // 2027-02-11 is no charge date of a monthly plan anchored on 2027-01-10.
      { row: 5, field: 'anchor_date' },
    ]);
  });

  it('keeps the anchor: a plan anchored on the 31st stays on month ends', () => {
    const first = validateRecord(parsed.rows[0]!.record);
    expect(first).toMatchObject({
      ok: true,
      subscription: { anchorDate: '2026-01-31', nextPaymentDate: '2027-01-31' },
    });
  });
});

describe('parseImport: our CSV export', () => {
  const parsed = parseImport({ kind: 'csv', text: fixture('subtracker.csv') });

  it('reads quoted cells, empty cells as null and reminder_offsets as JSON', () => {
    expect(parsed.format).toBe('subtracker-csv');
    expect(parsed.rows[0]!.record).toMatchObject({
      notes: 'family plan, shared',
      reminder_offsets: [7, 1],
      billing_interval: 1,
    });
    expect(parsed.rows[1]!.record).toMatchObject({
      category: null,
      reminder_offsets: [],
      notes: null,
      url: null,
    });
    expect(validateRecord(parsed.rows[1]!.record)).toMatchObject({
      ok: true,
      subscription: { status: 'paused', billingInterval: 2, reminderOffsets: [] },
    });
  });

  it('reports a short row, unreadable offsets and a wordy interval with their row numbers (header not counted)', () => {
    expect(problemsOf(parsed)).toEqual([
      { row: 3, field: 'row' },
      { row: 4, field: 'reminder_offsets' },
      { row: 5, field: 'billing_interval' },
    ]);
  });

  it('refuses a CSV without the export header, and one that cannot be read, naming the line', () => {
    expect(() => parseImport({ kind: 'csv', text: 'a,b\n1,2\n' })).toThrow(
      expect.objectContaining({ code: 'import_format_unknown' }),
    );
    expect(() =>
      parseImport({
        kind: 'csv',
        text: 'name,price,billing_cycle,next_payment_date\n"open,1,monthly,2027-01-01\n',
      }),
    ).toThrow(expect.objectContaining({ code: 'import_malformed', message: expect.stringMatching(/line/) }));
  });
});

describe("parseImport: the seed's JSON", () => {
  const parsed = json('seed.json');

  it('reads the fields a user set and ignores the old ids and timestamps', () => {
    expect(parsed.format).toBe('seed-json');
    expect(parsed.rows[0]!.record).toEqual({
      name: 'Spotify',
      price: '9.99',
      billing_cycle: 'monthly',
      next_payment_date: '2027-01-05',
      category: 'Music',
    });
    expect(validateRecord(parsed.rows[1]!.record)).toMatchObject({
      ok: true,
      subscription: { priceMinor: 12000, billingCycle: 'yearly', currency: null, status: 'active' },
    });
  });

  it('reports a broken row and a non-object with their row numbers', () => {
    expect(problemsOf(parsed)).toEqual([
      { row: 3, field: 'price' },
      { row: 3, field: 'billing_cycle' },
      { row: 3, field: 'next_payment_date' },
      { row: 4, field: 'row' },
    ]);
  });
});

describe("parseImport: Wallos's JSON export", () => {
  const parsed = json('wallos.json');

  it('maps cycle, price symbol, state and notifications', () => {
    expect(parsed.format).toBe('wallos-json');
    expect(validateRecord(parsed.rows[0]!.record)).toEqual({
      ok: true,
      subscription: expect.objectContaining({
        name: 'Disney+',
        priceMinor: 899,
        currency: 'EUR',
        billingCycle: 'monthly',
        billingInterval: 1,
        nextPaymentDate: '2027-01-12',
        category: 'Entertainment',
        status: 'active',
        reminderOffsets: null,
        notes: null,
        url: 'https://disneyplus.com',
      }),
    });
    expect(validateRecord(parsed.rows[1]!.record)).toEqual({
      ok: true,
      subscription: expect.objectContaining({
        priceMinor: 2400,
        category: null,
        currency: 'USD',
        billingCycle: 'yearly',
        billingInterval: 2,
        status: 'cancelled',
        reminderOffsets: [],
        url: null,
      }),
    });
    expect(validateRecord(parsed.rows[3]!.record)).toEqual({
      ok: true,
      subscription: expect.objectContaining({
        currency: 'CHF',
        priceMinor: 2050,
        category: 'Sport',
        billingCycle: 'weekly',
      }),
    });
  });

  it('reports an unknown cycle and an unreadable price with the row number', () => {
    expect(problemsOf(parsed)).toEqual([
      { row: 3, field: 'price' },
      { row: 3, field: 'billing_cycle' },
    ]);
  });

  it('reads the download of its profile page too: the subscriptions array alone', () => {
    const doc = JSON.parse(fixture('wallos.json')) as { subscriptions: unknown[] };
    const download = parseImport({ kind: 'json', document: doc.subscriptions });
    expect(download).toEqual(parsed);
  });

  it('reads a pre-2025 export without Payment Cycle as monthly', () => {
    const old = parseImport({
      kind: 'json',
      document: {
        success: true,
        subscriptions: [{ Name: 'Old', 'Next Payment': '2027-01-01', Price: '£3' }],
      },
    });
    expect(validateRecord(old.rows[0]!.record)).toMatchObject({
      ok: true,
      subscription: { billingCycle: 'monthly', currency: 'GBP', priceMinor: 300 },
    });
  });
});

describe('parseImport: anything else', () => {
  it('refuses an object it does not know', () => {
    expect(() => parseImport({ kind: 'json', document: { hello: 'world' } })).toThrow(
      expect.objectContaining({ code: 'import_format_unknown' }),
    );
  });
});
