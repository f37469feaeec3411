/** Writes one benchmark's section of bench/RESULTS.md between its markers, leaving the others alone. */
import fs from 'node:fs';
import path from 'node:path';
import prettier from 'prettier';

const FILE = path.resolve(__dirname, '..', 'RESULTS.md');
const HEADER = '# Benchmark results\n\nEach section is written by its `npm run bench:*` script.\n';

/**
 * Replaces `<!-- {id}:start -->` ... `<!-- {id}:end -->` (appends it when missing). Text between
 * `<!-- {id}:notes:start -->` and `<!-- {id}:notes:end -->` in the old section is kept (hand-written notes).
 */
export async function writeSection(id: string, body: string): Promise<string> {
  const start = `<!-- ${id}:start -->`;
  const end = `<!-- ${id}:end -->`;
  const notesStart = `<!-- ${id}:notes:start -->`;
  const notesEnd = `<!-- ${id}:notes:end -->`;
  let text = fs.existsSync(FILE) ? fs.readFileSync(FILE, 'utf8') : HEADER;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  let notes = `${notesStart}\n${notesEnd}`;
  if (i >= 0 && j > i) {
    const old = text.slice(i, j);
    const a = old.indexOf(notesStart);
    const b = old.indexOf(notesEnd);
    if (a >= 0 && b > a) notes = old.slice(a, b + notesEnd.length);
  }
  const section = `${start}\n\n${body.trim()}\n\n${notes}\n\n${end}`;
  text =
    i >= 0 && j > i
      ? text.slice(0, i) + section + text.slice(j + end.length)
      : `${text.trimEnd()}\n\n${section}\n`;
  const config = (await prettier.resolveConfig(FILE)) ?? {};
  const formatted = await prettier.format(text, { ...config, parser: 'markdown' });
  fs.writeFileSync(FILE, formatted);
  return FILE;
}
