/** The rates of one publication day: units of each currency per euro, as published decimal text. */
export interface RateDay {
  /** 'YYYY-MM-DD'. */
  date: string;
  /** By ISO 4217 code, e.g. { USD: '1.0523', JPY: '160.47' }. */
  rates: Record<string, string>;
}
