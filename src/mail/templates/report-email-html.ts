import { escapeHtml as e } from './html';
import type { ReportView } from './report-view';

const CELL = 'padding:4px 12px 4px 0';
const MUTED = 'color:#52606d';

function table(rows: string[][], alignLast = true): string {
  const body = rows
    .map((cells) => {
      const tds = cells.map(
        (cell, i) =>
          `<td style="${CELL}${alignLast && i === cells.length - 1 ? ';text-align:right;white-space:nowrap' : ''}">${e(cell)}</td>`,
      );
      return `        <tr>${tds.join('')}</tr>`;
    })
    .join('\n');
  return `      <table style="margin:8px 0 16px;border-collapse:collapse;font-size:14px">\n${body}\n      </table>`;
}

function heading(title: string): string {
  return `      <h2 style="font-size:16px;margin:24px 0 4px">${e(title)}</h2>`;
}

/** The HTML version of the report: the same facts as the text version, in tables. */
export function renderReportHtml(v: ReportView): string {
  const parts: string[] = [
    `      <h1 style="font-size:22px;margin:0 0 16px">Your subscriptions in ${e(v.monthLabel)}</h1>`,
    `      <p>${e(v.greeting)}</p>`,
    `      <p>${e(v.intro)}</p>`,
  ];
  if (v.totals.length === 0) {
    parts.push(`      <p><strong>No charges came due in ${e(v.monthLabel)}.</strong></p>`);
  } else {
    parts.push(heading('Total'), table(v.totals.map((t) => [t.count, t.amount])));
  }
  if (v.changes.length) {
    parts.push(
      heading(`Change from ${v.previousLabel}`),
      table(
        v.changes.map((c) => [c.currency, c.text]),
        false,
      ),
    );
  }
  if (v.categories.length) {
    const multi = v.categories.length > 1;
    const rows = v.categories.flatMap((g) =>
      g.rows.map((r) => [multi ? `${r.name} (${g.currency})` : r.name, r.amount]),
    );
    parts.push(heading('By category'), table(rows));
  }
  if (v.charges.length) {
    parts.push(heading('Charges'), table(v.charges.map((c) => [c.date, c.name, c.category, c.amount])));
  }
  if (v.upcoming.length) {
    parts.push(
      heading(`Largest charges coming in ${v.nextLabel}`),
      table(v.upcoming.map((c) => [c.date, c.name, c.amount])),
    );
  } else {
    parts.push(`      <p style="${MUTED}">No charges are expected in ${e(v.nextLabel)}.</p>`);
  }
  parts.push(
    `      <p style="font-size:13px;${MUTED}">The SubTracker team</p>`,
    `      <p style="font-size:12px;color:#7b8794"><a href="${e(v.unsubscribeUrl)}">Stop monthly reports</a></p>`,
  );
  return `<!doctype html>
<html lang="en">
  <body style="margin:0;padding:24px;background:#f4f5f7;font-family:Helvetica,Arial,sans-serif;color:#1f2933">
    <div style="max-width:600px;margin:0 auto;background:#ffffff;border-radius:8px;padding:32px">
${parts.join('\n')}
    </div>
  </body>
</html>
`;
}
