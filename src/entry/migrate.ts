import { loadConfig } from '../config';
import { migrateDown, migrateUp } from '../db/migrator';
import { createSequelize, type DatabaseConfig } from '../db/sequelize';
import { runEntry } from './run-entry';

const USAGE = 'usage: migrate up | down [--to NAME|0 | --step N]';

type Command = { direction: 'up' } | { direction: 'down'; to?: string | 0; step?: number };

/** `up`, or `down` with at most one of `--to NAME` (0: everything) and `--step N` (default: the last one). */
export function parseArgs(args: string[]): Command {
  const [direction, flag, value, ...rest] = args;
  if (direction === 'up' && flag === undefined) return { direction };
  if (direction !== 'down' || rest.length > 0) throw new Error(USAGE);
  if (flag === undefined) return { direction };
  if (flag === '--to' && value) return { direction, to: value === '0' ? 0 : value };
  if (flag === '--step' && value && /^[1-9]\d*$/.test(value)) return { direction, step: Number(value) };
  throw new Error(USAGE);
}

/** Where migrations go, without the password. */
function describe(db: DatabaseConfig): string {
  if (!db.url) return `SQLite ${db.sqlitePath}`;
  const url = new URL(db.url);
  return `${url.protocol}//${url.host}${url.pathname}`;
}

async function main(): Promise<void> {
  const command = parseArgs(process.argv.slice(2));
  const { database } = loadConfig();
  const sequelize = createSequelize(database);
  try {
    console.log(`Migrating ${command.direction} on ${describe(database)}`);
    const names =
      command.direction === 'up' ? await migrateUp(sequelize) : await migrateDown(sequelize, command);
    const verb = command.direction === 'up' ? 'applied' : 'reverted';
    if (names.length === 0) console.log(`Nothing to do: no migration ${verb}.`);
    for (const name of names) console.log(`${verb} ${name}`);
  } finally {
    await sequelize.close();
  }
}

if (require.main === module) runEntry('subtracker-migrate', main);
