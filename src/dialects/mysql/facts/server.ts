/**
 * Which server the facts answer for, from the dialect's fact key (version.ts `mysqlFactKey`:
 * MariaDB 10.11.6 → 101106, MySQL 8.0.29 → 80029; a key of 100000 or more is MariaDB).
 *
 * MariaDB answers are measured on the MariaDB 10.11 the tests run against
 * (test/dialects/mysql/facts): `server-verified`. MySQL 8.0/8.4 answers come from the MySQL
 * reference manual's online DDL tables (no MySQL server is installable here):
 * `documented-only`, each with its citation where it is decided.
 */
import type { FactEvidence } from '../../../core/analysis.js';

export interface Server {
  mariadb: boolean;
  /** The fact key: major*10000 + minor*100 + patch. */
  key: number;
  /** Where an answer for this server comes from, unless a rule says otherwise. */
  evidence: FactEvidence;
  /** "MariaDB 10.11", "MySQL 8.0.29": for notes. */
  words: string;
}

export function serverOf(key: number): Server {
  const mariadb = key >= 100000;
  const major = Math.floor(key / 10000);
  const minor = Math.floor(key / 100) % 100;
  const patch = key % 100;
  return {
    mariadb,
    key,
    evidence: mariadb ? 'server-verified' : 'documented-only',
    words: mariadb ? `MariaDB ${major}.${minor}` : `MySQL ${major}.${minor}.${patch}`,
  };
}

/** MySQL at or after 8.0.x (false on MariaDB). */
export function mysqlSince(server: Server, patch80: number): boolean {
  return !server.mariadb && server.key >= 80000 + patch80;
}

/**
 * MariaDB 11.2 made ALGORITHM=COPY online (LOCK=NONE: concurrent writes are logged and
 * replayed before the switch), MDEV-16329.
 * https://mariadb.com/kb/en/online-schema-change/ — documented only: the server here is 10.11.
 */
export function mariadbOnlineCopy(server: Server): boolean {
  return server.mariadb && server.key >= 110200;
}
