import 'reflect-metadata';
import { loadConfig } from '../config';
import { createDatabase, type Database } from '../db/database';
import { normaliseKey } from '../db/normalise-key';
import { runEntry } from './run-entry';

/** Gives the admin role to the user with this email; false when there is no such user. */
export async function promoteUser(db: Database, email: string): Promise<boolean> {
  const [count] = await db.models.User.update(
    { role: 'admin' },
    { where: { emailKey: normaliseKey(email) } },
  );
  return count > 0;
}

/** `npm run user:promote -- <email>` */
async function main(): Promise<void> {
  const email = process.argv[2];
  if (!email || process.argv.length > 3) throw new Error('usage: npm run user:promote -- <email>');
  const db = createDatabase(loadConfig().database);
  try {
    if (!(await promoteUser(db, email))) throw new Error(`No user with email ${email}.`);
    console.log(`${email} is now an admin.`);
  } finally {
    await db.close();
  }
}

if (require.main === module) runEntry('subtracker-user-promote', main);
