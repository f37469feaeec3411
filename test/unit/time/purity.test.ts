/** The time module stays pure: no clock, and nothing imported but Luxon and its own files. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(__dirname, '../../../src/time');
const sources = readdirSync(dir)
  .filter((file) => file.endsWith('.ts'))
  .map((file) => [file, readFileSync(join(dir, file), 'utf8')] as const);

describe('src/time purity', () => {
  it.each(sources)('%s does not read the clock', (_file, source) => {
    expect(source).not.toMatch(
      /Date\.now\s*\(|new Date\s*\(\s*\)|DateTime\.(now|local)\s*\(|performance\.now/,
    );
  });

  it.each(sources)('%s imports only luxon and sibling files', (_file, source) => {
    const imports = [...source.matchAll(/(?:from|import|require\()\s*'([^']+)'/g)].map((match) => match[1]);
    expect(imports.filter((spec) => spec !== 'luxon' && !spec.startsWith('./'))).toEqual([]);
  });
});
