import mysql from 'mysql2/promise';

/** A fresh (dropped and re-created) database on the server of `serverUrl`; returns its mysql:// URL. */
export async function freshDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^subtracker\w*$/.test(name)) throw new Error(`refusing database name ${name}`);
  const url = new URL(serverUrl);
  const connection = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await connection.end();
  }
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withConnection<T>(dbUrl: string, fn: (c: mysql.Connection) => Promise<T>): Promise<T> {
  const url = new URL(dbUrl);
  const connection = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.slice(1),
  });
  try {
    return await fn(connection);
  } finally {
    await connection.end();
  }
}

/** MariaDB's version string. */
export async function serverVersion(serverUrl: string): Promise<string> {
  const url = new URL(serverUrl);
  const connection = await mysql.createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
  });
  try {
    const [rows] = await connection.query('SELECT VERSION() AS v');
    return String((rows as { v: string }[])[0]?.v ?? '?');
  } finally {
    await connection.end();
  }
}
