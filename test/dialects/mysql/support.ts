import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { describe, inject } from 'vitest';
import { missingDatabase } from '../../support/pg.js';

export const mysqlUrl: string | null = inject('mysqlUrl');

/** A describe block that needs the MariaDB/MySQL server of TEST_MYSQL_URL (loud skip; fails under CI=true). */
export function describeMysql(name: string, body: (url: string) => void): void {
  if (!mysqlUrl) {
    missingDatabase(name, 'MySQL/MariaDB', 'TEST_MYSQL_URL is unset');
    return;
  }
  const url = mysqlUrl;
  describe(name, () => body(url));
}

export function withDatabase(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Run statements as the test's admin user, one at a time. */
export async function adminRun(serverUrl: string, statements: readonly string[]): Promise<void> {
  const connection = await mysql.createConnection({ uri: serverUrl.replace(/^mariadb:/, 'mysql:') });
  try {
    for (const sql of statements) await connection.query(sql);
  } finally {
    await connection.end();
  }
}

export interface TempDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** A fresh database on the server, loaded with `statements`. */
export async function createTempDatabase(
  serverUrl: string,
  statements: readonly string[] = [],
): Promise<TempDatabase> {
  const name = `sp_test_${randomBytes(5).toString('hex')}`;
  await adminRun(serverUrl, [`CREATE DATABASE ${name}`]);
  const url = withDatabase(serverUrl, name);
  await adminRun(url, statements);
  return { name, url, drop: () => adminRun(serverUrl, [`DROP DATABASE IF EXISTS ${name}`]) };
}
