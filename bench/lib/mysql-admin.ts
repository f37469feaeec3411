import mysql from 'mysql2/promise';

/** A connection to the server of `serverUrl`, to its database when `database` is given. */
function connect(serverUrl: string, database?: string): Promise<mysql.Connection> {
  const url = new URL(serverUrl);
  return mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database,
  });
}

/** Runs `fn` on a fresh connection and closes it. */
async function using<T>(
  connection: Promise<mysql.Connection>,
  fn: (c: mysql.Connection) => Promise<T>,
): Promise<T> {
  const c = await connection;
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh (dropped and re-created) database on the server of `serverUrl`; returns its mysql:// URL. */
export async function freshDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^subtracker\w*$/.test(name)) throw new Error(`refusing database name ${name}`);
  await using(connect(serverUrl), async (c) => {
    await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await c.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export function withConnection<T>(dbUrl: string, fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
  return using(connect(dbUrl, new URL(dbUrl).pathname.slice(1)), fn);
}

/** MariaDB's version string. */
export function serverVersion(serverUrl: string): Promise<string> {
  return using(connect(serverUrl), async (c) => {
    const [rows] = await c.query('SELECT VERSION() AS v');
    return String((rows as { v: string }[])[0]?.v ?? '?');
  });
}
