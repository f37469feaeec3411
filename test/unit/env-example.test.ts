import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { configSchema } from '../../src/config';

const ROOT = path.resolve(__dirname, '../..');
/** Keys below this line are read by tools and tests, not by the app. */
const TOOLS_SECTION = '# --- Read by the tools and tests, not by the app ---';

interface ExampleKey {
  value: string;
  /** The comment lines of its paragraph, above it. */
  comment: string;
}

/** The keys of .env.example's app section (set or commented out), with their values and comments. */
function exampleKeys(): Map<string, ExampleKey> {
  const text = fs.readFileSync(path.join(ROOT, '.env.example'), 'utf8').split(TOOLS_SECTION)[0]!;
  const keys = new Map<string, ExampleKey>();
  let comment: string[] = [];
  for (const line of text.split('\n')) {
    const key = /^(?:#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (key) keys.set(key[1]!, { value: key[2]!, comment: comment.join('\n') });
    else if (line.startsWith('#')) comment.push(line);
    else if (line.trim() === '') comment = [];
  }
  return keys;
}

/** The schema's default of `key` as it would be written in the environment; undefined when it has none. */
function schemaDefault(key: string): string | undefined {
  const field = configSchema.shape[key as keyof typeof configSchema.shape] as z.ZodTypeAny;
  return field instanceof z.ZodDefault ? String(field._def.defaultValue()) : undefined;
}

describe('.env.example', () => {
  const example = exampleKeys();
  const declared = Object.keys(configSchema.shape);

  it('lists every key of the config schema', () => {
    expect(declared.filter((key) => !example.has(key))).toEqual([]);
  });

  it('lists no key the config schema does not declare', () => {
    expect([...example.keys()].filter((key) => !declared.includes(key))).toEqual([]);
  });

  it("gives each key's schema default, as its value or in its comment", () => {
    const disagreeing = declared.flatMap((key) => {
      const fallback = schemaDefault(key);
      const entry = example.get(key);
      if (fallback === undefined || !entry) return [];
      if (entry.value === fallback || entry.comment.includes(fallback)) return [];
      return [{ key, schemaDefault: fallback, example: entry.value }];
    });
    expect(disagreeing).toEqual([]);
  });

  it('holds values the schema accepts', () => {
    const values = Object.fromEntries(
      [...example].filter(([, entry]) => entry.value !== '').map(([key, entry]) => [key, entry.value]),
    );
    const parsed = configSchema.safeParse(values);
    expect(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual(
      [],
    );
  });
});
