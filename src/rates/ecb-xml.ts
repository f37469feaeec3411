/**
 * Reads the European Central Bank's euro foreign exchange reference rates XML (eurofxref-daily.xml,
 * eurofxref-hist-90d.xml): a gesmes envelope whose Cube holds one Cube per day (`time`) holding one Cube per
 * currency (`currency`, `rate`: units per euro). Rates stay decimal text; nothing goes through a float.
 */
import { XMLParser } from 'fast-xml-parser';
import { isValidDate } from '../time';
import type { RateDay } from './rate-day';

/** The document is not the ECB's format (or is truncated): which part is wrong. */
export class EcbFormatError extends Error {
  constructor(message: string) {
    super(`Not an ECB reference rates document: ${message}`);
    this.name = 'EcbFormatError';
  }
}

const CURRENCY = /^[A-Z]{3}$/;
/** A positive decimal as the ECB writes it ("1.0523", "15210.73"). */
const RATE = /^(?!0+(\.0+)?$)\d{1,12}(\.\d{1,10})?$/;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  // Attribute and text values stay strings: a rate must never become a float.
  parseAttributeValue: false,
  parseTagValue: false,
  isArray: (name) => name === 'Cube',
  processEntities: false,
});

type Node = Record<string, unknown>;
const cubes = (node: unknown): Node[] => ((node as Node | undefined)?.Cube as Node[] | undefined) ?? [];

/** The days of an ECB rates document, newest first as published. Throws EcbFormatError when it is not one. */
export function parseEcbRates(xml: string): RateDay[] {
  let doc: Node;
  try {
    doc = parser.parse(xml, true) as Node;
  } catch (err) {
    throw new EcbFormatError(`malformed XML (${(err as Error).message})`);
  }
  const envelope = doc.Envelope as Node | undefined;
  if (!envelope) throw new EcbFormatError('no Envelope element');
  const [outer, ...extra] = cubes(envelope);
  if (!outer || extra.length) throw new EcbFormatError('expected exactly one outer Cube');
  const days = cubes(outer).map((day): RateDay => {
    const date = day.time;
    if (!isValidDate(date)) throw new EcbFormatError(`a day Cube has time ${JSON.stringify(date)}`);
    const rates: Record<string, string> = {};
    for (const entry of cubes(day)) {
      const { currency, rate } = entry as { currency?: unknown; rate?: unknown };
      if (typeof currency !== 'string' || !CURRENCY.test(currency) || currency === 'EUR')
        throw new EcbFormatError(`${date}: currency ${JSON.stringify(currency)}`);
      if (typeof rate !== 'string' || !RATE.test(rate))
        throw new EcbFormatError(`${date} ${currency}: rate ${JSON.stringify(rate)}`);
      if (currency in rates) throw new EcbFormatError(`${date}: ${currency} twice`);
      rates[currency] = rate;
    }
    if (!Object.keys(rates).length) throw new EcbFormatError(`${date}: no rates`);
    return { date, rates };
  });
  if (!days.length) throw new EcbFormatError('no day Cube');
  if (new Set(days.map((d) => d.date)).size !== days.length) throw new EcbFormatError('a day appears twice');
  return days;
}
