/** The report as lines of plain facts, shared by the text and the HTML version. */
export interface ReportView {
  subject: string;
  greeting: string;
  intro: string;
  monthLabel: string;
  previousLabel: string;
  nextLabel: string;
  totals: { currency: string; amount: string; count: string }[];
  changes: { currency: string; text: string }[];
  categories: { currency: string; rows: { name: string; amount: string }[] }[];
  charges: { date: string; name: string; category: string; amount: string }[];
  upcoming: { date: string; name: string; amount: string }[];
  unsubscribeUrl: string;
}
